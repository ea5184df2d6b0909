// Where each `${{ }}` of a `run` script sits in bash's quoting. Expressions reach a script as
// environment variables (lib/asl/script-expressions.ts), and bash expands a variable everywhere but inside
// single quotes and the body of a heredoc whose delimiter is quoted: there the reference would stay
// literal text. Single quotes can be stepped out of (`'…'"${X}"'…'`); a quoted heredoc cannot.

import { scanTemplate } from '../expressions';
import type { Writable } from './writable';

export type ShellContext = 'plain' | 'single-quoted' | 'quoted-heredoc';

/**
 * Places where bash evaluates a variable's value as an arithmetic expression — and so runs a command
 * substitution hidden in it (`a[$(cmd)]`): an input pasted there is code, not data.
 */
export type ArithmeticContext = '$(( ))' | '(( ))' | 'let' | '[[ -eq ]]' | 'array subscript' | 'substring offset';

export interface PlacedExpression {
  /** Offset of the `${{` in the script. */
  readonly start: number;
  readonly end: number;
  /** The expression inside `${{ }}`. */
  readonly source: string;
  readonly context: ShellContext;
  /** Set when bash evaluates the value there as arithmetic (see ArithmeticContext). */
  readonly arithmetic?: ArithmeticContext;
}

/** An open arithmetic region: `$(( ))` and `(( ))` end at their closing parenthesis, `let` at the end of its command. */
interface OpenArithmetic {
  readonly kind: '$(( ))' | '(( ))' | 'let';
  /** Unclosed parentheses (for `$(( ))` and `(( ))`). */
  depth: number;
}

/** Words after which a command starts (`if (( x )); then let y=1; fi`). */
const COMMAND_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time']);

/** True when a command word may start at `at`: after a line start, an operator or a keyword. */
function atCommandStart(script: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (script[i] === ' ' || script[i] === '\t')) i -= 1;
  if (i < 0 || '\n;&|({'.includes(script[i]!)) return true;
  let start = i;
  while (start > 0 && !/[\s;&|(){}]/.test(script[start - 1]!)) start -= 1;
  return COMMAND_KEYWORDS.has(script.slice(start, i + 1)) && atCommandStart(script, start);
}

const ARITHMETIC_TEST_OPERATORS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** Inside `[[ … ]]`, the word of the expression at `start`–`end` is an operand of an arithmetic comparison when an operator is beside it. */
function arithmeticTestOperand(script: string, open: number, start: number, end: number): boolean {
  const before = script.slice(open + 2, start);
  const wordsBefore = before.split(/\s+/).filter(Boolean);
  const previous = /\s$/.test(before) || before === '' ? wordsBefore.at(-1) : wordsBefore.at(-2);
  const after = script.slice(end);
  const wordsAfter = after.split(/\s+/).filter(Boolean);
  const next = /^\s/.test(after) ? wordsAfter[0] : wordsAfter[1];
  return ARITHMETIC_TEST_OPERATORS.has(previous ?? '') || ARITHMETIC_TEST_OPERATORS.has(next ?? '');
}

/** The part of the current word before `at` (quotes included). */
function wordBefore(script: string, at: number): string {
  let start = at;
  while (start > 0 && !/[\s;&|<>()]/.test(script[start - 1]!)) start -= 1;
  return script.slice(start, at);
}

/** `name[…` or `${name[…` still open before the expression: an indexed array's subscript is arithmetic. */
const OPEN_SUBSCRIPT = /[A-Za-z_][A-Za-z0-9_]*\[[^\]]*$/;
/** `${name:…` (not `:-`, `:=`, `:?`, `:+`) still open: the offset and length of a substring are arithmetic. */
const OPEN_SUBSTRING = /\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?:(?![-=?+])[^}]*$/;

interface Heredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
}

type Mode = 'plain' | 'single' | 'double' | 'comment' | 'heredoc';

const WORD_END = /[\s;&|<>()]/;

/** The quoting context of every expression in a script, in order. Throws ExpressionError for an unterminated `${{`. */
export function placeScriptExpressions(script: string): PlacedExpression[] {
  const expressions = scanTemplate(script).filter((part) => part.kind === 'expr');
  const placed: PlacedExpression[] = [];
  let next = 0;
  let mode: Mode = 'plain';
  const pending: Heredoc[] = [];
  let heredoc: Heredoc | undefined;
  let lineStart = true;
  const arithmetic: OpenArithmetic[] = [];
  /** Where the open `[[` starts, if any. */
  let openTest: number | undefined;

  for (let i = 0; i < script.length; i++) {
    const expression = expressions[next];
    if (expression !== undefined && expression.start === i) {
      const context: ShellContext = mode === 'single' ? 'single-quoted' : mode === 'heredoc' && heredoc?.quoted ? 'quoted-heredoc' : 'plain';
      const evaluated = context === 'plain' ? arithmeticAt(script, expression, arithmetic, openTest) : undefined;
      const place: Writable<PlacedExpression> = { start: expression.start, end: expression.end, source: expression.source, context };
      if (evaluated !== undefined) place.arithmetic = evaluated;
      placed.push(place);
      next += 1;
      i = expression.end - 1;
      lineStart = false;
      continue;
    }
    const ch = script[i]!;
    if (mode === 'heredoc' && lineStart) {
      const lineEnd = script.indexOf('\n', i);
      const line = script.slice(i, lineEnd === -1 ? script.length : lineEnd);
      if ((heredoc!.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc!.delimiter) {
        heredoc = pending.shift();
        mode = heredoc === undefined ? 'plain' : 'heredoc';
        i = lineEnd === -1 ? script.length : lineEnd;
        lineStart = true;
        continue;
      }
    }
    lineStart = ch === '\n';
    switch (mode) {
      case 'heredoc':
        break;
      case 'single':
        if (ch === "'") mode = 'plain';
        break;
      case 'double':
        if (ch === '\\') i += 1;
        else if (ch === '"') mode = 'plain';
        else if (ch === '$' && script.startsWith('((', i + 1)) {
          arithmetic.push({ kind: '$(( ))', depth: 2 });
          i += 2;
        } else trackParentheses(ch, arithmetic);
        break;
      case 'comment':
        if (ch === '\n') ({ mode, heredoc } = afterLine(pending));
        break;
      case 'plain':
        if (ch === '$' && script.startsWith('((', i + 1)) {
          arithmetic.push({ kind: '$(( ))', depth: 2 });
          i += 2;
        } else if (ch === '(' && script[i + 1] === '(' && arithmetic.length === 0 && atCommandStart(script, i)) {
          arithmetic.push({ kind: '(( ))', depth: 2 });
          i += 1;
        } else if (ch === '[' && script[i + 1] === '[' && openTest === undefined && atCommandStart(script, i)) {
          openTest = i;
          i += 1;
        } else if (ch === ']' && script[i + 1] === ']' && openTest !== undefined) {
          openTest = undefined;
          i += 1;
        } else if (script.startsWith('let', i) && /[ \t]/.test(script[i + 3] ?? '') && atCommandStart(script, i)) {
          arithmetic.push({ kind: 'let', depth: 0 });
          i += 2;
        } else if ((ch === ';' || ch === '&' || ch === '|') && arithmetic.at(-1)?.kind === 'let') {
          arithmetic.pop();
        } else if (ch === '(' || ch === ')') trackParentheses(ch, arithmetic);
        else if (ch === '\\') i += 1;
        else if (ch === "'") mode = 'single';
        else if (ch === '"') mode = 'double';
        else if (ch === '#' && (i === 0 || /[\s;&|(]/.test(script[i - 1]!))) mode = 'comment';
        else if (ch === '<' && script[i + 1] === '<' && script[i + 2] === '<') i += 2; // a here-string, not a heredoc
        else if (ch === '<' && script[i + 1] === '<') i = readHeredocOperator(script, i, pending);
        else if (ch === '\n') {
          if (arithmetic.at(-1)?.kind === 'let') arithmetic.pop();
          ({ mode, heredoc } = afterLine(pending));
        }
        break;
    }
  }
  return placed;
}

/** Parentheses inside `$(( ))` / `(( ))`: the region ends when its own two are closed. */
function trackParentheses(ch: string, arithmetic: OpenArithmetic[]): void {
  const open = arithmetic.at(-1);
  if (open === undefined || open.kind === 'let') return;
  if (ch === '(') open.depth += 1;
  else if (ch === ')') {
    open.depth -= 1;
    // `))` closes the region: the first `)` brings it to 1, the second to 0.
    if (open.depth <= 0) arithmetic.pop();
  }
}

/** The arithmetic context an expression starting at `at` sits in, if any. */
function arithmeticAt(
  script: string,
  expression: { readonly start: number; readonly end: number },
  arithmetic: readonly OpenArithmetic[],
  openTest: number | undefined,
): ArithmeticContext | undefined {
  const word = wordBefore(script, expression.start);
  if (OPEN_SUBSTRING.test(word)) return 'substring offset';
  if (OPEN_SUBSCRIPT.test(word)) return 'array subscript';
  const open = arithmetic.at(-1);
  if (open !== undefined) return open.kind;
  if (openTest !== undefined && arithmeticTestOperand(script, openTest, expression.start, expression.end)) return '[[ -eq ]]';
  return undefined;
}

/** At the end of a line, the first pending heredoc's body begins. */
function afterLine(pending: Heredoc[]): { mode: Mode; heredoc: Heredoc | undefined } {
  const heredoc = pending.shift();
  return { mode: heredoc === undefined ? 'plain' : 'heredoc', heredoc };
}

/** Reads `<<[-] WORD` at `at`; returns the index of its last character. */
function readHeredocOperator(script: string, at: number, pending: Heredoc[]): number {
  let i = at + 2;
  const stripTabs = script[i] === '-';
  if (stripTabs) i += 1;
  while (script[i] === ' ' || script[i] === '\t') i += 1;
  let word = '';
  let quoted = false;
  let quote: string | undefined;
  for (; i < script.length; i++) {
    const ch = script[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      quoted = true;
    } else if (ch === '\\') {
      quoted = true;
      word += script[i + 1] ?? '';
      i += 1;
    } else if (WORD_END.test(ch)) break;
    else word += ch;
  }
  if (word !== '') pending.push({ delimiter: word, quoted, stripTabs });
  return i - 1;
}
