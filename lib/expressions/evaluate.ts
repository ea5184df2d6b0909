import type { CallNode, ComparisonOperator, ExprNode } from './ast';
import { access, lookupKey } from './access';
import { isTruthy, kindOf, lessThan, looseEquals, toDisplayString } from './coerce';
import { ExpressionError } from './error';
import { callFunction, type JobStatus } from './functions/call';

export interface EvalContext {
  /** Context name → value: inputs, matrix, env, needs, steps, event, execution, job, … */
  readonly contexts: Readonly<Record<string, unknown>>;
  /** Status of the job so far (for steps) or of the needs (for jobs); default 'success'. */
  readonly status?: JobStatus;
}

/**
 * The value of an expression. A context that is not given evaluates to null (the validator
 * reports unknown names statically); mistakes only visible now (invalid JSON, a bad format
 * string) throw ExpressionError at the node's offset.
 */
export function evaluate(node: ExprNode, ctx: EvalContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'context':
      return lookupKey(ctx.contexts, node.name) ?? null;
    case 'property':
      return access(evaluate(node.object, ctx), { wildcard: false, index: node.name });
    case 'index': {
      const object = evaluate(node.object, ctx);
      return access(object, { wildcard: false, index: evaluate(node.index, ctx) });
    }
    case 'filter':
      return access(evaluate(node.object, ctx), { wildcard: true });
    case 'not':
      return !isTruthy(evaluate(node.operand, ctx));
    case 'comparison':
      return compare(node.operator, evaluate(node.left, ctx), evaluate(node.right, ctx));
    case 'logical': {
      // Short-circuits and returns the deciding operand itself, not a boolean.
      let result: unknown = null;
      for (const operand of node.operands) {
        result = evaluate(operand, ctx);
        if (node.operator === '&&' ? !isTruthy(result) : isTruthy(result)) break;
      }
      return result;
    }
    case 'call':
      if (node.name === 'case') return evaluateCase(node, ctx);
      if ((node.name === 'success' || node.name === 'failure') && node.args.length > 0) return namedNeedsStatus(node, ctx);
      return callFunction(
        node,
        node.args.map((arg) => evaluate(arg, ctx)),
        ctx.status ?? 'success',
      );
  }
}

function compare(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
      return looseEquals(left, right);
    case '!=':
      return !looseEquals(left, right);
    case '<':
      return lessThan(left, right);
    case '>':
      return lessThan(right, left);
    case '<=':
      return looseEquals(left, right) || lessThan(left, right);
    case '>=':
      return looseEquals(left, right) || lessThan(right, left);
  }
}

/** `case(p1, v1, p2, v2, …, default)`: the value after the first true predicate; later arguments are not evaluated. */
function evaluateCase(node: CallNode, ctx: EvalContext): unknown {
  const { args } = node;
  for (let index = 0; index + 1 < args.length; index += 2) {
    const predicate = evaluate(args[index] as ExprNode, ctx);
    if (kindOf(predicate) !== 'boolean') {
      throw new ExpressionError(`case() predicate must evaluate to a boolean value, got ${kindOf(predicate)}`, (args[index] as ExprNode).start);
    }
    if (predicate === true) return evaluate(args[index + 1] as ExprNode, ctx);
  }
  return evaluate(args[args.length - 1] as ExprNode, ctx);
}

/**
 * A job-level `success('a', 'b')` (every named need succeeded) or `failure('a', 'b')` (one of them
 * failed), read from the `needs` context; a name that is not a need has no result.
 */
function namedNeedsStatus(node: CallNode, ctx: EvalContext): boolean {
  const needs = lookupKey(ctx.contexts, 'needs');
  const resultOf = (id: unknown): unknown => {
    const need = kindOf(needs) === 'object' ? lookupKey(needs as object, toDisplayString(id)) : undefined;
    return kindOf(need) === 'object' ? lookupKey(need as object, 'result') : undefined;
  };
  const results = node.args.map((arg) => resultOf(evaluate(arg, ctx)));
  return node.name === 'success' ? results.every((result) => result === 'success') : results.some((result) => result === 'failure');
}
