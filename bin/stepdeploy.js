#!/usr/bin/env node
// The CLI from the sources, for this checkout (`npm start`, tests): tsx compiles the TypeScript as it
// loads, with the checkout's tsconfig whatever the working directory. The package's `bin` is the
// compiled dist/bin/stepdeploy.js (npm run build), which needs no tsx.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The SDK's notice that its 2027 releases need Node 22 is not about the versions this package locks.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./stepdeploy.ts');
