import { describe, expect, it } from 'vitest';
import { tokenize } from '../../lib/expressions/lexer';

const texts = (source: string): string[] => tokenize(source).map((token) => `${token.type}:${token.text}`);

describe('tokenize', () => {
  it('splits operators, longest first, and needs no spaces', () => {
    expect(texts("a<=b||!c!='x'")).toEqual([
      'identifier:a',
      'operator:<=',
      'identifier:b',
      'operator:||',
      'operator:!',
      'identifier:c',
      'operator:!=',
      "string:'x'",
      'end:',
    ]);
  });

  it('reads a dot as a number where an operand is expected, else as a dereference', () => {
    expect(texts('(.5, a.b)')).toEqual([
      'punctuation:(',
      'number:.5',
      'punctuation:,',
      'identifier:a',
      'punctuation:.',
      'identifier:b',
      'punctuation:)',
      'end:',
    ]);
  });

  it('keeps dashes in names and signs in numbers', () => {
    expect(texts('steps.my-step.outputs == -1')).toEqual([
      'identifier:steps',
      'punctuation:.',
      'identifier:my-step',
      'punctuation:.',
      'identifier:outputs',
      'operator:==',
      'number:-1',
      'end:',
    ]);
  });

  it('unescapes strings and keeps their raw text', () => {
    expect(tokenize("'It''s'")[0]).toEqual({ type: 'string', value: "It's", text: "'It''s'", start: 0, end: 7 });
  });

  it('shifts every offset by the base, the end token included', () => {
    expect(tokenize(' a[*]', 10).map((token) => [token.text, token.start, token.end])).toEqual([
      ['a', 11, 12],
      ['[', 12, 13],
      ['*', 13, 14],
      [']', 14, 15],
      ['', 15, 15],
    ]);
  });
});
