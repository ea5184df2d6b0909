import { criticalPath, makespanLowerBound, type CriticalPath, type Plan } from '../../plan';
import { compileWorkflow, type CompiledWorkflow } from '../../asl/compile';
import type { HistoryEstimate } from '../../asl/history-budget';
import { placeholderRefs } from '../../asl/refs';
import type { InputValue } from '../../runtime/inputs';

/** The indicative duration `plan` assumes for every step; real durations come from run reports. */
export const SECONDS_PER_STEP = 60;

export interface ShownInput {
  readonly id: string;
  readonly value: InputValue;
  readonly source: 'given' | 'default';
}

/** Everything `stepdeploy plan` shows, computed once; the renderers only format it. */
export interface PlanReport {
  readonly plan: Plan;
  readonly inputs: readonly ShownInput[];
  readonly secondsPerStep: number;
  readonly criticalPath: CriticalPath;
  readonly makespanLowerBound: number;
  /** Worst-case history events of one execution, and the matrix jobs moved to child executions. */
  readonly history: HistoryEstimate;
  readonly distributed: readonly string[];
}

export function buildPlanReport(plan: Plan, inputs: readonly ShownInput[]): PlanReport {
  const perStep = (): number => SECONDS_PER_STEP;
  return {
    plan,
    inputs,
    secondsPerStep: SECONDS_PER_STEP,
    criticalPath: criticalPath(plan, perStep),
    makespanLowerBound: makespanLowerBound(plan, perStep),
    // The same compilation `cdk synth` does, with placeholder ARNs: the figures are the deployed ones.
    ...pick(compileWorkflow(plan, placeholderRefs)),
  };
}

function pick(compiled: CompiledWorkflow): { history: HistoryEstimate; distributed: readonly string[] } {
  return { history: compiled.history, distributed: compiled.distributed };
}
