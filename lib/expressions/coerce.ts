// GitHub's value model and coercions. Values are plain JSON-like JS values: null (undefined is read
// as null), booleans, numbers, strings, arrays and objects.

export type ValueKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? 'array' : 'object';
  }
}

export function isPrimitive(value: unknown): value is null | undefined | boolean | number | string {
  const kind = kindOf(value);
  return kind !== 'array' && kind !== 'object';
}

/** GitHub: false, 0, -0, NaN, '' and null are falsy; everything else (arrays and objects too) is truthy. */
export function isTruthy(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'null':
      return false;
    case 'boolean':
      return value as boolean;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'string':
      return (value as string).length > 0;
    default:
      return true;
  }
}

/**
 * GitHub's string coercion, used when interpolating and by the string functions: null → '',
 * booleans → 'true'/'false', numbers as GitHub prints them, arrays → 'Array', objects → 'Object'.
 */
export function toDisplayString(value: unknown): string {
  switch (kindOf(value)) {
    case 'null':
      return '';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return formatNumber(value as number);
    case 'string':
      return value as string;
    case 'array':
      return 'Array';
    default:
      return 'Object';
  }
}

/**
 * A number as GitHub's runner prints it (.NET "G15"): at most 15 significant digits, no trailing
 * zeros, scientific notation (`1E+15`, `1E-05`) when the exponent is below -4 or above 14.
 * -0 prints as '0'.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (value === 0) return '0';
  // The exponent after rounding to 15 significant digits decides the notation (9.99…e14 may round up).
  const [mantissa = '', exponentText = '0'] = value.toExponential(14).split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 15) return trimFraction(value.toPrecision(15));
  const sign = exponent < 0 ? '-' : '+';
  return `${trimFraction(mantissa)}E${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const int32Max = 0x7fffffff;

/**
 * GitHub's number coercion (JavaScript's Number() in spirit): null → 0, booleans → 1/0, strings are
 * trimmed and read as decimal, `0x…` hex, `0o…` octal or ±Infinity ('' → 0), anything else → NaN;
 * arrays and objects → NaN.
 */
export function toNumber(value: unknown): number {
  switch (kindOf(value)) {
    case 'null':
      return 0;
    case 'boolean':
      return value ? 1 : 0;
    case 'number':
      return value as number;
    case 'string':
      return parseNumber(value as string);
    default:
      return Number.NaN;
  }
}

/** A string read as a number the way GitHub does (also the rule for number literals). */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (decimal.test(trimmed)) return Number(trimmed);
  // Hex and octal are unsigned 32-bit integers in GitHub's runner; larger values are not numbers.
  let integer = Number.NaN;
  if (/^0x[0-9a-fA-F]+$/.test(trimmed)) integer = Number.parseInt(trimmed.slice(2), 16);
  else if (/^0o[0-7]+$/.test(trimmed)) integer = Number.parseInt(trimmed.slice(2), 8);
  if (!Number.isNaN(integer)) return integer <= int32Max ? integer : Number.NaN;
  if (trimmed === 'Infinity' || trimmed === '+Infinity') return Number.POSITIVE_INFINITY;
  if (trimmed === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

/**
 * Case folding for GitHub's case-insensitive string rules (.NET OrdinalIgnoreCase): a per-character
 * uppercase that never changes a string's length ('ß' stays 'ß') and leaves the dotless 'ı' alone.
 */
export function foldCase(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toUpperCase();
  let folded = '';
  for (const char of text) {
    const upper = char.toUpperCase();
    folded += char === 'ı' || upper.length !== char.length ? char : upper;
  }
  return folded;
}

type Coerced = { kind: ValueKind; value: unknown };

/**
 * Brings two values to a common kind before comparing (JavaScript's abstract equality, except
 * that arrays and objects are never converted): number vs string → numbers; a null or boolean
 * side → number, then again.
 */
function coerce(left: Coerced, right: Coerced): [Coerced, Coerced] {
  if (left.kind === right.kind) return [left, right];
  if (left.kind === 'number' && right.kind === 'string') return [left, asNumber(right)];
  if (left.kind === 'string' && right.kind === 'number') return [asNumber(left), right];
  if (left.kind === 'null' || left.kind === 'boolean') return coerce(asNumber(left), right);
  if (right.kind === 'null' || right.kind === 'boolean') return coerce(left, asNumber(right));
  return [left, right];
}

function asNumber(operand: Coerced): Coerced {
  return { kind: 'number', value: toNumber(operand.value) };
}

function coerced(left: unknown, right: unknown): [Coerced, Coerced] {
  return coerce({ kind: kindOf(left), value: left ?? null }, { kind: kindOf(right), value: right ?? null });
}

/** GitHub's `==`: loose, strings case-insensitive, NaN equals nothing, arrays/objects by identity. */
export function looseEquals(left: unknown, right: unknown): boolean {
  const [l, r] = coerced(left, right);
  if (l.kind !== r.kind) return false;
  switch (l.kind) {
    case 'null':
      return true;
    case 'number':
      return !Number.isNaN(l.value) && l.value === r.value;
    case 'string':
      return foldCase(l.value as string) === foldCase(r.value as string);
    default:
      return l.value === r.value;
  }
}

/** GitHub's `<` (and, with the operands swapped, `>`): false whenever the kinds cannot be ordered. */
export function lessThan(left: unknown, right: unknown): boolean {
  const [l, r] = coerced(left, right);
  if (l.kind !== r.kind) return false;
  switch (l.kind) {
    case 'number':
      return (l.value as number) < (r.value as number);
    case 'string':
      return foldCase(l.value as string) < foldCase(r.value as string);
    case 'boolean':
      return !l.value && r.value === true;
    default:
      return false;
  }
}
