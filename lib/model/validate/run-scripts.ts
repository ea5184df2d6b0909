import { ExpressionError } from '../../expressions';
import { positionInScalar } from '../../source/positions';
import { placeScriptExpressions } from '../shell-quoting';
import { keyPath } from '../source-index';
import type { CheckInput } from './check';

/**
 * An expression in a `run` script reaches it as an environment variable, and bash expands no variable
 * in a heredoc whose delimiter is quoted: there the value would silently never arrive.
 */
export function checkRunScripts({ workflow, index, stepPaths, sink }: CheckInput): void {
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (step.kind !== 'run' || stepPath === undefined) continue;
      const path = keyPath(stepPath, 'run');
      let placed;
      try {
        placed = placeScriptExpressions(step.run);
      } catch (error) {
        if (error instanceof ExpressionError) continue; // reported as expression-syntax
        throw error;
      }
      const scalar = index.node(path);
      for (const expression of placed) {
        if (expression.context !== 'quoted-heredoc') continue;
        const position = scalar?.kind === 'scalar' ? positionInScalar(scalar, expression.start) : index.valuePos(path);
        sink.report(
          'expression-in-quoted-heredoc',
          position,
          path,
          `${path}: \${{ ${expression.source.trim()} }} is inside a heredoc whose delimiter is quoted, where bash expands nothing, so its value would never arrive; unquote the delimiter (<<EOF) or pass the value through env:`,
        );
      }
    }
  }
}
