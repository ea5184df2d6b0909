// The CLI entry in TypeScript; bin/stepdeploy.js loads it through tsx.
import { main } from '../lib/cli/main';

process.exitCode = await main(process.argv.slice(2));
