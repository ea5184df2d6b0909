// GitHub's shared expression test data (actions/languageservices, expressions/testdata), re-expressed
// in this repository's terms: each case is an expression, the contexts it reads, and either the value
// GitHub's runner gives or the kind of error it raises (parse: refused before evaluation; evaluate:
// refused while evaluating). Every case of every file applies to stepdeploy's evaluator, whose contexts
// are whatever the caller passes; `coerce_boolean.json` holds no case (it refers to a file that is not
// there).

export type Case =
  | { readonly expr: string; readonly contexts?: Record<string, unknown>; readonly value: unknown }
  | { readonly expr: string; readonly contexts?: Record<string, unknown>; readonly error: 'parse' | 'evaluate' };

const value = (expr: string, result: unknown, contexts?: Record<string, unknown>): Case => ({ expr, value: result, ...(contexts && { contexts }) });
const parseError = (expr: string, contexts?: Record<string, unknown>): Case => ({ expr, error: 'parse', ...(contexts && { contexts }) });
const evaluateError = (expr: string): Case => ({ expr, error: 'evaluate' });
/** `[expression, value]` pairs without contexts. */
const values = (pairs: readonly (readonly [string, unknown])[]): Case[] => pairs.map(([expr, result]) => value(expr, result));

const empty = { test: {} };
const emptyList = { test: [] };

const github = (ref: string, eventName: string) => ({ github: { ref, event_name: eventName } });
const pick = "case(github.ref == 'refs/heads/main', 'main', github.event_name == 'pull_request', 'pr', 'other')";

export const conformanceCases: Readonly<Record<string, readonly Case[]>> = {
  case: [
    ...values([
      ["case(true, 'first', 'default')", 'first'],
      ["case(false, 'first', 'default')", 'default'],
      ["case(true, 'first', false, 'second', 'default')", 'first'],
      ["case(false, 'first', true, 'second', 'default')", 'second'],
      ["case(false, 'first', false, 'second', 'default')", 'default'],
      ["case(1 == 1, 'equal', 'not equal')", 'equal'],
      ["case(1 == 2, 'equal', 'not equal')", 'not equal'],
      ['case(true, 123, 456)', 123],
      ['case(false, 123, 456)', 456],
      ['case(false, 0, 1)', 1],
      ['case(true, false, true)', false],
      ['case(false, false, true)', true],
      ["case(true, '', 'default')", ''],
      ["case(false, 'first', '')", ''],
      ["case(true, fromJSON('[1,2,3]'), 'default')", [1, 2, 3]],
      ["case(true, fromJSON('{\"key\":\"value\"}'), 'default')", { key: 'value' }],
      ["case(false, 'first', false, 'second', false, 'third', false, 'fourth', 'default')", 'default'],
      ["case(false, 'first', false, 'second', true, 'third', false, 'fourth', 'default')", 'third'],
    ]),
    value(pick, 'main', github('refs/heads/main', 'push')),
    value(pick, 'pr', github('refs/heads/develop', 'pull_request')),
    value(pick, 'other', github('refs/heads/develop', 'push')),
    value("case(github.event == 'pull_request', 0, 1)", 0, { github: { event: 'pull_request' } }),
    evaluateError("case('not a boolean', 'first', 'default')"),
    evaluateError("case(1, 'first', 'default')"),
    evaluateError("case(null, 'first', 'default')"),
    evaluateError("case(fromJSON('[]'), 'first', 'default')"),
    evaluateError("case(fromJSON('{}'), 'first', 'default')"),
    parseError("case(true, 'first', false, 'second')"),
  ],

  coerce_string: [
    ...values([
      ["format('{0}', null)", ''],
      ["format('{0}', true)", 'true'],
      ["format('{0}', false)", 'false'],
      ...(
        [
          ['1', '1'], ['.5', '0.5'], ['0.5', '0.5'], ['2', '2'], ['-1', '-1'], ['-.5', '-0.5'], ['-0.5', '-0.5'],
          ['-2.0', '-2'], ['0', '0'], ['0.0', '0'], ['-0', '0'], ['-0.0', '0'], ['123456.789', '123456.789'],
          ['+123456.789', '123456.789'], ['-123456.789', '-123456.789'], ['0.84551240822557006', '0.84551240822557'],
          ['1.9', '1.9'], ['1234.56', '1234.56'], ['0xff', '255'], ['0xFF', '255'], ['0o10', '8'], ['1.2e2', '120'],
          ['1.2E2', '120'], ['1.2e+2', '120'], ['1.2E+2', '120'], ['1.2e-2', '0.012'], ['1.2E-2', '0.012'],
          ['Infinity', 'Infinity'], ['-Infinity', '-Infinity'], ['NaN', 'NaN'], ["'string value'", 'string value'],
        ] as const
      ).map(([literal, text]) => [`format('{0}', ${literal})`, text] as const),
    ]),
    value("format('{0}', context)", 'Array', { context: [] }),
    value("format('{0}', context)", 'Array', { context: [1, 2, 3] }),
    value("format('{0}', context)", 'Object', { context: {} }),
    value("format('{0}', context)", 'Object', { context: { a: 1, b: 2, c: 3 } }),
  ],

  endsWith: values([
    ["endsWith('abcdef', 'def')", true],
    ["endsWith('abcdef', 'de')", false],
    ["endsWith('abcdef', '')", true],
    ["endsWith('1234', 34)", true],
    ["endsWith('true', true)", true],
    ["endsWith('false', false)", true],
    ["endsWith('asdf', null)", true],
    ["endsWith('1234', 23)", false],
    ["endsWith('true', false)", false],
    ["endsWith('asdf_ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')", true],
    ["endsWith('asdf_abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')", true],
    ...(['ς', 'Σ', 'σ'] as const).flatMap((a) =>
      (['ς', 'Σ', 'σ'] as const).filter((b) => b !== a).map((b) => [`endsWith('asdf_${a}', '${b}')`, true] as const),
    ),
    ["endsWith('asdf_ü', 'Ü')", true],
    ["endsWith('asdf_Ü', 'ü')", true],
    ["endsWith('asdf_ç', 'Ç')", true],
    ["endsWith('asdf_Ç', 'ç')", true],
    ["endsWith('asdf_i', 'İ')", false],
    ["endsWith('asdf_İ', 'i')", false],
    ["endsWith('asdf_ı', 'I')", false],
    ["endsWith('asdf_I', 'ı')", false],
    ["endsWith('asdf_АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЭЮЯ', 'абвгдежзийклмнопрстуфхцчшщьэюя')", true],
  ]),

  format: [
    ...values([
      ['format(null)', ''],
      ["format(null, 'some arg')", ''],
      ["format('')", ''],
      ["format('', 'some arg')", ''],
      ["format('123{0}456', 'abc')", '123abc456'],
      ["format('123{0}456{0}789', 'abc')", '123abc456abc789'],
      ["format('123{0}456{1}789', 'abc', 'def')", '123abc456def789'],
      ["format('{0}123', 'abc')", 'abc123'],
      ["format('123{0}', 'abc')", '123abc'],
      ["format('123{0}{1}456', 'abc', 'def')", '123abcdef456'],
      ["format('{{0}}', 'abc')", '{0}'],
      ["format('{{{{0}}}}', 'abc')", '{{0}}'],
      ["format('}}', 'abc')", '}'],
      ["format('{{', 'abc')", '{'],
      ["format('}}{{', 'abc')", '}{'],
      ["format('}}{{}}', 'abc')", '}{}'],
      ["format('{0}', Infinity)", 'Infinity'],
      ["format('{0}', -Infinity)", '-Infinity'],
      ["format('{0}', NaN)", 'NaN'],
      ["format('{0}', -0)", '0'],
      ["format('{0}', -0.0)", '0'],
    ]),
    ...[
      "format('{0')", "format('{0', '')", "format('{0}}', '')", "format('{0}}}}', '')", "format('0}')",
      "format('0}', '')", "format('{{0}')", "format('{{0}', '')", "format('{{{{0}')", "format('{{{{0}', '')",
      "format('}0{')", "format('}0{', '')", "format('}{0}')", "format('}{0}', '')", "format('{0}{', '')",
      "format('{0}')", "format('{0}{1}', 'abc')",
    ].map((expr) => parseError(expr)),
  ],

  fromJSON: [
    ...values([
      ["fromJSON('null')", null],
      ["fromJSON('true')", true],
      ["fromJSON('false')", false],
      ["fromJSON('0')", 0],
      ["fromJSON('-0')", -0],
      ["fromJSON('123456789')", 123456789],
      ["fromJSON('-123456789')", -123456789],
      ["fromJSON('1234.5')", 1234.5],
      ["fromJSON('-1234.5')", -1234.5],
      ["fromJSON('\"\"')", ''],
      ["fromJSON('\"abc\"')", 'abc'],
      ["fromJSON('\"abc''def\"')", "abc'def"],
      ["fromJSON('\"abc\\\\\\\"def\"')", 'abc\\"def'],
      ["fromJSON('[]')", []],
      ["fromJSON('[1, 2, 3]')", [1, 2, 3]],
      ["fromJSON('[[1, 2, 3], [\"abc\",\"def\",\"ghi\"], [true, false, null, [], {}]]')", [[1, 2, 3], ['abc', 'def', 'ghi'], [true, false, null, [], {}]]],
      ["fromJSON('{}')", {}],
      ["fromJSON('{\"one\": \"value one\", \"two\": \"value two\", \"three\": \"value three\"}')", { one: 'value one', two: 'value two', three: 'value three' }],
      [
        "fromJSON('{\"nested-one\": {\"one\": 1,\"two\": 2,\"three\": 3},\"nested-two\": {\"string one\": \"value one\",\"string two\": \"value two\",\"string three\": \"value three\"},\"nested-three\": {\"true\": true,\"false\": false,\"null\": null,\"array\": [],\"object\": {}}\n}')",
        {
          'nested-one': { one: 1, two: 2, three: 3 },
          'nested-two': { 'string one': 'value one', 'string two': 'value two', 'string three': 'value three' },
          'nested-three': { true: true, false: false, null: null, array: [], object: {} },
        },
      ],
    ]),
  ],

  join: [
    value("join(github.event.issue.labels.*.name, ', ')", 'bug, enhancement, help wanted', {
      github: { event: { issue: { labels: [{ name: 'bug' }, { name: 'enhancement' }, { name: 'help wanted' }] } } },
    }),
    ...values([
      ['join(null)', ''],
      ['join(true)', 'true'],
      ['join(123.456)', '123.456'],
      ["join('abc')", 'abc'],
    ]),
    value('join(myArray)', '', { myArray: [] }),
    value('join(myObject)', '', { myObject: {} }),
    value('join(myObject)', '', { myObject: { key1: 'value1' } }),
    value('join(myArray)', ',true,123.456,abc,Array,Array,Object,Object', { myArray: [null, true, 123.456, 'abc', [], ['def'], {}, { key1: 'value1' }] }),
    ...(
      [
        ['null', '_ITEM-1__ITEM-2__ITEM-3_'],
        ['true', '_ITEM-1_true_ITEM-2_true_ITEM-3_'],
        ['123.456', '_ITEM-1_123.456_ITEM-2_123.456_ITEM-3_'],
        ["' | '", '_ITEM-1_ | _ITEM-2_ | _ITEM-3_'],
      ] as const
    ).map(([separator, text]) => value(`join(myArray, ${separator})`, text, { myArray: ['_ITEM-1_', '_ITEM-2_', '_ITEM-3_'] })),
    value('join(myArray, mySeparator)', '_ITEM-1_,_ITEM-2_,_ITEM-3_', { myArray: ['_ITEM-1_', '_ITEM-2_', '_ITEM-3_'], mySeparator: [] }),
    value('join(myArray, mySeparator)', '_ITEM-1_,_ITEM-2_,_ITEM-3_', { myArray: ['_ITEM-1_', '_ITEM-2_', '_ITEM-3_'], mySeparator: {} }),
    parseError('join()'),
    parseError('join(1, 2, 3)'),
  ],

  op_dot: [
    ...(['bar', 'Bar', 'b', '_', '_bar', 'b_ar', 'b-ar'] as const).map((key) => value(`foo.${key}`, 'baz', { foo: { [key]: 'baz' } })),
    value("fromJson('{\"one\": \"one val\"}').one", 'one val'),
    value("(fromJson('{\"one\": \"one val\"}')).one", 'one val'),
    value('foo[*]', ['one val', 'two val'], { foo: { one: 'one val', two: 'two val' } }),
    value('foo.bar', 'baz', { foo: { BAR: 'baz' } }),
    value('foo.BAR', 'baz', { foo: { bar: 'baz' } }),
    ...(['true', 'false', 'Infinity', 'NaN', 'null', 'format'] as const).map((key) => value(`foo.${key}`, `it's ${key}`, { foo: { [key]: `it's ${key}` } })),
    parseError('foo.b@r', { foo: { 'b@r': 'baz' } }),
    parseError('foo.1', { foo: {} }),
    parseError("fromjson('').1"),
    parseError('foo[1].2', { foo: {} }),
  ],

  op_gt: [
    ...values([
      ['false > true', false], ['false > false', false], ['true > false', true], ['true > true', false],
      ['1 > 2', false], ['1 > 1', false], ['2 > 1', true], ['1.002 > 1.001', true],
      ["'def' > 'abc'", true], ["'a' > 'b'", false],
      ['false > 0', false], ['false > -11', true], ['true > 1', false], ['true > 0', true],
      ['false > NaN', false], ['true > NaN', false], ['false > Infinity', false], ['true > Infinity', false],
      ['false > -Infinity', true], ['true > -Infinity', true],
      ["false > '0'", false], ["false > '-1'", true], ["true > '1'", false], ["true > '0'", true],
      ['false > null', false], ['true > null', true],
      ['1 > false', true], ['0 > false', false], ['2 > true', true], ['1 > true', false],
      ['NaN > false', false], ['NaN > true', false], ['Infinity > false', true], ['Infinity > true', true],
      ['-Infinity > false', false], ['-Infinity > true', false],
      ["0 > ' 0 '", false], ["0 > ' -1 '", true], ["1 > ' 1 '", false], ["1 > ' 0 '", true],
      ['1 > null', true], ['0 > null', false],
      ["'0' > false", false], ["'1' > false", true], ["'1' > true", false], ["'2' > true", true],
      ["' 0 ' > -1", true], ["' 0 ' > 0", false], ["' 1 ' > 0", true], ["' 1 ' > 1", false],
      ["'' > null", false], ["'1' > null", true],
      ['null > false', false], ['null > true', false], ['null > 0', false], ['null > -1', true],
      ["null > ' 0 '", false], ["null > ' -1 '", true],
    ]),
    ...['test > test', 'false > test', 'true > test', '0 > test', '1 > test', "'' > test", 'null > test'].flatMap((expr) => [
      value(expr, false, empty),
      value(expr, false, emptyList),
    ]),
  ],

  op_lt: [
    ...values([
      ['false < true', true], ['false < false', false], ['true < false', false], ['true < true', false],
      ['1 < 2', true], ['1 < 1', false], ['2 < 1', false], ['1.001 < 1.002', true],
      ["'abc' < 'def'", true], ["'b' < 'a'", false],
      ['false < 0', false], ['false < 1', true], ['true < 1', false], ['true < 2', true],
      ['false < NaN', false], ['true < NaN', false], ['false < Infinity', true], ['true < Infinity', true],
      ['false < -Infinity', false], ['true < -Infinity', false],
      ["false < '0'", false], ["false < '1'", true], ["true < '1'", false], ["true < '2'", true],
      ['false < null', false], ['true < null', false],
      ['-1 < false', true], ['0 < false', false], ['0 < true', true], ['1 < true', false],
      ['NaN < false', false], ['NaN < true', false], ['Infinity < false', false], ['Infinity < true', false],
      ['-Infinity < false', true], ['-Infinity < true', true],
      ["0 < ' 0 '", false], ["0 < ' 1 '", true], ["1 < ' 1 '", false], ["1 < ' 2 '", true],
      ['-1 < null', true], ['0 < null', false],
      ["'0' < false", false], ["'-1' < false", true], ["'1' < true", false], ["'0' < true", true],
      ["' 0 ' < 1", true], ["' 0 ' < 0", false], ["' 1 ' < 2", true], ["' 1 ' < 1", false],
      ["'' < null", false], ["'-1' < null", true],
      ['null < false', false], ['null < true', true], ['null < 0', false], ['null < 1', true],
      ["null < ' 0 '", false], ["null < ' 1 '", true],
    ]),
    ...['test < test', 'false < test', 'true < test', '0 < test', '-1 < test', "'' < test", 'null < test'].flatMap((expr) => [
      value(expr, false, empty),
      value(expr, false, emptyList),
    ]),
  ],

  op_or: values([
    ['true || true || true', true], ['true || true', true], ['true || true || false', true], ['true || false', true],
    ['false || true', true], ['false || false', false], ['0 || 0 || 2 || 3', 2], ['false || 0', 0],
    ["false || '' || 'a' || 'b'", 'a'], ["false || ''", ''], ['null || true', true], ['false || null', null],
  ]),

  operators_case_insensitive: [
    ...comparisons('abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'equal'),
    ...comparisons('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz', 'equal'),
    ...comparisons('A', '[', 'less'),
    ...comparisons('a', '[', 'less'),
    ...comparisons('ς', 'Σ', 'equal'),
    ...comparisons('ς', 'σ', 'equal'),
    ...comparisons('Σ', 'σ', 'equal'),
    ...comparisons('ü', 'Ü', 'equal'),
    ...comparisons('Ü', 'ü', 'equal'),
    ...comparisons('ç', 'Ç', 'equal'),
    ...comparisons('Ç', 'ç', 'equal'),
    ...comparisons('i', 'İ', 'less'),
    ...comparisons('İ', 'i', 'greater'),
    ...comparisons('ı', 'I', 'greater'),
    ...comparisons('I', 'ı', 'less'),
    value("'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЭЮЯ' == 'абвгдежзийклмнопрстуфхцчшщьэюя'", true),
  ],

  operators_precedence: [
    value('foo.bar.baz', 2, { foo: { bar: { baz: 2 } } }),
    value('!foo.bar', false, { foo: { bar: true } }),
    value('(!foo).bar', null, { foo: { bar: true } }),
    value('3 > foo.bar', true, { foo: { bar: 2 } }),
    value('foo.bar > 2', true, { foo: { bar: 3 } }),
    value("3 > foo['bar']", true, { foo: { bar: 2 } }),
    value("foo['bar'] > 2", true, { foo: { bar: 3 } }),
    ...values([
      ['!2 < 3', true], ['!(2 < 3)', false],
      ['3 < 2 < 1', true], ['3 < (2 < 1)', false],
      ['3 < 2 <= 1', true], ['3 < (2 <= 1)', false],
      ['3 <= 2 < 1', true], ['3 <= (2 < 1)', false],
      ['0 > 0 < 1', true], ['0 > (0 < 1)', false],
      ['2 > 2 > 0', false], ['2 > (2 > 0)', true],
      ['2 <= 3 == true', true], ['2 <= (3 == true)', false],
      ['2 == 2 == 1', true], ['2 == (2 == 1)', false],
      ['2 == 2 != 0', true], ['2 == (2 != 0)', false],
      ['1 == 1 && 2', 2], ['1 == (1 && 2)', false],
      ["'a' == 'a' && 'b'", 'b'], ["'a' == ('a' && 'b')", false],
      ['false && 0 || null', null], ['false && (0 || null)', false],
      ['1 || 2 && 3', 1], ['(1 || 2) && 3', 3],
    ]),
  ],

  tojson: [
    ...values([
      ['tojson(null)', 'null'],
      ['tojson(true)', 'true'],
      ['tojson(false)', 'false'],
      ['tojson(0)', '0'],
      ['tojson(-0)', '0'],
      ['tojson(123456789)', '123456789'],
      ['tojson(-123456789)', '-123456789'],
      ['tojson(1234.5)', '1234.5'],
      ['tojson(-1234.5)', '-1234.5'],
      ["tojson('')", '""'],
      ["tojson('abc')", '"abc"'],
      ["tojson('abc''def')", '"abc\'def"'],
      ["tojson('abc\\\"def')", '"abc\\\\\\"def"'],
    ]),
    value('tojson(emptyArray)', '[]', { emptyArray: [] }),
    value('tojson(emptyObject)', '{}', { emptyObject: {} }),
    value('tojson(myArray)', '[]', { myArray: [] }),
    value('tojson(myArray)', '[\n  1,\n  2,\n  3\n]', { myArray: [1, 2, 3] }),
    value(
      'tojson(myArray)',
      '[\n  [\n    1,\n    2,\n    3\n  ],\n  [\n    "abc",\n    "def",\n    "ghi"\n  ],\n  [\n    true,\n    false,\n    null,\n    [],\n    {}\n  ]\n]',
      { myArray: [[1, 2, 3], ['abc', 'def', 'ghi'], [true, false, null, [], {}]] },
    ),
    value('tojson(myObject)', '{}', { myObject: {} }),
    value('tojson(myObject)', '{\n  "one": "value one",\n  "two": "value two",\n  "three": "value three"\n}', {
      myObject: { one: 'value one', two: 'value two', three: 'value three' },
    }),
    value(
      'tojson(myObject)',
      '{\n  "nested-one": {\n    "one": 1,\n    "two": 2,\n    "three": 3\n  },\n  "nested-two": {\n    "string one": "value one",\n    "string two": "value two",\n    "string three": "value three"\n  },\n  "nested-three": {\n    "true": true,\n    "false": false,\n    "null": null,\n    "array": [],\n    "object": {}\n  }\n}',
      {
        myObject: {
          'nested-one': { one: 1, two: 2, three: 3 },
          'nested-two': { 'string one': 'value one', 'string two': 'value two', 'string three': 'value three' },
          'nested-three': { true: true, false: false, null: null, array: [], object: {} },
        },
      },
    ),
  ],
};

/** The six comparisons of two string literals, given how the first orders against the second. */
function comparisons(left: string, right: string, order: 'less' | 'equal' | 'greater'): Case[] {
  const results = {
    '==': order === 'equal',
    '!=': order !== 'equal',
    '<': order === 'less',
    '<=': order !== 'greater',
    '>': order === 'greater',
    '>=': order !== 'less',
  };
  return Object.entries(results).map(([operator, result]) => value(`'${left}' ${operator} '${right}'`, result));
}
