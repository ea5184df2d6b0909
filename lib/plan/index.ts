// The planner's public surface: Workflow → Plan, and the figures read from a plan.
export type { Plan, PlannedJob, SpNode, DagShape } from './types';
export { planWorkflow } from './plan-workflow';
export { criticalPath, type CriticalPath } from './critical-path';
export { makespanLowerBound, type MakespanOptions } from './makespan';
export type { StepDuration } from './durations';
export { jobAncestors } from './ancestors';
