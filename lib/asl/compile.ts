import type { Problem } from '../model/problem';
import { formatProblem } from '../model/problem';
import { cellBound, hasMatrix } from '../plan/cells';
import type { Plan } from '../plan/types';
import { estimateHistory, HISTORY_BUDGET, mapItemCounts, type HistoryEstimate } from './history-budget';
import { farOverDefinitionLimit } from './definition-bound';
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
  /** How many times the definition was rendered to choose what to distribute (work, for tests). */
  readonly renders: number;
}

/** Thrown where a definition must deploy (cdk synth): every limit problem, one per line. */
export class CompileError extends Error {
  override readonly name = 'CompileError';

  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/**
 * Renders a plan within the history budget: the matrix jobs with the most cells move their cells to
 * child executions (Distributed Map), as few of them as keep the worst-case history of one execution
 * within HISTORY_BUDGET (all of them when none does). Then the result is checked against every Step
 * Functions limit.
 *
 * The estimate never grows as more matrices move (a distributed Map costs 6 events, its inline form at
 * least that), so the fewest is found by bisection: 2 + ⌈log₂ m⌉ renders for m matrix jobs, where
 * moving one at a time took m + 1 (a workflow of many big matrices rendered quadratically).
 */
export function compileWorkflow(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): CompiledWorkflow {
  const items = mapItemCounts(plan);
  const candidates = plan.jobs
    .filter(hasMatrix)
    .sort((a, b) => cellBound(b) - cellBound(a) || a.job.id.localeCompare(b.job.id))
    .map((planned) => planned.job.id);
  let renders = 0;
  const attempt = (count: number) => {
    renders++;
    const distributed = candidates.slice(0, count);
    const definition = renderDefinition(plan, { ...options, refs, distributed: new Set(distributed) });
    return { definition, distributed, history: estimateHistory(definition, items) };
  };
  const fits = (rendered: { history: HistoryEstimate }) => rendered.history.events <= HISTORY_BUDGET;
  let chosen = attempt(0);
  if (!fits(chosen) && candidates.length > 0) {
    // Invariant: `over` distributed matrices are not enough, `within` are (or are all there is).
    let over = 0;
    chosen = attempt(candidates.length);
    let within = candidates.length;
    if (fits(chosen)) {
      while (within - over > 1) {
        const middle = Math.floor((over + within) / 2);
        const rendered = attempt(middle);
        if (fits(rendered)) [within, chosen] = [middle, rendered];
        else over = middle;
      }
    }
  }
  const { definition, distributed, history } = chosen;
  return { definition, history, distributed, renders, problems: checkLimits(plan, definition, history, items, refs) };
}

/**
 * The Step Functions limits a plan's definition breaks (what `validate` and the app report): a
 * definition far over 1 MB is refused from its first jobs (lib/asl/definition-bound.ts), without
 * rendering and measuring the whole.
 */
export function compileProblems(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): readonly Problem[] {
  const farOver = farOverDefinitionLimit(plan, refs, options);
  return farOver === undefined ? compileWorkflow(plan, refs, options).problems : [farOver];
}

/** As compileWorkflow, throwing a CompileError when a limit is broken. */
export function compileDeployable(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): CompiledWorkflow {
  const farOver = farOverDefinitionLimit(plan, refs, options);
  if (farOver !== undefined) throw new CompileError([farOver]);
  const compiled = compileWorkflow(plan, refs, options);
  if (compiled.problems.length > 0) throw new CompileError(compiled.problems);
  return compiled;
}
