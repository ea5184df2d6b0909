#!/usr/bin/env node
// The `stepdeploy` command: compiled to dist/bin/stepdeploy.js (the package's bin); in the checkout
// bin/stepdeploy.js runs this file through tsx.
import { main } from '../lib/cli/main';

// The SDK's notice that its 2027 releases need Node 22 is not about the versions this package locks.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await main(process.argv.slice(2));
