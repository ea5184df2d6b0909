import type { Problem } from '../model/problem';
import { formatProblem } from '../model/problem';
import { cellBound, hasMatrix } from '../plan/cells';
import type { Plan } from '../plan/types';
import { estimateHistory, HISTORY_BUDGET, mapItemCounts, type HistoryEstimate } from './history-budget';
import { checkLimits } from './limits';
import type { RuntimeRefs } from './refs';
import { renderDefinition, type RenderOptions } from './render';
import type { StateMachineDefinition } from './types';

export interface CompiledWorkflow {
  readonly definition: StateMachineDefinition;
  readonly history: HistoryEstimate;
  /** Matrix jobs whose cells run as child executions (Distributed Map), biggest first. */
  readonly distributed: readonly string[];
  /** Step Functions limits the definition breaks (lib/asl/limits.ts), located; empty when it deploys. */
  readonly problems: readonly Problem[];
}

/** Thrown where a definition must deploy (cdk synth): every limit problem, one per line. */
export class CompileError extends Error {
  override readonly name = 'CompileError';

  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/**
 * Renders a plan within the history budget: while the worst-case history of one execution exceeds
 * HISTORY_BUDGET, the matrix job with the most cells moves its cells to child executions. Then the
 * result is checked against every Step Functions limit.
 */
export function compileWorkflow(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): CompiledWorkflow {
  const items = mapItemCounts(plan);
  const candidates = plan.jobs
    .filter(hasMatrix)
    .sort((a, b) => cellBound(b) - cellBound(a) || a.job.id.localeCompare(b.job.id))
    .map((planned) => planned.job.id);
  const distributed: string[] = [];
  for (;;) {
    const definition = renderDefinition(plan, { ...options, refs, distributed: new Set(distributed) });
    const history = estimateHistory(definition, items);
    const next = candidates[distributed.length];
    if (history.events <= HISTORY_BUDGET || next === undefined) {
      return { definition, history, distributed, problems: checkLimits(plan, definition, history, items, refs) };
    }
    distributed.push(next);
  }
}

/** As compileWorkflow, throwing a CompileError when a limit is broken. */
export function compileDeployable(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): CompiledWorkflow {
  const compiled = compileWorkflow(plan, refs, options);
  if (compiled.problems.length > 0) throw new CompileError(compiled.problems);
  return compiled;
}
