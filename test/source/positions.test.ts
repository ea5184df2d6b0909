import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../lib/source/parse';
import { positionInScalar } from '../../lib/source/positions';
import type { SpecMap, SpecScalar } from '../../lib/source/tree';

function scalarOf(text: string): SpecScalar {
  const value = (parseSpec(text).root as SpecMap).entries[0]?.value;
  if (value?.kind !== 'scalar') throw new Error('not a scalar');
  return value;
}

/** The character the file has at a position, to check positions against the text itself. */
function charAt(text: string, position: { line: number; column: number }): string | undefined {
  return text.split('\n')[position.line - 1]?.[position.column - 1];
}

describe('positionInScalar', () => {
  it.each([
    ['plain', 'run: echo ${{ x }}\n'],
    ['single-quoted with an escaped quote', "run: 'it''s ${{ x }}'\n"],
    ['double-quoted with an escape', 'run: "a\\tb ${{ x }}"\n'],
    ['literal block', 'run: |\n  echo one\n  echo ${{ x }}\n'],
    ['indented literal block', 'job:\n  run: |\n    first\n\n    then ${{ x }}\n'],
  ])('points at the character inside a %s value', (_, text) => {
    const root = parseSpec(text).root as SpecMap;
    let node = root.entries[0]?.value;
    if (node?.kind === 'map') node = node.entries[0]?.value;
    const scalar = node as SpecScalar;
    const offset = String(scalar.value).indexOf('${{');
    const position = positionInScalar(scalar, offset);
    expect(charAt(text, position)).toBe('$');
    expect(charAt(text, { ...position, column: position.column + 4 })).toBe('x');
  });

  it('falls back to the value start for folded blocks', () => {
    const scalar = scalarOf('run: >\n  one\n  two ${{ x }}\n');
    expect(positionInScalar(scalar, 8)).toEqual(scalar.pos);
  });
});
