import type { ExprNode } from './ast';
import { isTruthy } from './coerce';
import { evaluate, type EvalContext } from './evaluate';
import { parseExpressionAt } from './parser';
import { referencedContexts } from './references';
import { parseExpression, parseTemplate, scanTemplate } from './template';

/**
 * An `if:` condition as one expression, following GitHub's runner: the `${{ }}` wrapper is optional;
 * an empty condition means `success()`; a condition that calls none of success/failure/always/cancelled
 * is `success() && (condition)`. `${{ 'text' }}` alone is the literal text, read as the condition
 * (GitHub folds string literals while reading the file), so `${{ 'false' }}` is false. Any text around
 * a `${{ }}`, whitespace and a block scalar's newline too, makes the condition a string (true unless
 * empty), as in GitHub, where `${{ x }} == 'y'` is a well-known mistake.
 */
export function parseCondition(condition: string): ExprNode {
  const node = parseConditionBody(condition);
  if (node === undefined) return successCall(0, condition.length);
  if (referencedContexts(node).statusFunctions.size > 0) return node;
  return { kind: 'logical', operator: '&&', operands: [successCall(node.start, node.start), node], start: node.start, end: node.end };
}

/** The condition as written, before GitHub's implicit `success() &&`; undefined when it is empty. */
function parseConditionBody(condition: string): ExprNode | undefined {
  if (!condition.includes('${{')) return condition.trim() === '' ? undefined : parseExpressionAt(condition, 0);
  const parts = scanTemplate(condition);
  const [only] = parts;
  if (parts.length !== 1 || only?.kind !== 'expr') return parseTemplate(condition);
  const node = parseExpression(only);
  if (node.kind !== 'literal' || typeof node.value !== 'string') return node;
  const folded = node.value;
  if (folded.trim() === '') return undefined;
  // Offsets point into the literal (exact unless it holds '' escapes).
  return parseExpressionAt(folded, node.start + 1);
}

/** Whether the condition as written calls a status function (then no implicit `success() &&`). */
export function callsStatusFunction(condition: string): boolean {
  const node = parseConditionBody(condition);
  return node !== undefined && referencedContexts(node).statusFunctions.size > 0;
}

/**
 * Whether a job or step with this `if:` may run once its run is cancelled: GitHub runs those whose
 * condition calls always() or cancelled() (a plain `if`, success() and failure() do not run).
 */
export function runsOnCancel(condition: string | undefined): boolean {
  if (condition === undefined) return false;
  const node = parseConditionBody(condition);
  const called = node === undefined ? new Set<string>() : referencedContexts(node).statusFunctions;
  return called.has('always') || called.has('cancelled');
}

/** Whether text (even whitespace) around a `${{ }}` turns the condition into a string, so it is always true. */
export function isStringCondition(condition: string): boolean {
  if (!condition.includes('${{')) return false;
  const parts = scanTemplate(condition);
  return parts.some((part) => part.kind === 'expr') && parts.some((part) => part.kind === 'text');
}

function successCall(start: number, end: number): ExprNode {
  return { kind: 'call', name: 'success', args: [], start, end };
}

/** Whether a job or step with this `if:` runs, given the status so far. */
export function evaluateCondition(condition: string, ctx: EvalContext): boolean {
  return isTruthy(evaluate(parseCondition(condition), ctx));
}
