// Where this package's files are, whether it runs from the checkout (TypeScript through tsx or
// vitest) or installed (JavaScript under dist/). Everything that names a file of the package at run
// time (Lambda entries, handler modules, package.json) asks here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when running the compiled JavaScript of dist/. */
export const compiled = here.endsWith('.js');

/** The folder holding bin/, lib/ and lambdas/ as they run: the checkout, or its dist/. */
export const codeRoot = dirname(dirname(here));

/** The package's own folder (where package.json is). */
export const packageRoot = compiled ? dirname(codeRoot) : codeRoot;

/** The extension of this package's modules as they run. */
export const moduleExtension = compiled ? '.js' : '.ts';

/** A runtime Lambda handler's module: lambdas/<name>/handler.ts, or its JavaScript in dist/. */
export function handlerEntry(name: string): string {
  return join(codeRoot, 'lambdas', name, `handler${moduleExtension}`);
}

const LOCK_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

/**
 * The lock file of the project this package is installed in (or of the checkout): the nearest one
 * above the package's folder. An installed package has none of its own, so its Lambdas bundle from
 * the files installed beside it. Undefined when there is none.
 */
export function projectLockFile(from = packageRoot): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const found = LOCK_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
    if (found.length > 0) return found[0];
    if (dirname(dir) === dir) return undefined;
  }
}
