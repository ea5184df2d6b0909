import { storeNames, type StoreNames } from '../model/store-names';
import type { Plan } from '../plan/types';
import { estimateHistory, HISTORY_BUDGET, mapItemCounts, type HistoryEstimate } from './history-budget';
import type { RuntimeRefs } from './refs';
import { renderDefinition } from './render';
import type { StateMachineDefinition } from './types';

export interface CompiledWorkflow {
  readonly definition: StateMachineDefinition;
  readonly history: HistoryEstimate;
  /** Matrix jobs whose cells run as child executions (Distributed Map), biggest first. */
  readonly distributed: readonly string[];
}

export class CompileError extends Error {
  override readonly name = 'CompileError';
}

/**
 * Renders a plan within the history budget: while the worst-case history of one execution exceeds
 * HISTORY_BUDGET, the matrix job with the most cells moves its cells to child executions.
 */
export function compileWorkflow(plan: Plan, refs: RuntimeRefs, names: StoreNames = storeNames(plan.workflow.id)): CompiledWorkflow {
  const items = mapItemCounts(plan);
  const candidates = plan.jobs
    .filter((planned) => planned.cells !== undefined)
    .sort((a, b) => b.cells!.length - a.cells!.length || a.job.id.localeCompare(b.job.id))
    .map((planned) => planned.job.id);
  const distributed: string[] = [];
  for (;;) {
    const definition = renderDefinition(plan, { refs, names, distributed: new Set(distributed) });
    const history = estimateHistory(definition, items);
    const next = candidates[distributed.length];
    if (history.events <= HISTORY_BUDGET || next === undefined) {
      if (history.events > HISTORY_BUDGET) {
        throw new CompileError(
          `${plan.workflow.file}: one execution could record up to ${history.events} history events (Step Functions stops at 25,000; stepdeploy keeps under ${HISTORY_BUDGET}) even with every matrix in child executions: split the workflow or reduce its jobs and steps`,
        );
      }
      for (const [job, events] of Object.entries(history.children)) {
        if (events > HISTORY_BUDGET) {
          throw new CompileError(`${plan.workflow.file}: one cell of job '${job}' could record up to ${events} history events, over the budget of ${HISTORY_BUDGET}: reduce its steps or retries`);
        }
      }
      return { definition, history, distributed };
    }
    distributed.push(next);
  }
}
