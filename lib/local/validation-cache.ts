// aws-local-stepfunctions checks a definition with asl-validator (ajv) each time a state machine is
// built: ~150 ms, as much as the rest of a one-step run's engine work. The definition of an
// unchanged workflow is byte-identical from run to run (the renderer is deterministic), so a
// definition that passed once is remembered by its hash and not checked again. Only passes are
// remembered: a definition that fails is checked (and reported) every time.

import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ValidationCache {
  /** True when a definition with this hash passed validation before. */
  has(hash: string): boolean;
  remember(hash: string): void;
}

/**
 * What the validation depends on besides the definition: the library that checks it (pinned in
 * package.json) and the options it is called with. A change here must change every hash.
 */
const VALIDATOR = 'aws-local-stepfunctions@3.0.0 asl-validator checkArn checkPaths';

/** The cache key of a definition, as the engine hands it to the library. */
export function definitionHash(definition: unknown): string {
  return createHash('sha256').update(VALIDATOR).update('\0').update(JSON.stringify(definition)).digest('hex');
}

/**
 * Where the cache lives: `$STEPDEPLOY_CACHE_DIR`, else `$XDG_CACHE_HOME/stepdeploy`, else
 * `~/.cache/stepdeploy`.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.STEPDEPLOY_CACHE_DIR) return env.STEPDEPLOY_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stepdeploy');
}

/**
 * One empty file per valid definition under `<dir>/valid-asl/`, plus an in-process set. A cache
 * that cannot be written (read-only home, full disk) only costs the check next time.
 */
export function fileValidationCache(dir: string = defaultCacheDir()): ValidationCache {
  const seen = new Set<string>();
  const folder = join(dir, 'valid-asl');
  const fileOf = (hash: string): string => join(folder, hash);
  return {
    has(hash) {
      if (seen.has(hash)) return true;
      try {
        statSync(fileOf(hash));
      } catch {
        return false;
      }
      seen.add(hash);
      return true;
    },
    remember(hash) {
      seen.add(hash);
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(fileOf(hash), '');
      } catch {
        // Best effort, as above.
      }
    },
  };
}

/** Checks every time: for callers that want the library's own check (and tests of it). */
export const noValidationCache: ValidationCache = { has: () => false, remember: () => undefined };
