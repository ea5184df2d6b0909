// The source index follows a key path down the spec tree when it is asked. Its reference is the
// index as it was built before: every node listed up front by its path, later entries (a duplicated
// key) replacing earlier ones. On every YAML file of the repository both must point at the same place.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemPath, keyPath, SourceIndex } from '../../lib/model/source-index';
import { parseSpec } from '../../lib/source/parse';
import type { SpecEntry, SpecNode } from '../../lib/source/tree';

/** Every path of the tree, mapped to what the index must return for it (the last writer wins). */
function listedPaths(root: SpecNode): Map<string, SpecNode | SpecEntry> {
  const byPath = new Map<string, SpecNode | SpecEntry>([['', root]]);
  const visit = (node: SpecNode, path: string): void => {
    if (node.kind === 'map') {
      for (const entry of node.entries) {
        byPath.set(keyPath(path, entry.key), entry);
        visit(entry.value, keyPath(path, entry.key));
      }
    } else if (node.kind === 'seq') {
      node.items.forEach((item, index) => {
        byPath.set(itemPath(path, index), item);
        visit(item, itemPath(path, index));
      });
    }
  };
  visit(root, '');
  return byPath;
}

const spec = (text: string): SpecNode => {
  const { root } = parseSpec(text);
  if (root === undefined) throw new Error('no document');
  return root;
};

describe('SourceIndex', () => {
  it('finds every node of every YAML file of the repository where the listed index did', () => {
    const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml'], { encoding: 'utf8' }).trim().split('\n');
    let checked = 0;
    for (const file of files) {
      const { root } = parseSpec(readFileSync(file, 'utf8'));
      if (root === undefined) continue;
      const index = new SourceIndex(root);
      for (const [path, expected] of listedPaths(root)) {
        const node = 'kind' in expected ? expected : expected.value;
        expect(index.node(path), `${file}: ${path}`).toBe(node);
        expect(index.valuePos(path), `${file}: ${path}`).toBe(node.pos);
        expect(index.keyPos(path), `${file}: ${path}`).toBe('kind' in expected ? node.pos : expected.keyPos);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2_000);
  });

  it('resolves a duplicated key to its last occurrence, as normalization does', () => {
    const root = spec('jobs:\n  a:\n    x: 1\n  a:\n    x: 2\n');
    const index = new SourceIndex(root);
    expect(index.valuePos('jobs.a.x')).toEqual({ line: 5, column: 8 });
    expect(index.keyPos('jobs.a')).toEqual({ line: 4, column: 3 });
  });

  it('finds keys that hold dots and brackets, in small and in large mappings', () => {
    const many = Array.from({ length: 20 }, (_, position) => `  k${position}: ${position}\n`).join('');
    for (const body of ['', many]) {
      const root = spec(`env:\n${body}  a.b: 1\n  c[0]: 2\n  d:\n    - e.f: 3\n`);
      const index = new SourceIndex(root);
      expect(index.node('env.a.b')).toMatchObject({ kind: 'scalar', value: 1 });
      expect(index.node('env.c[0]')).toMatchObject({ kind: 'scalar', value: 2 });
      expect(index.node('env.d[0].e.f')).toMatchObject({ kind: 'scalar', value: 3 });
    }
  });

  it('finds nothing for paths the tree does not have, and points at the closest enclosing value', () => {
    const index = new SourceIndex(spec('jobs:\n  a:\n    steps:\n      - run: x\n'));
    for (const path of ['jobs.b', 'jobs.a.steps[1]', 'jobs.a.steps[01]', 'jobs.a.steps[-1]', 'jobs.a.steps[x]', 'jobs.a.steps.0', 'jobs.a.steps[0', 'jobs.a.steps[0].run.x', 'jobs..a', 'x']) {
      expect(index.node(path), path).toBeUndefined();
    }
    expect(index.valuePos('jobs.a.steps[1].run')).toEqual({ line: 4, column: 7 });
    expect(index.valuePos('jobs.a.nothing')).toEqual({ line: 3, column: 5 });
    expect(new SourceIndex(undefined).valuePos('jobs')).toEqual({ line: 1, column: 1 });
  });
});
