import type { ExprNode } from './ast';
import { ExpressionError, syntaxError } from './error';
import { evaluate, type EvalContext } from './evaluate';
import { parseExpressionAt } from './parser';

// Templates: strings with `${{ … }}` inside, as written in workflow fields.

export type TemplatePart =
  | { kind: 'text'; text: string; start: number }
  /** `start` is the offset of `${{`, `end` the offset just after `}}`; `source` is what lies between. */
  | { kind: 'expr'; source: string; start: number; end: number };

const open = '${{';
const close = '}}';

export function hasExpression(template: string): boolean {
  return template.includes(open);
}

/**
 * Splits "a ${{ x }} b" into text and expression parts. A `}}` inside a quoted string does not
 * end the expression (`${{ format('{{0}}', x) }}`). An unterminated `${{` throws ExpressionError.
 */
export function scanTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let textStart = 0;
  while (true) {
    const start = template.indexOf(open, textStart);
    if (start < 0) break;
    const end = findClose(template, start + open.length);
    if (end === undefined) throw syntaxError(`unterminated '${open}' (no matching '${close}')`, start);
    if (start > textStart) parts.push({ kind: 'text', text: template.slice(textStart, start), start: textStart });
    parts.push({ kind: 'expr', source: template.slice(start + open.length, end), start, end: end + close.length });
    textStart = end + close.length;
  }
  if (textStart < template.length) parts.push({ kind: 'text', text: template.slice(textStart), start: textStart });
  return parts;
}

/** The offset of the `}}` closing an expression that starts at `from`, skipping quoted strings. */
function findClose(template: string, from: number): number | undefined {
  let inString = false;
  for (let index = from; index < template.length; index++) {
    const char = template[index];
    // `''` inside a string toggles twice, so escaped quotes need no special case.
    if (char === "'") inString = !inString;
    else if (!inString && template.startsWith(close, index)) return index;
  }
  return undefined;
}

/**
 * A template as one expression, offsets in the template: the sole expression itself when the
 * template is exactly one `${{ }}`; a string literal when it has none; otherwise
 * `format('text {0} text', expr)`, which is how GitHub interpolates.
 */
export function parseTemplate(template: string): ExprNode {
  const parts = scanTemplate(template);
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'expr') return parseExpression(only);
  if (!parts.some((part) => part.kind === 'expr')) {
    return { kind: 'literal', value: template, start: 0, end: template.length };
  }
  let formatString = '';
  const args: ExprNode[] = [];
  for (const part of parts) {
    if (part.kind === 'text') {
      formatString += part.text.replaceAll('{', '{{').replaceAll('}', '}}');
    } else {
      formatString += `{${args.length}}`;
      args.push(parseExpression(part));
    }
  }
  const formatLiteral: ExprNode = { kind: 'literal', value: formatString, start: 0, end: template.length };
  return { kind: 'call', name: 'format', args: [formatLiteral, ...args], start: 0, end: template.length };
}

/** Parses one expression part, with offsets in the template. */
export function parseExpression(part: Extract<TemplatePart, { kind: 'expr' }>): ExprNode {
  return parseExpressionAt(part.source, part.start + open.length);
}

/**
 * A whole-field template: exactly one `${{ }}` and nothing else gives the raw value (keeps its type);
 * otherwise the parts concatenated with GitHub's string coercion. Error offsets are in the template.
 */
export function evaluateTemplate(template: string, ctx: EvalContext): unknown {
  return evaluate(parseTemplate(template), ctx);
}

/** Whether a template is exactly one `${{ }}` with nothing around it (its value keeps its type). False when it does not scan. */
export function isLoneExpression(template: string): boolean {
  try {
    const parts = scanTemplate(template);
    return parts.length === 1 && parts[0]?.kind === 'expr';
  } catch (error) {
    if (error instanceof ExpressionError) return false;
    throw error;
  }
}

/** The text of a template that is exactly one `${{ 'string literal' }}`, else undefined (also when it does not parse). */
export function literalTemplateValue(template: string): string | undefined {
  if (!template.trimStart().startsWith(open)) return undefined;
  try {
    const parts = scanTemplate(template);
    const [only] = parts;
    if (parts.length !== 1 || only?.kind !== 'expr') return undefined;
    const node = parseExpression(only);
    return node.kind === 'literal' && typeof node.value === 'string' ? node.value : undefined;
  } catch (error) {
    if (error instanceof ExpressionError) return undefined;
    throw error;
  }
}
