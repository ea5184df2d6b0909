import { inputVariable } from '../model/actions/metadata';
import type { ActionStep, Expr } from '../model/workflow';

/**
 * An action step's `with:` as env entries `INPUT_<ID>` (GitHub's names), evaluated by the prepare
 * state like the step's env: `${{ secrets.NAME }}` stays a secret reference the runner resolves.
 */
export function actionInputEnv(step: ActionStep): Record<string, Expr> {
  return Object.fromEntries(Object.entries(step.with).map(([id, value]) => [inputVariable(id), value]));
}
