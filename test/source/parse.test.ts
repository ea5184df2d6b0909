import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../lib/source/parse';
import type { SpecMap, SpecNode } from '../../lib/source/tree';

const entry = (node: SpecNode | undefined, key: string): SpecNode => {
  const found = (node as SpecMap).entries.find((item) => item.key === key);
  if (!found) throw new Error(`no key ${key}`);
  return found.value;
};

describe('parseSpec', () => {
  it('gives every key and value its 1-based line and column', () => {
    const { root, errors } = parseSpec('on: push\njobs:\n  build:\n    needs: [a, "b"]\n');
    expect(errors).toEqual([]);
    const jobs = root as SpecMap;
    expect(jobs.entries.map((item) => [item.key, item.keyPos])).toEqual([
      ['on', { line: 1, column: 1 }],
      ['jobs', { line: 2, column: 1 }],
    ]);
    const build = entry(entry(root, 'jobs'), 'build') as SpecMap;
    expect(build.entries[0]?.keyPos).toEqual({ line: 4, column: 5 });
    const needs = entry(build, 'needs');
    expect(needs.kind === 'seq' && needs.items.map((item) => [item.kind === 'scalar' && item.value, item.pos])).toEqual([
      ['a', { line: 4, column: 13 }],
      ['b', { line: 4, column: 16 }],
    ]);
  });

  it('keeps scalar types and styles (YAML 1.2: on is a string, yes is a string)', () => {
    const { root } = parseSpec('a: 1\nb: true\nc: yes\nd: "x"\ne: |\n  text\nf:\n');
    const scalar = (key: string) => entry(root, key);
    expect(scalar('a')).toMatchObject({ value: 1, style: 'plain' });
    expect(scalar('b')).toMatchObject({ value: true });
    expect(scalar('c')).toMatchObject({ value: 'yes' });
    expect(scalar('d')).toMatchObject({ value: 'x', style: 'double', source: '"x"' });
    expect(scalar('e')).toMatchObject({ value: 'text\n', style: 'literal' });
    expect(scalar('f')).toMatchObject({ value: null, pos: { line: 7, column: 3 } });
  });

  it('reports syntax errors with their position', () => {
    const { errors } = parseSpec('jobs:\n  build: [a, b\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'yaml-syntax', path: '' });
    expect(errors.every((error) => error.pos.line >= 1 && error.pos.column >= 1)).toBe(true);
  });

  it('reports every duplicated key with its path', () => {
    const { errors } = parseSpec('jobs:\n  a:\n    x: 1\n    x: 2\n  a: {}\n');
    expect(errors).toEqual([
      { code: 'duplicate-key', pos: { line: 4, column: 5 }, path: 'jobs.a.x', message: "jobs.a.x: duplicate key 'x' (a key may appear only once in a mapping)" },
      { code: 'duplicate-key', pos: { line: 5, column: 3 }, path: 'jobs.a', message: "jobs.a: duplicate key 'a' (a key may appear only once in a mapping)" },
    ]);
  });

  it('expands aliases, and stops a self-referencing or exploding document', () => {
    expect(entry(parseSpec('a: &x [1]\nb: *x\n').root, 'b')).toMatchObject({ kind: 'seq' });
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      laughs.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    }
    const { errors } = parseSpec(laughs.join('\n'));
    expect(errors.map((error) => error.message)).toEqual([
      'document too large or too deeply nested after expanding aliases (limits: 100000 nodes, depth 64)',
    ]);
  });

  it('has no root for an empty document', () => {
    expect(parseSpec('# only a comment\n')).toEqual({ errors: [] });
  });
});
