import { ExpressionError, hasExpression, parseExpression } from '../../expressions';
import type { ExprNode } from '../../expressions/ast';
import { positionInScalar } from '../../source/positions';
import { placeScriptExpressions, type ArithmeticContext, type PlacedExpression } from '../shell-quoting';
import type { Workflow } from '../workflow';
import { keyPath } from '../source-index';
import type { CheckInput } from './check';

/**
 * An expression in a `run` script reaches it as an environment variable. Bash expands no variable in
 * a heredoc whose delimiter is quoted: there the value would silently never arrive. And bash evaluates
 * a value used in arithmetic (`$(( ))`, `(( ))`, `let`, `[[ -eq ]]`, array subscripts, substring
 * offsets) as an expression, running any command substitution inside it (`a[$(cmd)]`): there only a
 * value that is a number by construction may appear.
 */
export function checkRunScripts({ workflow, index, stepPaths, sink }: CheckInput): void {
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (step.kind !== 'run' || stepPath === undefined) continue;
      if (!hasExpression(step.run)) continue;
      const path = keyPath(stepPath, 'run');
      let placed;
      try {
        placed = placeScriptExpressions(step.run);
      } catch (error) {
        if (error instanceof ExpressionError) continue; // reported as expression-syntax
        throw error;
      }
      // Placed only for a problem: most expressions have none.
      const positionOf = (expression: PlacedExpression) => {
        const scalar = index.node(path);
        return scalar?.kind === 'scalar' ? positionInScalar(scalar, expression.start) : index.valuePos(path);
      };
      for (const expression of placed) {
        if (expression.arithmetic !== undefined && !isNumberByConstruction(workflow, expression)) {
          sink.report('expression-in-shell-arithmetic', positionOf(expression), path, arithmeticMessage(path, expression, expression.arithmetic));
        }
        if (expression.context !== 'quoted-heredoc') continue;
        sink.report(
          'expression-in-quoted-heredoc',
          positionOf(expression),
          path,
          `${path}: \${{ ${expression.source.trim()} }} is inside a heredoc whose delimiter is quoted, where bash expands nothing, so its value would never arrive; unquote the delimiter (<<EOF) or pass the value through env:`,
        );
      }
    }
  }
}

const CONTEXT_NAMES: Readonly<Record<ArithmeticContext, string>> = {
  '$(( ))': 'an arithmetic expansion $(( ))',
  '(( ))': 'an arithmetic command (( ))',
  let: 'a let command',
  '[[ -eq ]]': 'an arithmetic comparison of [[ ]] (-eq, -ne, -lt, -le, -gt, -ge)',
  'array subscript': 'an array subscript',
  'substring offset': 'a substring offset ${var:offset:length}',
};

function arithmeticMessage(path: string, expression: PlacedExpression, context: ArithmeticContext): string {
  return (
    `${path}: \${{ ${expression.source.trim()} }} is used in ${CONTEXT_NAMES[context]}, where bash evaluates the value as code ` +
    `(a value like a[$(cmd)] runs cmd); pass a number: declare the input as type: number, or set it through env: ` +
    `and check it first (env: { N: \${{ … }} } with [[ $N =~ ^-?[0-9]+$ ]] || exit 1 before $(( N + 1 )))`
  );
}

/** A numeric literal, or a `type: number` input (validated as a number when the run starts). */
function isNumberByConstruction(workflow: Workflow, expression: PlacedExpression): boolean {
  let node: ExprNode;
  try {
    node = parseExpression(expression.source);
  } catch {
    return false;
  }
  if (node.kind === 'literal') return typeof node.value === 'number';
  const input = inputName(node);
  return input !== undefined && workflow.on.workflowDispatch?.inputs.some((i) => i.id.toLowerCase() === input && i.type === 'number') === true;
}

/** `inputs.x` / `inputs['x']` → `x` (lower case: context lookups ignore case). */
function inputName(node: ExprNode): string | undefined {
  if (node.kind === 'property' && node.object.kind === 'context' && node.object.name.toLowerCase() === 'inputs') return node.name.toLowerCase();
  if (node.kind === 'index' && node.object.kind === 'context' && node.object.name.toLowerCase() === 'inputs' && node.index.kind === 'literal' && typeof node.index.value === 'string') {
    return node.index.value.toLowerCase();
  }
  return undefined;
}
