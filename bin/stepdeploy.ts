#!/usr/bin/env node
// The `stepdeploy` command: compiled to dist/bin/stepdeploy.js (the package's bin); in the checkout
// bin/stepdeploy.js runs this file through tsx.
import { main } from '../lib/cli/main';

// The SDK's notice that its 2027 releases need Node 22 is not about the versions this package locks.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(process.argv.slice(2));
// The command is done; what still holds the event loop after a moment is a leak (a timer of a task that
// outlived its execution once kept `run` from ever exiting). Say so, and do not hang a CI job on it.
setTimeout(() => {
  process.stderr.write('stepdeploy: the command finished but something still held the process open; exiting (please report this)\n');
  process.exit();
}, 3000).unref();
