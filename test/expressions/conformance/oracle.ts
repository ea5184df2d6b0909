import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { Expr, FunctionCall } from '@actions/expressions/ast';
import { formatNumber } from '../../../lib/expressions/coerce';

// GitHub's own expression package, used only as a test oracle: evaluates an expression over plain JS
// contexts and gives the result back as plain JS (NaN, ±Infinity and -0 kept), or 'error'.
//
// Where the package departs from GitHub's runner, a variant of it behaves as the runner does, so a
// test can tell a documented difference from a bug:
// - lazyCase: the runner's functions evaluate their parameters on demand, so case() evaluates its
//   predicates up to the first true one and then only the chosen value; the package evaluates every
//   argument first (an error in an unchosen branch fails it).
// - runnerNumbers: the runner prints numbers as .NET "G15" (1E+15); the package as JavaScript does
//   (1000000000000000).
export interface RunnerVariant {
  readonly lazyCase?: boolean;
  readonly runnerNumbers?: boolean;
}

type Data = data.ExpressionData;

function toData(value: unknown): Data {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'string') return new data.StringData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(...Object.entries(value as object).map(([key, item]) => ({ key, value: toData(item) })));
}

function fromData(value: Data): unknown {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number:
      return value.number();
    case data.Kind.String:
      return value.coerceString();
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((pair) => [pair.key, fromData(pair.value)]));
  }
}

class LazyCaseEvaluator extends Evaluator {
  override visitFunctionCall(call: FunctionCall): data.ExpressionData {
    if (call.functionName.lexeme.toLowerCase() !== 'case') return super.visitFunctionCall(call);
    const args = call.args;
    for (let index = 0; index + 1 < args.length; index += 2) {
      const predicate = this.eval(args[index] as Expr);
      if (predicate.kind !== data.Kind.Boolean) throw new Error('case predicate must evaluate to a boolean value');
      if ((predicate as data.BooleanData).value) return this.eval(args[index + 1] as Expr);
    }
    return this.eval(args[args.length - 1] as Expr);
  }
}

export function oracleEvaluate(
  expression: string,
  contexts: Readonly<Record<string, unknown>>,
  variant: RunnerVariant = {},
): { value: unknown } | 'error' {
  const packageCoerceString = data.NumberData.prototype.coerceString;
  if (variant.runnerNumbers) {
    data.NumberData.prototype.coerceString = function (this: data.NumberData) {
      return formatNumber(this.number());
    };
  }
  try {
    const { tokens } = new Lexer(expression).lex();
    const tree = new Parser(tokens, Object.keys(contexts), []).parse();
    const dictionary = toData(contexts) as data.Dictionary;
    const evaluator = variant.lazyCase ? new LazyCaseEvaluator(tree, dictionary) : new Evaluator(tree, dictionary);
    return { value: fromData(evaluator.evaluate()) };
  } catch {
    return 'error';
  } finally {
    data.NumberData.prototype.coerceString = packageCoerceString;
  }
}
