// Where each `${{ }}` of a `run` script sits in bash's quoting. Expressions reach a script as
// environment variables (lib/asl/script-expressions.ts), and bash expands a variable everywhere but inside
// single quotes and the body of a heredoc whose delimiter is quoted: there the reference would stay
// literal text. Single quotes can be stepped out of (`'…'"${X}"'…'`); a quoted heredoc cannot.

import { scanTemplate } from '../expressions';

export type ShellContext = 'plain' | 'single-quoted' | 'quoted-heredoc';

export interface PlacedExpression {
  /** Offset of the `${{` in the script. */
  readonly start: number;
  readonly end: number;
  /** The expression inside `${{ }}`. */
  readonly source: string;
  readonly context: ShellContext;
}

interface Heredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
}

type Mode = 'plain' | 'single' | 'double' | 'comment' | 'heredoc';

const WORD_END = /[\s;&|<>()]/;

/** The quoting context of every expression in a script, in order. Throws ExpressionError for an unterminated `${{`. */
export function placeScriptExpressions(script: string): PlacedExpression[] {
  const expressions = scanTemplate(script).flatMap((part) => (part.kind === 'expr' ? [{ start: part.start, end: part.end, source: part.source }] : []));
  const placed: PlacedExpression[] = [];
  let next = 0;
  let mode: Mode = 'plain';
  const pending: Heredoc[] = [];
  let heredoc: Heredoc | undefined;
  let lineStart = true;

  for (let i = 0; i < script.length; i++) {
    const expression = expressions[next];
    if (expression !== undefined && expression.start === i) {
      const context: ShellContext = mode === 'single' ? 'single-quoted' : mode === 'heredoc' && heredoc?.quoted ? 'quoted-heredoc' : 'plain';
      placed.push({ ...expression, context });
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
        break;
      case 'comment':
        if (ch === '\n') ({ mode, heredoc } = afterLine(pending));
        break;
      case 'plain':
        if (ch === '\\') i += 1;
        else if (ch === "'") mode = 'single';
        else if (ch === '"') mode = 'double';
        else if (ch === '#' && (i === 0 || /[\s;&|(]/.test(script[i - 1]!))) mode = 'comment';
        else if (ch === '<' && script[i + 1] === '<' && script[i + 2] === '<') i += 2; // a here-string, not a heredoc
        else if (ch === '<' && script[i + 1] === '<') i = readHeredocOperator(script, i, pending);
        else if (ch === '\n') ({ mode, heredoc } = afterLine(pending));
        break;
    }
  }
  return placed;
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
