import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../../lib/expressions';

const run = (source: string): unknown =>
  evaluate(parseExpression(source), {
    contexts: { labels: ['bug', 'help wanted', 3], event: { ref: 'refs/heads/Main' }, config: { a: 1 } },
  });

describe('contains, startsWith, endsWith (case-insensitive)', () => {
  it.each<[string, boolean]>([
    ["contains('Hello world', 'llo')", true],
    ["contains('Hello world', 'WORLD')", true],
    ["contains('Hello world', 'xyz')", false],
    ["contains('Hello world', '')", true],
    ["contains(labels, 'BUG')", true],
    ["contains(labels, 'help')", false],
    ["contains(labels, '3')", true],
    ['contains(labels, 3)', true],
    ["contains(fromJSON('[\"push\", \"pull_request\"]'), 'push')", true],
    ['contains(123, 2)', true],
    ["contains(true, 'ru')", true],
    ["contains(null, '')", true],
    ["contains(config, 'a')", false],
    ['contains(labels, labels)', false],
    ["contains('Array', labels)", false],
    ["startsWith(event.ref, 'refs/heads/')", true],
    ["startsWith(event.ref, 'REFS/HEADS/main')", true],
    ["startsWith(event.ref, 'refs/tags/')", false],
    ["startsWith('Hello world', 'He')", true],
    ['startsWith(12345, 12)', true],
    ["startsWith(labels, 'A')", false],
    ["endsWith('Hello world', 'ld')", true],
    ["endsWith('Hello world', 'LD')", true],
    ["endsWith('Hello world', 'lo')", false],
    ['endsWith(true, false)', false],
    ["endsWith(config, 'Object')", false],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});
