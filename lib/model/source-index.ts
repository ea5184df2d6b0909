import type { Position, SpecEntry, SpecMap, SpecNode } from '../source/tree';

/** `jobs` + `build` → `jobs.build`; the root's children have no leading dot. */
export const keyPath = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);
export const itemPath = (parent: string, index: number): string => `${parent}[${index}]`;

const fileStart: Position = { line: 1, column: 1 };

/** Below this many entries a mapping is searched as it is; above, its keys are indexed once, when first searched. */
const SCANNED_ENTRIES = 8;

/**
 * Every node of the spec by its key path (`jobs.deploy.needs[0]`), so that checks running on the
 * normalized model can still point at the file. A duplicated key resolves to its last occurrence,
 * as in normalization.
 *
 * A path is followed down the tree when it is asked for, not listed up front: a big workflow has
 * hundreds of thousands of nodes and only a few of them are ever pointed at.
 */
export class SourceIndex {
  private readonly keysOf = new WeakMap<SpecMap, Map<string, SpecEntry>>();

  constructor(private readonly root: SpecNode | undefined) {}

  node(path: string): SpecNode | undefined {
    const found = this.find(path);
    return found === undefined || 'kind' in found ? found : found.value;
  }

  /** Where the value at `path` starts; falls back to the closest enclosing value, then 1:1. */
  valuePos(path: string): Position {
    for (let current: string | undefined = path; current !== undefined; current = parentOf(current)) {
      const node = this.node(current);
      if (node) return node.pos;
    }
    return fileStart;
  }

  /** Where the key of `path` is written (for problems about the key itself). */
  keyPos(path: string): Position {
    const found = this.find(path);
    return found !== undefined && !('kind' in found) ? found.keyPos : this.valuePos(path);
  }

  /** A mapping's value by its entry (which says where its key is), any other node (the root, an item) as itself. */
  private find(path: string): SpecNode | SpecEntry | undefined {
    if (this.root === undefined) return undefined;
    return path === '' ? this.root : this.below(this.root, path, 0);
  }

  /** What `path` names from `start` on (just after a `.`, or at a `[`), inside `node`. */
  private below(node: SpecNode, path: string, start: number): SpecNode | SpecEntry | undefined {
    if (node.kind === 'seq') {
      if (path[start] !== '[') return undefined;
      const close = path.indexOf(']', start);
      const digits = close === -1 ? '' : path.slice(start + 1, close);
      if (!/^(0|[1-9][0-9]*)$/.test(digits)) return undefined;
      const item = node.items[Number(digits)];
      return item === undefined ? undefined : this.after(item, path, close + 1);
    }
    if (node.kind !== 'map') return undefined;
    // A key may itself hold `.` or `[`: each place the path could end the key is tried, shortest first.
    // A child is reached only through its own key, so a lookup visits each node at most once (the
    // tree has no shared nodes: aliases are expanded when it is read), however the keys split.
    for (let end = start; end <= path.length; end++) {
      if (end < path.length && path[end] !== '.' && path[end] !== '[') continue;
      const entry = this.entry(node, path.slice(start, end));
      const found = entry === undefined ? undefined : this.after(entry, path, end);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** `found` when the path ends at `at`, else what the rest of the path names below it. */
  private after(found: SpecNode | SpecEntry, path: string, at: number): SpecNode | SpecEntry | undefined {
    if (at === path.length) return found;
    const node = 'kind' in found ? found : found.value;
    return this.below(node, path, path[at] === '.' ? at + 1 : at);
  }

  private entry(map: SpecMap, key: string): SpecEntry | undefined {
    const { entries } = map;
    if (entries.length <= SCANNED_ENTRIES) {
      for (let position = entries.length - 1; position >= 0; position--) if (entries[position]!.key === key) return entries[position];
      return undefined;
    }
    let keys = this.keysOf.get(map);
    if (keys === undefined) {
      keys = new Map();
      for (const entry of entries) keys.set(entry.key, entry);
      this.keysOf.set(map, keys);
    }
    return keys.get(key);
  }
}

function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
