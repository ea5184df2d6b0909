// The runner as one file: lib/runner/main.ts and what it imports, bundled by esbuild. CodeBuild runs
// this bundle (an S3 asset made at synth); the local engine makes the same bundle once per process
// and runs it with its own node, so a runner starts in a fraction of a second.

import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleExtension } from '../package-layout';

export const RUNNER_BUNDLE_FILE = 'stepdeploy-runner.mjs';

// main.ts from the checkout, main.js from an installed package's dist/.
const entry = fileURLToPath(new URL(`./main${moduleExtension}`, import.meta.url));

/** Writes the bundle to `outfile`. */
export function bundleRunner(outfile: string, options: { readonly minify: boolean }): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The CodeBuild standard images' default Node.js.
    target: 'node18',
    minify: options.minify,
    legalComments: 'none',
    logLevel: 'error',
    // ESM bundles of CommonJS dependencies need a require().
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
}

let local: string | undefined;

/** The bundle for local runners: made on first use, removed when the process exits. */
export function localRunnerBundle(): string {
  if (local === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'stepdeploy-runner-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, RUNNER_BUNDLE_FILE);
    bundleRunner(file, { minify: false });
    local = file;
  }
  return local;
}
