import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../../lib/expressions';
import { errorOf } from '../helpers';

const contexts = {
  job: { status: 'success', services: {} },
  inputs: { matrix: '{"region":["eu-west-1","us-east-1"]}', count: '3', flag: 'true', bad: '{"a":' },
};
const run = (source: string): unknown => evaluate(parseExpression(source), { contexts });

describe('toJSON', () => {
  it.each<[string, string]>([
    ['toJSON(job)', '{\n  "status": "success",\n  "services": {}\n}'],
    ["toJSON('text')", '"text"'],
    ['toJSON(1.5)', '1.5'],
    ['toJSON(true)', 'true'],
    ['toJSON(null)', 'null'],
    ['toJSON(nosuch)', 'null'],
    ["toJSON(fromJSON('[1,[2]]'))", '[\n  1,\n  [\n    2\n  ]\n]'],
  ])('%s → %j', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});

describe('fromJSON', () => {
  it.each<[string, unknown]>([
    ['fromJSON(inputs.count)', 3],
    ['fromJSON(inputs.flag)', true],
    ["fromJSON('null')", null],
    ["fromJSON('\"s\"')", 's'],
    ['fromJSON(inputs.matrix)', { region: ['eu-west-1', 'us-east-1'] }],
    ['fromJSON(inputs.matrix).REGION[1]', 'us-east-1'],
    ['fromJSON(toJSON(job)).status', 'success'],
    ['fromJSON(42)', 42],
    ['fromJSON(inputs.count) > 2', true],
  ])('%s → %o', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    ['fromJSON(inputs.bad)', `fromJSON(): the argument is not valid JSON: '{"a":'`, 0],
    ["fromJSON('')", "fromJSON(): the argument is not valid JSON: ''", 0],
    ['fromJSON(nosuch)', "fromJSON(): the argument is not valid JSON: ''", 0],
    ["1 == fromJSON('nope')", "fromJSON(): the argument is not valid JSON: 'nope'", 5],
    [`fromJSON('${'x'.repeat(100)}')`, `fromJSON(): the argument is not valid JSON: '${'x'.repeat(60)}…'`, 0],
  ])('%s → %s', (source, message, offset) => {
    expect(errorOf(() => run(source))).toEqual({ message, offset });
  });
});
