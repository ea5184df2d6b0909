#!/usr/bin/env node
// The `stepdeploy` command. The CLI is TypeScript with no build step: tsx compiles it as it loads,
// both in this checkout after `npm ci` and in an installed package (tsx is a dependency). The
// package's own tsconfig is used whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The SDK's notice that its 2027 releases need Node 22 is not about the versions this package locks.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./stepdeploy.ts');
