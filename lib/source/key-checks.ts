import { isReservedKey, reservedKeyRule } from './reserved-keys';
import type { Position, SpecError } from './tree';

/** `jobs.build.steps[0].run`: the path of keys and item indexes from the root to a node. */
export function pathOf(segments: readonly (string | number)[]): string {
  let path = '';
  for (const segment of segments) path = typeof segment === 'number' ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;
  return path;
}

/**
 * What every mapping key is checked for, whichever reader found it: it appears once in its mapping
 * (`seen`, a Set: a map of n keys costs n, not n²) and is not a reserved name. `segments` ends with the key.
 */
export function checkKey(key: string, keyPos: Position, seen: Set<string>, segments: readonly (string | number)[], errors: SpecError[]): void {
  if (seen.has(key)) {
    const path = pathOf(segments);
    errors.push({ code: 'duplicate-key', pos: keyPos, path, message: `${path}: duplicate key '${key}' (a key may appear only once in a mapping)` });
  }
  seen.add(key);
  if (isReservedKey(key)) {
    const path = pathOf(segments);
    errors.push({ code: 'reserved-key', pos: keyPos, path, message: `${path}: ${reservedKeyRule(key)}` });
  }
}
