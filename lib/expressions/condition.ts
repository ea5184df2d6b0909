import type { ExprNode } from './ast';
import { isTruthy } from './coerce';
import { evaluate, type EvalContext } from './evaluate';
import { parseExpressionAt } from './parser';
import { referencedContexts } from './references';
import { parseExpression, parseTemplate, scanTemplate } from './template';

/**
 * An `if:` condition as one expression, following GitHub: the `${{ }}` wrapper is optional; an empty
 * condition means `success()`; a condition that calls none of success/failure/always/cancelled is
 * `success() && (condition)`. Text around a `${{ }}` makes the condition a string (true unless empty),
 * as in GitHub, where `${{ x }} == 'y'` is a well-known mistake.
 */
export function parseCondition(condition: string): ExprNode {
  if (condition.trim() === '') return successCall(0, condition.length);
  const node = parseBody(condition);
  if (referencedContexts(node).statusFunctions.size > 0) return node;
  return { kind: 'logical', operator: '&&', operands: [successCall(node.start, node.start), node], start: node.start, end: node.end };
}

function parseBody(condition: string): ExprNode {
  if (!condition.includes('${{')) return parseExpressionAt(condition, 0);
  const parts = scanTemplate(condition);
  const meaningful = parts.filter((part) => part.kind === 'expr' || part.text.trim() !== '');
  const [only] = meaningful;
  if (meaningful.length === 1 && only?.kind === 'expr') return parseExpression(only);
  return parseTemplate(condition);
}

function successCall(start: number, end: number): ExprNode {
  return { kind: 'call', name: 'success', args: [], start, end };
}

/** Whether a job or step with this `if:` runs, given the status so far. */
export function evaluateCondition(condition: string, ctx: EvalContext): boolean {
  return isTruthy(evaluate(parseCondition(condition), ctx));
}
