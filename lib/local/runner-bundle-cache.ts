// The local runners' program: the bundle CodeBuild runs (lib/runner/bundle.ts), kept between runs.
// Bundling takes ~230 ms, a fifth of a one-step `stepdeploy run`, and gives the same bytes while its
// input files stay as they are. So the bundle is stored under the cache directory with the list of
// the files it was made from (esbuild's metafile), and named by a fingerprint of their paths,
// modification times and sizes, the way make decides: an edit to any input (the checkout's
// lib/runner, lib/runtime, an upgraded SDK) changes the fingerprint and the next run bundles again.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLER, bundleRunner, RUNNER_BUNDLE_FILE, RUNNER_ENTRY } from '../runner/bundle';
import { filesFingerprint } from './file-fingerprint';
import { defaultCacheDir } from './validation-cache';

/** Where this entry's bundles live: one folder per entry file (a checkout or an installed package) and bundler. */
export function runnerBundleFolder(cacheDir: string): string {
  const key = createHash('sha256').update(BUNDLER).update('\0').update(RUNNER_ENTRY).digest('hex').slice(0, 32);
  return join(cacheDir, 'runner-bundle', key);
}

const INPUTS_FILE = 'inputs.json';
const bundleFile = (folder: string, fingerprint: string): string => join(folder, `${fingerprint}.mjs`);

/** The stored bundle whose inputs are unchanged, if any. */
function storedBundle(folder: string): string | undefined {
  try {
    const inputs = JSON.parse(readFileSync(join(folder, INPUTS_FILE), 'utf8')) as unknown;
    if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === 'string')) return undefined;
    const file = bundleFile(folder, filesFingerprint(inputs));
    statSync(file);
    return file;
  } catch {
    return undefined;
  }
}

/**
 * Bundles into the folder and records the inputs. Written under temporary names and renamed, so a
 * concurrent run reads either the old pair or the new one; not kept when an input changed while
 * esbuild read it (the bundle might hold the older text under the newer fingerprint).
 */
function freshBundle(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `building-${process.pid}-${Date.now()}.mjs`);
  const inputs = bundleRunner(temporary, { minify: false });
  const fingerprint = filesFingerprint(inputs);
  const file = bundleFile(folder, fingerprint);
  renameSync(temporary, file);
  if (filesFingerprint(inputs) !== fingerprint) return file;
  const inputsTemporary = join(folder, `inputs-${process.pid}-${Date.now()}.json`);
  writeFileSync(inputsTemporary, JSON.stringify(inputs));
  renameSync(inputsTemporary, join(folder, INPUTS_FILE));
  pruneOlderBundles(folder, file);
  return file;
}

/** A day: a long-lived process (`stepdeploy dev`) may still start runners from the bundle it chose. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Bundles inputs.json no longer names, once nobody is likely to run them. */
function pruneOlderBundles(folder: string, kept: string): void {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (path === kept || !name.endsWith('.mjs')) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    } catch {
      // Gone already (another run pruned it).
    }
  }
}

/** Without a writable cache (read-only home, full disk): a bundle of this process's own, as before. */
function processBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepdeploy-runner-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, RUNNER_BUNDLE_FILE);
  bundleRunner(file, { minify: false });
  return file;
}

/** The stored bundle when its inputs are unchanged, else one made now (`made`). */
export function cachedRunnerBundle(cacheDir: string): { readonly file: string; readonly made: boolean } {
  const folder = runnerBundleFolder(cacheDir);
  const stored = storedBundle(folder);
  if (stored !== undefined) return { file: stored, made: false };
  try {
    return { file: freshBundle(folder), made: true };
  } catch {
    return { file: processBundle(), made: true };
  }
}

let current: string | undefined;

/** The runner bundle for this process (chosen once: the runners of one run all run the same program). */
export function localRunnerBundle(cacheDir: string = defaultCacheDir()): string {
  current ??= cachedRunnerBundle(cacheDir).file;
  return current;
}
