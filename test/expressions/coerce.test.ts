import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, isTruthy, lessThan, looseEquals, parseNumber, toDisplayString, toNumber } from '../../lib/expressions/coerce';

describe('isTruthy', () => {
  it.each<[unknown, boolean]>([
    [false, false],
    [0, false],
    [-0, false],
    ['', false],
    [null, false],
    [undefined, false],
    [Number.NaN, false],
    [true, true],
    [1, true],
    [-1, true],
    ['0', true],
    ['false', true],
    [[], true],
    [{}, true],
  ])('%o is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });
});

describe('toDisplayString', () => {
  it.each<[unknown, string]>([
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    [false, 'false'],
    ['text', 'text'],
    [[1, 2], 'Array'],
    [{ a: 1 }, 'Object'],
    [711, '711'],
  ])('%o → %j', (value, expected) => {
    expect(toDisplayString(value)).toBe(expected);
  });
});

describe('formatNumber prints numbers as GitHub does (.NET G15)', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '0'],
    [1.5, '1.5'],
    [-9.2, '-9.2'],
    [0.1 + 0.2, '0.3'],
    [1 / 3, '0.333333333333333'],
    [123456789012345, '123456789012345'],
    [1e15, '1E+15'],
    [1234567890123456, '1.23456789012346E+15'],
    [999999999999999.9, '1E+15'],
    [0.0001, '0.0001'],
    [0.00001, '1E-05'],
    [-1.5e-7, '-1.5E-07'],
    [1e100, '1E+100'],
    [Number.MAX_VALUE, '1.79769313486232E+308'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('%d → %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('reads back what it prints, exactly for integers below 1e15', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), (n) => {
        expect(parseNumber(formatNumber(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('reads back what it prints, to 15 significant digits (below the rounding edge near the largest double)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e308, max: 1e308 }), (n) => {
        const back = parseNumber(formatNumber(n));
        // Half a unit of the 15th digit (at most 5e-15 of n), plus reading the decimal back into the nearest double (half an ulp).
        expect(Math.abs(back - n)).toBeLessThanOrEqual(Math.abs(n) * 5e-15 + Math.abs(back) * Number.EPSILON);
      }),
    );
  });
});

describe('toNumber', () => {
  it.each<[unknown, number]>([
    [null, 0],
    [true, 1],
    [false, 0],
    ['', 0],
    ['  ', 0],
    [' 12 ', 12],
    ['-.5', -0.5],
    ['1e3', 1000],
    ['+7', 7],
    ['0x1F', 31],
    ['0o17', 15],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%o → %d', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });

  it.each<[unknown]>([['abc'], ['1,000'], ['0X1F'], ['-0x1'], ['0x80000000'], ['1 2'], [[]], [{}], [[1]]])(
    '%o → NaN',
    (value) => {
      expect(toNumber(value)).toBeNaN();
    },
  );
});

describe('looseEquals (GitHub: coerce to numbers when the types differ, strings ignore case)', () => {
  const shared = { a: 1 };
  it.each<[unknown, unknown, boolean]>([
    [null, null, true],
    [null, 0, true],
    [null, '', true],
    [null, false, true],
    ['', 0, true],
    ['', false, true],
    ['abc', 'ABC', true],
    ['straße', 'STRAßE', true],
    [1, '1', true],
    [1, ' 1.0 ', true],
    [16, '0x10', true],
    [true, 1, true],
    [true, '1', true],
    [false, '0', true],
    ['true', true, false],
    ['abc', 0, false],
    [Number.NaN, Number.NaN, false],
    ['NaN', Number.NaN, false],
    [2, '2 apples', false],
    [shared, shared, true],
    [{ a: 1 }, { a: 1 }, false],
    [[], [], false],
    [{}, 'Object', false],
    [[], 0, false],
    [null, [], false],
  ])('%o == %o is %s', (left, right, expected) => {
    expect(looseEquals(left, right)).toBe(expected);
    expect(looseEquals(right, left)).toBe(expected);
  });

  it('is symmetric for any JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (left, right) => {
        expect(looseEquals(left, right)).toBe(looseEquals(right, left));
      }),
    );
  });
});

describe('lessThan', () => {
  it.each<[unknown, unknown, boolean]>([
    [1, 2, true],
    [2, 1, false],
    ['a', 'B', true],
    ['B', 'a', false],
    ['a', 'A', false],
    [1, '2', true],
    [null, 1, true],
    [false, true, true],
    [true, false, false],
    ['abc', 1, false],
    [1, 'abc', false],
    [Number.NaN, 1, false],
    [[], [1], false],
  ])('%o < %o is %s', (left, right, expected) => {
    expect(lessThan(left, right)).toBe(expected);
  });
});
