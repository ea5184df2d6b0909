import { syntaxError } from './error';
import { parseNumber } from './coerce';

// Splits an expression into tokens. Offsets are shifted by `base` so that an expression cut out
// of a template reports positions in the template.

export type Punctuation = '(' | ')' | '[' | ']' | '.' | ',' | '*';
export type Operator = '!' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Token =
  | { readonly type: 'number'; readonly value: number; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'string'; readonly value: string; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'identifier'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'punctuation'; readonly text: Punctuation; readonly start: number; readonly end: number }
  | { readonly type: 'operator'; readonly text: Operator; readonly start: number; readonly end: number }
  | { readonly type: 'end'; readonly text: ''; readonly start: number; readonly end: number };

const operators: readonly Operator[] = ['==', '!=', '<=', '>=', '&&', '||', '!', '<', '>'];
const punctuation = new Set<string>(['(', ')', '[', ']', '.', ',', '*']);
/** Characters that end a number or a name (GitHub's token boundaries). */
const boundary = new Set<string>(['(', ')', '[', ']', ',', '.', '!', '<', '>', '=', '&', '|']);
const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function tokenize(source: string, base = 0): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const isBoundary = (char: string | undefined): boolean =>
    char === undefined || boundary.has(char) || /\s/.test(char);

  while (true) {
    while (index < source.length && /\s/.test(source[index] as string)) index++;
    if (index >= source.length) break;
    const start = index;
    const char = source[index] as string;
    const previous = tokens[tokens.length - 1];

    if (char === "'") {
      let value = '';
      index++;
      let closed = false;
      while (index < source.length) {
        const next = source[index++] as string;
        if (next === "'") {
          if (source[index] !== "'") {
            closed = true;
            break;
          }
          index++; // '' is an escaped quote
        }
        value += next;
      }
      if (!closed) throw syntaxError('unterminated string', base + start);
      tokens.push({ type: 'string', value, text: source.slice(start, index), start: base + start, end: base + index });
      continue;
    }

    if (char === '"') {
      throw syntaxError(`unexpected character '"' (strings use single quotes)`, base + start);
    }

    const operator = operators.find((candidate) => source.startsWith(candidate, index));
    if (operator !== undefined) {
      index += operator.length;
      tokens.push({ type: 'operator', text: operator, start: base + start, end: base + index });
      continue;
    }

    // A '.' starts a number only where an operand is expected (`.5`, `(.5)`); elsewhere it dereferences.
    const operandExpected =
      previous === undefined ||
      previous.type === 'operator' ||
      (previous.type === 'punctuation' && ['(', '[', ','].includes(previous.text));
    const startsNumber = /[0-9+-]/.test(char) || (char === '.' && operandExpected);
    if (startsNumber) {
      index++;
      while (index < source.length && (!isBoundary(source[index]) || source[index] === '.')) index++;
      const text = source.slice(start, index);
      const value = parseNumber(text);
      if (Number.isNaN(value)) throw syntaxError(`invalid number '${text}'`, base + start);
      tokens.push({ type: 'number', value, text, start: base + start, end: base + index });
      continue;
    }

    if (punctuation.has(char)) {
      index++;
      tokens.push({ type: 'punctuation', text: char as Punctuation, start: base + start, end: base + index });
      continue;
    }

    index++;
    while (index < source.length && !isBoundary(source[index])) index++;
    const text = source.slice(start, index);
    if (!identifier.test(text)) throw syntaxError(`unexpected token '${text}'`, base + start);
    tokens.push({ type: 'identifier', text, start: base + start, end: base + index });
  }

  tokens.push({ type: 'end', text: '', start: base + source.length, end: base + source.length });
  return tokens;
}
