// The runner as one file: lib/runner/main.ts and what it imports, bundled by esbuild. CodeBuild runs
// this bundle (an S3 asset made at synth); the local engine runs the same bundle with its own node
// (lib/local/runner-bundle-cache.ts keeps it between runs), so a runner starts in a fraction of a second.

import { buildSync, version as esbuildVersion } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleExtension } from '../package-layout';

export const RUNNER_BUNDLE_FILE = 'stepdeploy-runner.mjs';

// main.ts from the checkout, main.js from an installed package's dist/.
export const RUNNER_ENTRY = fileURLToPath(new URL(`./main${moduleExtension}`, import.meta.url));

/** What else decides the bundle's bytes besides its input files (a change here must change every cache key). */
export const BUNDLER = `esbuild@${esbuildVersion} node18 esm`;

/** Writes the bundle to `outfile`; returns the absolute paths of the files it was made from. */
export function bundleRunner(outfile: string, options: { readonly minify: boolean }): string[] {
  const workingDir = process.cwd();
  const result = buildSync({
    absWorkingDir: workingDir,
    metafile: true,
    entryPoints: [RUNNER_ENTRY],
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
  // Inputs outside the file system (esbuild's `(disabled):` stubs) have a namespace prefix.
  return Object.keys(result.metafile.inputs)
    .filter((input) => !/^[a-z-]+:/i.test(input))
    .map((input) => resolve(workingDir, input));
}
