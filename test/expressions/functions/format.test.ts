import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../../lib/expressions';
import { errorOf } from '../helpers';

const contexts = { inputs: { template: '{0}-{1}', broken: 'oops {', count: 3, tags: ['a'], ok: true } };
const run = (source: string): unknown => evaluate(parseExpression(source), { contexts });

describe('format', () => {
  it.each<[string, string]>([
    ["format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", 'Hello Mona the Octocat'],
    ["format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')", '{Hello Mona the Octocat!}'],
    ["format('{0}{0}{1}', 'a', 'b')", 'aab'],
    ["format('{1} before {0}', 'a', 'b')", 'b before a'],
    ["format('{{0}}', 'unused')", '{0}'],
    ["format('}}{{')", '}{'],
    ["format('no placeholders')", 'no placeholders'],
    ["format('')", ''],
    ["format('{0}|{1}|{2}|{3}|{4}', null, true, 1.50, inputs.tags, inputs)", '|true|1.5|Array|Object'],
    ["format('{0}', 1e15)", '1E+15'],
    ["format(inputs.template, 'x', 'y')", 'x-y'],
    ["format(inputs.count, 'ignored')", '3'],
  ])('%s → %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each<[string, string]>([
    [
      "format(inputs.broken, 'x')",
      "format(): invalid format string 'oops {' (use {0}, {1}, … for arguments and {{ or }} for literal braces)",
    ],
    [
      "format(inputs.template, 'x')",
      "format(): format string '{0}-{1}' refers to {1} but only 1 argument follows it",
    ],
  ])('a format string known only at run time is checked then: %s', (source, message) => {
    expect(errorOf(() => run(source))).toEqual({ message, offset: 0 });
  });

  it.each<[string]>([["format('{0:D}', 1)"], ["format('{ 0}', 1)"], ["format('{x}', 1)"], ["format('a } b')"], ["format('{0', 1)"]])(
    'rejects a malformed literal format string when parsing: %s',
    (source) => {
      expect(errorOf(() => parseExpression(source)).message).toMatch(/^format\(\): invalid format string '/);
    },
  );
});
