import type { Position, SpecEntry, SpecNode } from '../source/tree';

/** `jobs` + `build` → `jobs.build`; the root's children have no leading dot. */
export const keyPath = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);
export const itemPath = (parent: string, index: number): string => `${parent}[${index}]`;

const fileStart: Position = { line: 1, column: 1 };

/**
 * Every node of the spec by its key path (`jobs.deploy.needs[0]`), so that checks running on the
 * normalized model can still point at the file. A duplicated key resolves to its last occurrence,
 * as in normalization.
 */
export class SourceIndex {
  /** A mapping's value by its entry (which says where its key is), any other node (the root, an item) as itself. */
  private readonly byPath = new Map<string, SpecNode | SpecEntry>();

  constructor(root: SpecNode | undefined) {
    if (root) this.visit(root, '');
  }

  node(path: string): SpecNode | undefined {
    const found = this.byPath.get(path);
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
    const found = this.byPath.get(path);
    return found !== undefined && !('kind' in found) ? found.keyPos : this.valuePos(path);
  }

  private visit(node: SpecNode, path: string): void {
    if (node.kind === 'map') {
      for (const entry of node.entries) {
        const child = keyPath(path, entry.key);
        this.byPath.set(child, entry);
        this.visitChildren(entry.value, child);
      }
    } else if (node.kind === 'seq') {
      node.items.forEach((item, index) => {
        const child = itemPath(path, index);
        this.byPath.set(child, item);
        this.visitChildren(item, child);
      });
    }
    if (path === '') this.byPath.set('', node);
  }

  private visitChildren(node: SpecNode, path: string): void {
    if (node.kind !== 'scalar') this.visit(node, path);
  }
}

function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
