import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, type ExprNode } from '../../lib/expressions';
import { errorOf } from './helpers';

/** The tree without spans, in a compact prefix notation that reads like the precedence it shows. */
function shape(node: ExprNode): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'context':
      return node.name;
    case 'property':
      return `${shape(node.object)}.${node.name}`;
    case 'index':
      return `${shape(node.object)}[${shape(node.index)}]`;
    case 'filter':
      return `${shape(node.object)}.*`;
    case 'not':
      return `(! ${shape(node.operand)})`;
    case 'comparison':
      return `(${node.operator} ${shape(node.left)} ${shape(node.right)})`;
    case 'logical':
      return `(${node.operator} ${node.operands.map(shape).join(' ')})`;
    case 'call':
      return `${node.name}(${node.args.map(shape).join(', ')})`;
  }
}

describe('literals (GitHub documentation examples)', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['false', false],
    ['true', true],
    ['711', 711],
    ['-9.2', -9.2],
    ['0xff', 255],
    ['-2.99e-2', -0.0299],
    ['0o17', 15],
    ['.5', 0.5],
    ['+3', 3],
    ['1E3', 1000],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ["'Mona the Octocat'", 'Mona the Octocat'],
    ["'It''s open source!'", "It's open source!"],
    ["''", ''],
    ["''''", "'"],
  ])('%s', (source, value) => {
    expect(parseExpression(source)).toEqual({ kind: 'literal', value, start: 0, end: source.length });
  });

  it('NaN is a literal', () => {
    const node = parseExpression('NaN');
    expect(node.kind === 'literal' && Number.isNaN(node.value)).toBe(true);
  });

  it('keywords are case-sensitive: True is a context name', () => {
    expect(parseExpression('True')).toEqual({ kind: 'context', name: 'True', start: 0, end: 4 });
  });
});

describe('precedence and grouping', () => {
  it.each<[string, string]>([
    ['a || b && c', '(|| a (&& b c))'],
    ['a && b || c && d', '(|| (&& a b) (&& c d))'],
    ['a && b && c', '(&& a b c)'],
    ['(a || b) && c', '(&& (|| a b) c)'],
    ['a == b && c != d', '(&& (== a b) (!= c d))'],
    ['a < b == c >= d', '(== (< a b) (>= c d))'],
    ['a == b == c', '(== (== a b) c)'],
    ['!a == b', '(== (! a) b)'],
    ['!!a', '(! (! a))'],
    ['!a.b[0]', '(! a.b[0])'],
    ["a.b['c'].*.d", 'a.b["c"].*.d'],
    ['a[*].b', 'a.*.b'],
    ['steps.my-step.outputs.url', 'steps.my-step.outputs.url'],
    ['a.null.true', 'a.null.true'],
    ["fromJSON('{}').a", 'fromJSON("{}").a'],
    ['(a).b', 'a.b'],
    ['TOJSON(a)', 'toJSON(a)'],
    ['contains( a , b )', 'contains(a, b)'],
    ['a[b[0]]', 'a[b[0]]'],
  ])('%s parses as %s', (source, expected) => {
    expect(shape(parseExpression(source))).toBe(expected);
  });

  it('|| binds looser than &&: true || false && false is true', () => {
    expect(evaluate(parseExpression('true || false && false'), { contexts: {} })).toBe(true);
  });

  it('&& binds looser than ==: false && true == false is false', () => {
    expect(evaluate(parseExpression('false && true == false'), { contexts: {} })).toBe(false);
  });

  it('records spans in the source', () => {
    expect(parseExpression(' inputs.region ')).toEqual({
      kind: 'property',
      object: { kind: 'context', name: 'inputs', start: 1, end: 7 },
      name: 'region',
      start: 1,
      end: 14,
    });
  });
});

describe('syntax errors name the token and the offset', () => {
  it.each<[string, string, number]>([
    ['success)', "unexpected token ')' at offset 7", 7],
    ['a == b)', "unexpected token ')' at offset 6", 6],
    ['a ==', 'unexpected end of expression at offset 4', 4],
    ['a.', 'unexpected end of expression at offset 2', 2],
    ['a.1', "unexpected token '1' at offset 2", 2],
    ['a b', "unexpected token 'b' at offset 2", 2],
    ['()', "unexpected token ')' at offset 1", 1],
    ["'abc'.length", "unexpected token '.' at offset 5", 5],
    ["'abc'[0]", "unexpected token '[' at offset 5", 5],
    ['a[0', "expected ']' but found end of expression at offset 3", 3],
    ['(a', "expected ')' but found end of expression at offset 2", 2],
    ['contains(a, b', "expected ')' but found end of expression at offset 13", 13],
    ['contains(a b)', "expected ')' but found 'b' at offset 11", 11],
    ["'abc", 'unterminated string at offset 0', 0],
    ["a == 'it''s", 'unterminated string at offset 5', 5],
    ['"abc"', `unexpected character '"' (strings use single quotes) at offset 0`, 0],
    ['1.2.3', "invalid number '1.2.3' at offset 0", 0],
    ['12abc', "invalid number '12abc' at offset 0", 0],
    ['a - b', "invalid number '-' at offset 2", 2],
    ['a = b', "unexpected token '=' at offset 2", 2],
    ['a & b', "unexpected token '&' at offset 2", 2],
    ['$a', "unexpected token '$a' at offset 0", 0],
    ['', 'empty expression at offset 0', 0],
    ['   ', 'empty expression at offset 0', 0],
  ])('%j → %s', (source, message, offset) => {
    expect(errorOf(() => parseExpression(source))).toEqual({ message, offset });
  });

  it('refuses nesting deeper than 50 levels, at the opening that goes too deep', () => {
    const ok = `${'('.repeat(50)}1${')'.repeat(50)}`;
    expect(evaluate(parseExpression(ok), { contexts: {} })).toBe(1);
    const deep = `${'('.repeat(51)}1${')'.repeat(51)}`;
    expect(errorOf(() => parseExpression(deep))).toEqual({
      message: 'expression nested more than 50 levels deep at offset 50',
      offset: 50,
    });
  });

  it.each<[string, (levels: number) => string, number]>([
    ['property chains', (levels) => `a${'.b'.repeat(levels - 1)}`, 99],
    ['comparison chains', (levels) => Array.from({ length: levels }, () => 'a').join('=='), 148],
    ['index chains', (levels) => `a${'[0]'.repeat(levels - 1)}`, 148],
    ['negations', (levels) => `${'!'.repeat(levels - 1)}a`, 0],
  ])('refuses %s deeper than 50 levels (so evaluation never exhausts the stack)', (_, build, offset) => {
    expect(evaluate(parseExpression(build(50)), { contexts: {} })).not.toBeUndefined();
    expect(errorOf(() => parseExpression(build(51)))).toEqual({
      message: `expression nested more than 50 levels deep at offset ${offset}`,
      offset,
    });
    expect(errorOf(() => parseExpression(build(20_000))).message).toMatch(/^expression nested more than 50 levels deep/);
  });

  it('parses a long flat chain without nesting', () => {
    const source = Array.from({ length: 500 }, (_, i) => `a${i}`).join(' && ');
    const node = parseExpression(source);
    expect(node.kind === 'logical' && node.operands.length).toBe(500);
  });
});

describe('function names are checked when parsing', () => {
  it.each<[string, string, number]>([
    ['contians(a, b)', "unknown function 'contians' — did you mean 'contains'?", 0],
    ['a || startswith2(a, b)', "unknown function 'startswith2' — did you mean 'startsWith'?", 5],
    ['tojsn(a)', "unknown function 'tojsn' — did you mean 'toJSON'?", 0],
    ['frobnicate()', "unknown function 'frobnicate'", 0],
    ["hashFiles('**/package-lock.json')", 'hashFiles() is not supported: stepdeploy has no checkout', 0],
    ["HASHFILES('x')", 'hashFiles() is not supported: stepdeploy has no checkout', 0],
    ['contains(a)', 'contains() takes 2 arguments, got 1', 0],
    ['startsWith(a, b, c)', 'startsWith() takes 2 arguments, got 3', 0],
    ['join()', 'join() takes 1 to 2 arguments, got 0', 0],
    ['format()', 'format() takes at least 1 argument, got 0', 0],
    ['toJSON()', 'toJSON() takes 1 argument, got 0', 0],
    ['!always(1)', 'always() takes 0 arguments, got 1', 1],
    ['case(true, 1, false, 2)', 'case() takes an odd number of arguments (predicate, value pairs, then a default), got 4', 0],
    ["format('{0} {1}', a)", "format(): format string '{0} {1}' refers to {1} but only 1 argument follows it", 7],
    ["format('{0}')", "format(): format string '{0}' refers to {0} but no argument follows it", 7],
    [
      "format('{', a)",
      "format(): invalid format string '{' (use {0}, {1}, … for arguments and {{ or }} for literal braces)",
      7,
    ],
  ])('%s → %s', (source, message, offset) => {
    expect(errorOf(() => parseExpression(source))).toEqual({ message, offset });
  });
});
