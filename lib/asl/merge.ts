// Shallow merges of objects with States.JsonMerge, nested as a balanced tree: n objects nest
// ceil(log2 n) calls deep, within Step Functions' limit of 10 nested intrinsic calls for up to 1,024
// objects (a left fold of 13 would nest 12). JsonMerge is associative for the maps we merge (equal
// values under a shared key), so the tree gives the same result as merging left to right.

/** Intrinsics nest at most this deep in one field (Step Functions). */
export const MAX_INTRINSIC_DEPTH = 10;

/** The merge of `paths` (JSONPaths of objects), later ones winning on a shared key. */
export function mergeAll(paths: readonly string[]): string {
  if (paths.length === 0) throw new Error('mergeAll needs at least one path');
  if (paths.length === 1) return paths[0]!;
  const middle = Math.ceil(paths.length / 2);
  return `States.JsonMerge(${mergeAll(paths.slice(0, middle))}, ${mergeAll(paths.slice(middle))}, false)`;
}
