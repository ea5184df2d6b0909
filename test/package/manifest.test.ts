// package.json as npm and Node read it: what it lists exists, the entry points resolve to the built
// JavaScript, and the CDK libraries are peers (one copy in the app, so construct checks hold).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerEntry, moduleExtension, packageRoot, projectLockFile } from '../../lib/package-layout';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  license: string;
};

describe('package.json', () => {
  it('lists only files that exist (dist/ is built by prepare on npm ci and npm pack)', () => {
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.files.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });

  it('points bin and every export at JavaScript and declarations in dist/', () => {
    expect(manifest.bin).toEqual({ stepdeploy: 'dist/bin/stepdeploy.js' });
    for (const [key, target] of Object.entries(manifest.exports)) {
      if (key === './package.json' || typeof target === 'string') continue;
      expect([key, target.default.endsWith('.js'), target.types.endsWith('.d.ts')]).toEqual([key, true, true]);
      if (!key.includes('*')) expect([key, existsSync(join(root, target.default)), existsSync(join(root, target.types))]).toEqual([key, true, true]);
    }
    expect(Object.keys(manifest.exports)).toEqual(['.', './constructs', './cli', './runtime', './lambdas/*', './package.json']);
  });

  it('has aws-cdk-lib and constructs as peers (and dev dependencies), not dependencies; tsx only for development', () => {
    for (const name of ['aws-cdk-lib', 'constructs']) {
      expect([name, manifest.peerDependencies[name] !== undefined, manifest.devDependencies[name] !== undefined, manifest.dependencies[name]]).toEqual([name, true, true, undefined]);
    }
    expect(manifest.dependencies.tsx).toBeUndefined();
  });

  it('ships the Apache-2.0 license it names', async () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(await readFile(join(root, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
  });
});

describe('package layout', () => {
  it('runs from the checkout as TypeScript: handler entries are lambdas/<name>/handler.ts, the lock file is the checkout’s', () => {
    expect(packageRoot).toBe(root);
    expect(moduleExtension).toBe('.ts');
    expect(handlerEntry('evaluate')).toBe(join(root, 'lambdas', 'evaluate', 'handler.ts'));
    expect(projectLockFile()).toBe(join(root, 'package-lock.json'));
  });

  it('finds the lock file of the project a package is installed in, above the package', () => {
    expect(projectLockFile(join(root, 'node_modules', 'yaml'))).toBe(join(root, 'package-lock.json'));
    expect(projectLockFile('/')).toBeUndefined();
  });
});
