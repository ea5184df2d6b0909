import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, type EvalContext } from '../../lib/expressions';
import { errorOf } from './helpers';

const run = (source: string, contexts: Record<string, unknown> = {}, status?: EvalContext['status']): unknown =>
  evaluate(parseExpression(source), { contexts, ...(status ? { status } : {}) });

describe('comparison operators (loose, GitHub documentation table)', () => {
  it.each<[string, boolean]>([
    ['null == 0', true],
    ["'' == 0", true],
    ["'' == null", true],
    ["'abc' == 'ABC'", true],
    ["1 == '1'", true],
    ['true == 1', true],
    ["true == 'true'", false],
    ["'0x10' == 16", true],
    ['NaN == NaN', false],
    ['NaN != NaN', true],
    ["'abc' != 'ABC'", false],
    ['1 < 2', true],
    ["'a' < 'B'", true],
    ["'B' > 'a'", true],
    ['2 <= 2', true],
    ["'a' <= 'A'", true],
    ["'A' >= 'a'", true],
    ['null <= null', true],
    ['null < null', false],
    ['true > false', true],
    ["'abc' < 1", false],
    ["'abc' >= 1", false],
    ['NaN <= NaN', false],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('objects and arrays are equal only to themselves', () => {
    const contexts = { a: { x: 1 }, b: { x: 1 }, list: [1] };
    expect(run('a == a', contexts)).toBe(true);
    expect(run('a == b', contexts)).toBe(false);
    expect(run('list == list', contexts)).toBe(true);
    expect(run("fromJSON('[1]') == fromJSON('[1]')", contexts)).toBe(false);
  });
});

describe('! and the logical operators', () => {
  it.each<[string, unknown]>([
    ['!true', false],
    ["!''", true],
    ['!0', true],
    ["!'0'", false],
    ['!null', true],
    ["'a' && 'b'", 'b'],
    ["0 && 'b'", 0],
    ["'' || 'default'", 'default'],
    ["null || false", false],
    ["'first' || 'second'", 'first'],
    ["inputs.tag || 'latest'", 'latest'],
    ["inputs.env == 'prod' && 'deploy' || 'skip'", 'skip'],
  ])('%s → %o', (source, expected) => {
    expect(run(source, { inputs: { env: 'dev' } })).toEqual(expected);
  });

  it('returns the operand itself, keeping its type and identity', () => {
    const config = { replicas: 3 };
    expect(run('inputs.missing || inputs.config', { inputs: { config } })).toBe(config);
  });

  it('short-circuits: the right side of a decided && or || is not evaluated', () => {
    expect(run("false && fromJSON('not json')")).toBe(false);
    expect(run("true || fromJSON('not json')")).toBe(true);
    expect(errorOf(() => run("true && fromJSON('not json')")).message).toBe(
      "fromJSON(): the argument is not valid JSON: 'not json'",
    );
  });
});

describe('contexts and property access', () => {
  const contexts = {
    matrix: { os: 'linux', 'node-version': 20, Mixed: 'exact', mixed: 'lower' },
    inputs: { regions: ['eu-west-1', 'us-east-1'], config: { '1': 'one', 'a b': 'spaced' } },
  };

  it.each<[string, unknown]>([
    ['matrix.os', 'linux'],
    ['MATRIX.OS', 'linux'],
    ["matrix['os']", 'linux'],
    ['matrix.node-version', 20],
    ['matrix.Mixed', 'exact'],
    ['matrix.mixed', 'lower'],
    ['matrix.MIXED', 'exact'],
    ['inputs.regions[1]', 'us-east-1'],
    ["inputs.regions['1']", 'us-east-1'],
    ['inputs.regions[1.9]', 'us-east-1'],
    ['inputs.regions[2]', null],
    ['inputs.regions[-1]', null],
    ["inputs.regions['x']", null],
    ['inputs.regions.length', null],
    ['inputs.config[1]', 'one'],
    ["inputs.config['a b']", 'spaced'],
    ['inputs.config[inputs.regions]', null],
    ['matrix.os.length', null],
    ['nosuchcontext', null],
    ['nosuchcontext.foo.bar', null],
  ])('%s → %o', (source, expected) => {
    expect(run(source, contexts)).toEqual(expected);
  });

  it('reads own properties only: nothing from the prototype chain', () => {
    expect(run('matrix.constructor', contexts)).toBeNull();
    expect(run("matrix['__proto__']", contexts)).toBeNull();
    expect(run('matrix.toString', contexts)).toBeNull();
    expect(run('constructor', contexts)).toBeNull();
    expect(run('hasOwnProperty', contexts)).toBeNull();
  });

  it('returns context values by reference', () => {
    expect(run('inputs.regions', contexts)).toBe(contexts.inputs.regions);
  });
});

describe('object filters (*)', () => {
  const contexts = {
    fruits: [
      { name: 'apple', quantity: 1 },
      { name: 'orange', quantity: 2 },
      { name: 'pear', quantity: 1 },
      { colour: 'no name' },
    ],
    vegetables: {
      scallions: { colors: ['green', 'white', 'red'], ediblePortions: ['roots', 'stalks'] },
      beets: { colors: ['purple', 'red', 'gold'], ediblePortions: ['roots', 'stems', 'leaves'] },
      artichokes: { colors: ['green', 'purple'], ediblePortions: ['hearts', 'stems', 'leaves'] },
    },
    needs: { build: { result: 'success' }, test: { result: 'failure' } },
  };

  it.each<[string, unknown]>([
    ['fruits.*.name', ['apple', 'orange', 'pear']],
    ['fruits[*].quantity', [1, 2, 1]],
    ['FRUITS.*.NAME', ['apple', 'orange', 'pear']],
    ['vegetables.*.ediblePortions', [['roots', 'stalks'], ['roots', 'stems', 'leaves'], ['hearts', 'stems', 'leaves']]],
    ['vegetables.*.ediblePortions.*', ['roots', 'stalks', 'roots', 'stems', 'leaves', 'hearts', 'stems', 'leaves']],
    ['vegetables.*.colors[0]', ['green', 'purple', 'green']],
    ['vegetables.*.colors[5]', []],
    ['needs.*.result', ['success', 'failure']],
    ['fruits.*.missing', []],
    ['fruits.*.name.*', []],
    ['fruits.*.name[0]', []],
    ['fruits.*[1]', []],
    ['nosuch.*', []],
    ["'text'", 'text'],
    ['inputs.*.x', []],
  ])('%s → %j', (source, expected) => {
    expect(run(source, { ...contexts, inputs: 'a string' })).toEqual(expected);
  });

  it('works with the functions that take arrays', () => {
    expect(run("contains(needs.*.result, 'FAILURE')", contexts)).toBe(true);
    expect(run("contains(vegetables.*.ediblePortions.*, 'hearts')", contexts)).toBe(true);
    expect(run("join(fruits.*.name, ', ')", contexts)).toBe('apple, orange, pear');
    expect(run('toJSON(needs.*.result)', contexts)).toBe('[\n  "success",\n  "failure"\n]');
  });

  it('a filter over an array of arrays indexes each inner array', () => {
    expect(run('rows.*[1]', { rows: [[1, 2], [3], [4, 5, 6]] })).toEqual([2, 5]);
  });
});

describe('status functions read the status given', () => {
  it.each<[EvalContext['status'], Record<string, boolean>]>([
    [undefined, { 'success()': true, 'failure()': false, 'cancelled()': false, 'always()': true }],
    ['success', { 'success()': true, 'failure()': false, 'cancelled()': false, 'always()': true }],
    ['failure', { 'success()': false, 'failure()': true, 'cancelled()': false, 'always()': true }],
    ['cancelled', { 'success()': false, 'failure()': false, 'cancelled()': true, 'always()': true }],
  ])('status %s', (status, expected) => {
    for (const [source, value] of Object.entries(expected)) expect([source, run(source, {}, status)]).toEqual([source, value]);
  });
});

describe('case() and +Infinity (GitHub functions and literals)', () => {
  it('returns the value after the first true predicate, evaluating nothing after it', () => {
    expect(run("case(inputs.env == 'prod', 'p', inputs.env == 'dev', 'd', 'other')", { inputs: { env: 'dev' } })).toBe('d');
    expect(run("case(true, 'chosen', fromJSON('not json'))")).toBe('chosen');
    expect(run("CASE(false, 1, 'default')")).toBe('default');
  });

  it('refuses a predicate that is not a boolean, naming its kind', () => {
    expect(errorOf(() => run("case('yes', 1, 2)"))).toEqual({ message: 'case() predicate must evaluate to a boolean value, got string', offset: 5 });
  });

  it('reads +Infinity as a number literal, as GitHub does', () => {
    expect(run('+Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(run("'+Infinity' == Infinity")).toBe(true);
  });
});
