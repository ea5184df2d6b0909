#!/usr/bin/env node
// The `stepdeploy` command. The CLI is TypeScript with no build step: tsx compiles it as it loads,
// both in this checkout after `npm ci` and in an installed package (tsx is a dependency). The
// package's own tsconfig is used whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./stepdeploy.ts');
