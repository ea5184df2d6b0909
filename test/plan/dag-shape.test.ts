import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWorkflow, type SpNode } from '../../lib/plan';
import { workflow } from './build-workflow';

const shape = (jobs: Record<string, string[]>) => planWorkflow(workflow(jobs)).shape;
const j = (id: string): SpNode => ({ kind: 'job', id });
const series = (...children: SpNode[]): SpNode => ({ kind: 'series', children });
const parallel = (...children: SpNode[]): SpNode => ({ kind: 'parallel', children });

describe('the shape of the job graph', () => {
  it('is a single job node for a single job', () => {
    expect(shape({ deploy: [] })).toEqual({ kind: 'series-parallel', tree: j('deploy') });
  });

  it('is a series for a chain', () => {
    expect(shape({ build: [], test: ['build'], deploy: ['test'] })).toEqual({
      kind: 'series-parallel',
      tree: series(j('build'), j('test'), j('deploy')),
    });
  });

  it('is series, parallel, series for a diamond', () => {
    expect(shape({ build: [], east: ['build'], west: ['build'], verify: ['east', 'west'] })).toEqual({
      kind: 'series-parallel',
      tree: series(j('build'), parallel(j('east'), j('west')), j('verify')),
    });
  });

  it('reads needs as a partial order: a redundant need changes nothing', () => {
    expect(shape({ build: [], east: ['build'], west: ['build'], verify: ['east', 'west', 'build'] })).toEqual(
      shape({ build: [], east: ['build'], west: ['build'], verify: ['east', 'west'] }),
    );
  });

  it('nests chains inside a fan-out and fan-in', () => {
    expect(
      shape({ build: [], 'east-1': ['build'], 'east-2': ['east-1'], west: ['build'], report: ['east-2', 'west'] }),
    ).toEqual({
      kind: 'series-parallel',
      tree: series(j('build'), parallel(series(j('east-1'), j('east-2')), j('west')), j('report')),
    });
  });

  it('puts disconnected jobs in parallel, in the file order of their first job', () => {
    expect(shape({ docs: [], build: [], deploy: ['build'], lint: [] })).toEqual({
      kind: 'series-parallel',
      tree: parallel(j('docs'), series(j('build'), j('deploy')), j('lint')),
    });
  });

  it('is general for an N, naming its four jobs', () => {
    expect(shape({ a: [], b: [], c: ['a', 'b'], d: ['b'] })).toEqual({
      kind: 'general',
      reason: "jobs 'a', 'b', 'c' and 'd' form an N: 'c' comes after 'a' and 'b', 'd' after 'b' but not after 'a'",
    });
  });

  it('finds an N nested between other jobs', () => {
    expect(
      shape({ setup: [], api: ['setup'], db: ['setup'], app: ['api', 'db'], migrate: ['db'], done: ['app', 'migrate'] }),
    ).toEqual({
      kind: 'general',
      reason: "jobs 'api', 'db', 'app' and 'migrate' form an N: 'app' comes after 'api' and 'db', 'migrate' after 'db' but not after 'api'",
    });
  });

  it('is empty for a workflow without jobs', () => {
    expect(shape({})).toEqual({ kind: 'series-parallel', tree: series() });
  });
});

// For any DAG: a series-parallel tree must hold every job once and order two jobs exactly when one
// needs the other (transitively); a general verdict must name a real N.
describe('the shape of random job graphs', () => {
  const dags = fc
    .integer({ min: 1, max: 8 })
    .chain((size) =>
      fc.record({
        edges: fc.array(fc.array(fc.boolean(), { minLength: size, maxLength: size }), { minLength: size, maxLength: size }),
        fileOrder: fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
      }),
    )
    .map(({ edges, fileOrder }) => {
      // Job i may need job k < i only: acyclic by construction; the file order is shuffled.
      const needs = (i: number): string[] => [...Array(i).keys()].filter((k) => edges[i]?.[k]).map((k) => `j${k}`);
      return Object.fromEntries(fileOrder.map((i) => [`j${i}`, needs(i)]));
    });

  it('agrees with the transitive needs', () => {
    fc.assert(
      fc.property(dags, (jobs) => {
        const before = closure(jobs);
        const less = (a: string, b: string): boolean => before.get(b)?.has(a) ?? false;
        const result = shape(jobs);
        if (result.kind === 'general') {
          const [, a, b, c, d] = /'(\w+)', '(\w+)', '(\w+)' and '(\w+)'/.exec(result.reason) ?? [];
          if (!a || !b || !c || !d) return false;
          const comparable = (x: string, y: string): boolean => less(x, y) || less(y, x);
          return less(a, c) && less(b, c) && less(b, d) && !comparable(a, d) && !comparable(a, b) && !comparable(c, d);
        }
        const leaves = leafPaths(result.tree);
        expect([...leaves.keys()].sort()).toEqual(Object.keys(jobs).sort());
        for (const [x, px] of leaves) {
          for (const [y, py] of leaves) {
            if (x !== y) expect(orderedByTree(result.tree, px, py)).toBe(less(x, y));
          }
        }
        return true;
      }),
    );
  });
});

function closure(jobs: Record<string, string[]>): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = result.get(id);
    if (known) return known;
    const set = new Set<string>();
    for (const need of jobs[id] ?? []) {
      set.add(need);
      for (const further of visit(need)) set.add(further);
    }
    result.set(id, set);
    return set;
  };
  for (const id of Object.keys(jobs)) visit(id);
  return result;
}

/** Each leaf's path of child indices from the root. */
function leafPaths(node: SpNode, path: number[] = [], out = new Map<string, number[]>()): Map<string, number[]> {
  if (node.kind === 'job') out.set(node.id, path);
  else node.children.forEach((child, index) => leafPaths(child, [...path, index], out));
  return out;
}

/** True when the tree runs x before y: their lowest common ancestor is a series, x's branch first. */
function orderedByTree(tree: SpNode, px: number[], py: number[]): boolean {
  let node = tree;
  let depth = 0;
  while (px[depth] === py[depth]) {
    if (node.kind === 'job') return false;
    const next = node.children[px[depth] ?? 0];
    if (!next) return false;
    node = next;
    depth++;
  }
  return node.kind === 'series' && (px[depth] ?? 0) < (py[depth] ?? 0);
}
