// Whether files changed, decided the way make does: by each file's name, modification time and size,
// never by reading it. The local template cache (lib/cli/local-template.ts) keys the package's code
// by it, the runner bundle cache (lib/local/runner-bundle-cache.ts) the files esbuild read.

import { createHash, type Hash } from 'node:crypto';
import { statSync } from 'node:fs';

/** Adds `name`'s stamp (the file at `path` as it is now; a missing one counts, as missing) to `hash`. */
export function addFileStamp(hash: Hash, name: string, path: string = name): Hash {
  let stamp = 'missing';
  try {
    const stat = statSync(path);
    stamp = `${stat.mtimeMs} ${stat.size}`;
  } catch {
    // Recorded as missing: the file reappearing changes the fingerprint.
  }
  return hash.update(name).update('\0').update(stamp).update('\n');
}

/** The fingerprint of these files as they are now (hex, 32 characters). */
export function filesFingerprint(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) addFileStamp(hash, path);
  return hash.digest('hex').slice(0, 32);
}
