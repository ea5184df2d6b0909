import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../../lib/expressions';

const contexts = { list: ['bug', 'help wanted'], mixed: [1, null, true, [2], { a: 1 }], one: ['x'], config: { a: 1 } };
const run = (source: string): unknown => evaluate(parseExpression(source), { contexts });

describe('join', () => {
  it.each<[string, string]>([
    ['join(list)', 'bug,help wanted'],
    ["join(list, ', ')", 'bug, help wanted'],
    ["join(list, '')", 'bughelp wanted'],
    ['join(list, 0)', 'bug0help wanted'],
    ['join(list, null)', 'bughelp wanted'],
    ['join(list, config)', 'bug,help wanted'],
    ["join(mixed, ' ')", '1  true Array Object'],
    ["join(one, '-')", 'x'],
    ["join(fromJSON('[]'), '-')", ''],
    ["join('abc', '-')", 'abc'],
    ['join(12.50)', '12.5'],
    ['join(null)', ''],
    ['join(config)', ''],
  ])('%s → %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});
