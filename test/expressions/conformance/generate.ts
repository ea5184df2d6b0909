import fc from 'fast-check';

// Random expressions over GitHub's whole grammar: literals of every kind (hex, octal, exponents, NaN,
// Infinity, quoted quotes), context reads with property, index and filter access, every operator,
// grouping, and every function that needs no runner (status functions and hashFiles excluded).

export const oracleContexts = {
  ctx: {
    s: 'Abc',
    e: '',
    n: 3,
    z: 0,
    t: true,
    f: false,
    nul: null,
    num: '12',
    arr: [1, 'a', null, { k: 'v' }],
    obj: { k: 'v', K2: 2, nested: { a: [1, 2] } },
    list: ['x', 'y'],
    json: '{"a":[1,"b"]}',
    fmt: '{0}-{1}',
  },
} as const;

const numbers = ['0', '1', '-1', '2.5', '.5', '-0', '0xff', '0o17', '1e3', '-2.5e-3', '1e15', 'NaN', 'Infinity', '-Infinity', '+Infinity'];
const strings = ["''", "'abc'", "'ABC'", "'1'", "' 2 '", "'0x10'", "'true'", "'it''s'", "'{0}'", "'{'", "'[1,2]'", "'{\"a\":1}'", "'null'", "'Infinity'", "'a,b'"];
const keywords = ['true', 'false', 'null'];
const reads = [
  'ctx.s', 'ctx.e', 'ctx.n', 'ctx.z', 'ctx.t', 'ctx.f', 'ctx.nul', 'ctx.num', 'ctx.arr', 'ctx.obj', 'ctx.list', 'ctx.json', 'ctx.fmt',
  'ctx.arr[0]', 'ctx.arr[3].k', "ctx['s']", 'ctx.OBJ.k2', 'ctx.obj.*', 'ctx.arr.*.k', 'ctx.obj.nested.a[1]', 'ctx.missing', 'ctx.list[*]',
  'ctx.obj.nested.*.*', 'ctx.arr[-1]', 'ctx.arr[1.7]', "ctx.obj['K2']",
];
const comparisons = ['==', '!=', '<', '<=', '>', '>='];

export const expressionArbitrary: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...numbers, ...strings, ...keywords, ...reads),
    tie('expr').map((operand) => `!${operand}`),
    fc.tuple(tie('expr'), fc.constantFrom(...comparisons), tie('expr')).map(([left, operator, right]) => `${left} ${operator} ${right}`),
    fc.tuple(tie('expr'), fc.constantFrom('&&', '||'), tie('expr')).map(([left, operator, right]) => `${left} ${operator} ${right}`),
    tie('expr').map((inner) => `(${inner})`),
    fc.tuple(tie('expr'), tie('expr')).map(([object, index]) => `(${object})[${index}]`),
    fc.tuple(fc.constantFrom('contains', 'startsWith', 'endsWith', 'join'), tie('expr'), tie('expr')).map(([name, a, b]) => `${name}(${a}, ${b})`),
    fc.tuple(fc.constantFrom('toJSON', 'fromJSON', 'join'), tie('expr')).map(([name, a]) => `${name}(${a})`),
    fc.tuple(fc.constantFrom("'{0}'", "'<{1}|{0}>'", "'{{0}}'", "'{0}{2}'", 'ctx.fmt'), tie('expr'), tie('expr')).map(([pattern, a, b]) => `format(${pattern}, ${a}, ${b})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([predicate, then, otherwise]) => `case(${predicate}, ${then}, ${otherwise})`),
  ),
})).expr;
