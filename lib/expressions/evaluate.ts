import type { ComparisonOperator, ExprNode } from './ast';
import { access, lookupKey } from './access';
import { isTruthy, lessThan, looseEquals } from './coerce';
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
