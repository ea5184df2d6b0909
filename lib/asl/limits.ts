// The limits Step Functions enforces on a definition, checked before anything is deployed, each
// problem located at the job or step that causes it:
//   definition size ≤ 1,048,576 bytes (measured with ARNs as long as deployed ones can be),
//   state names ≤ 80 characters and unique, intrinsic calls nested ≤ 10 deep,
//   static data a state adds (a Pass's Result, a Task's literal Parameters) ≤ 256 KiB,
//   a matrix's cells and their results (the Map's items and output) ≤ half of 256 KiB,
//   history ≤ 25,000 events (lib/asl/history-budget.ts keeps under HISTORY_BUDGET).

import { orderedCellBytes, orderedJobs } from './cell-order';
import type { Problem } from '../model/problem';
import type { Job, SourceLocation, Step } from '../model/workflow';
import type { Plan } from '../plan/types';
import { HISTORY_BUDGET, HISTORY_LIMIT, stateCost, type HistoryEstimate, type MapItemCounts } from './history-budget';
import { intrinsicDepth } from './intrinsic-depth';
import { jobLabel } from './names';
import { MAX_INTRINSIC_DEPTH } from './merge';
import type { RuntimeRefs } from './refs';
import { MAX_STATE_NAME_LENGTH } from './state-set';
import type { JsonValue, State, StateMachineDefinition, SubMachine } from './types';

export const MAX_DEFINITION_BYTES = 1_048_576;
export const MAX_PAYLOAD_BYTES = 262_144;
/** The length every runtime ARN or name is counted at when sizing a definition (deployed ones are shorter). */
export const SIZING_REF_LENGTH = 128;

/** The least a cell's result takes in the Map's output (`{ result, outputs, upstream }`, no outputs, and a comma). */
const CELL_RESULT_BYTES = JSON.stringify({ result: 'success', outputs: {}, upstream: 'success' }).length + 1;

/**
 * What a matrix job holds in the execution's data while its Map runs: the cells (the Map's items) and
 * every cell's result (the Map's output), at the least, when no cell has outputs; an ordered Map's
 * items and results also carry each cell's index (lib/asl/cell-order.ts).
 */
export function matrixDataBytes(cells: readonly unknown[] | undefined, ordered = false): number {
  if (cells === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(cells)) + cells.length * (CELL_RESULT_BYTES + (ordered ? orderedCellBytes(cells.length) : 0));
}

export interface DefinitionMeasure {
  /** UTF-8 bytes of the definition with every runtime reference counted at SIZING_REF_LENGTH. */
  readonly bytes: number;
  readonly states: number;
  readonly longestName: string;
  readonly duplicateNames: readonly string[];
  /** The deepest intrinsic nesting and where. */
  readonly deepestIntrinsic: { readonly depth: number; readonly state: string; readonly field: string };
  /** The most static data one state adds to the payload, and which state. */
  readonly largestStaticData: { readonly bytes: number; readonly state: string };
  /** Bytes of each top-level job's states (by job id), for locating a size problem. */
  readonly bytesByJob: ReadonlyMap<string, number>;
}

interface Visit {
  readonly name: string;
  readonly state: State;
  /** The job whose scope the state is in (its Parallel/Map, or a top-level state named after it). */
  readonly job?: string;
}

export function measureDefinition(definition: StateMachineDefinition, refs: RuntimeRefs, jobIds: ReadonlySet<string>): DefinitionMeasure {
  const text = JSON.stringify(definition);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  let longestName = '';
  let deepest = { depth: 0, state: '', field: '' };
  let largest = { bytes: 0, state: '' };
  const bytesByJob = new Map<string, number>();
  const visits = walk(definition, undefined, jobIds);
  for (const { name, state, job } of visits) {
    if (seen.has(name)) duplicates.push(name);
    seen.add(name);
    if (name.length > longestName.length) longestName = name;
    for (const [field, value] of dynamicFields(state)) {
      const depth = intrinsicDepth(value);
      if (depth > deepest.depth) deepest = { depth, state: name, field };
    }
    const data = staticDataBytes(state);
    if (data > largest.bytes) largest = { bytes: data, state: name };
  }
  for (const { job, name, state } of jobStates(definition, jobIds)) bytesByJob.set(job, (bytesByJob.get(job) ?? 0) + sizeOf(refs, JSON.stringify({ [name]: state })));
  return { bytes: sizeOf(refs, text), states: visits.length, longestName, duplicateNames: duplicates, deepestIntrinsic: deepest, largestStaticData: largest, bytesByJob };
}

/** Every limit a compiled workflow breaks, located. */
export function checkLimits(plan: Plan, definition: StateMachineDefinition, history: HistoryEstimate, items: MapItemCounts, refs: RuntimeRefs): Problem[] {
  const { workflow } = plan;
  // State names call a job by its label (lib/asl/names.ts): the key here; messages name the id.
  const jobs = new Map(workflow.jobs.map((job) => [jobLabel(job.id), job]));
  const idOf = (label: string): string => jobs.get(label)?.id ?? label;
  const measure = measureDefinition(definition, refs, new Set(jobs.keys()));
  const problems: Problem[] = [];
  const at = (location: SourceLocation, path: string, code: string, message: string) => problems.push({ code, location, path, message });
  const place = (stateName: string): { location: SourceLocation; path: string } => locate(stateName, definition, jobs, workflow.jobs[0]!);

  if (measure.bytes > MAX_DEFINITION_BYTES) {
    const [job, bytes] = [...measure.bytesByJob].sort((a, b) => b[1] - a[1])[0] ?? [jobLabel(workflow.jobs[0]!.id), 0];
    at(jobs.get(job)!.location, `jobs.${idOf(job)}`, 'definition-too-large',
      `the state machine would be ${measure.bytes.toLocaleString('en-US')} bytes, over Step Functions' limit of ${MAX_DEFINITION_BYTES.toLocaleString('en-US')} (1 MB); the largest job, '${idOf(job)}', takes ${bytes.toLocaleString('en-US')}: split the workflow into smaller workflow files, or use fewer jobs and steps`);
  }
  if (measure.longestName.length > MAX_STATE_NAME_LENGTH) {
    const { location, path } = place(measure.longestName);
    at(location, path, 'state-name-too-long', `state name '${measure.longestName}' has ${measure.longestName.length} characters; Step Functions allows ${MAX_STATE_NAME_LENGTH}`);
  }
  for (const name of measure.duplicateNames) {
    const { location, path } = place(name);
    at(location, path, 'duplicate-state-name', `state name '${name}' is used twice; Step Functions wants every state name unique`);
  }
  if (measure.deepestIntrinsic.depth > MAX_INTRINSIC_DEPTH) {
    const { state, field, depth } = measure.deepestIntrinsic;
    const { location, path } = place(state);
    at(location, path, 'intrinsic-too-deep', `state '${state}' nests ${depth} intrinsic function calls in ${field}; Step Functions allows ${MAX_INTRINSIC_DEPTH}`);
  }
  if (measure.largestStaticData.bytes > MAX_PAYLOAD_BYTES / 2) {
    const { state, bytes } = measure.largestStaticData;
    const { location, path } = place(state);
    at(location, path, 'payload-too-large',
      `state '${state}' adds ${bytes.toLocaleString('en-US')} bytes of fixed data to the execution's data, more than half of Step Functions' payload limit of ${MAX_PAYLOAD_BYTES.toLocaleString('en-US')} (256 KiB), which the trigger event and outputs share: use a smaller matrix or payload`);
  }
  if (history.events > HISTORY_BUDGET) {
    const costs = topLevelJobCosts(definition, items, new Set(jobs.keys()));
    const [job, events] = [...costs].sort((a, b) => b[1] - a[1])[0] ?? [jobLabel(workflow.jobs[0]!.id), 0];
    at(jobs.get(job)!.location, `jobs.${idOf(job)}`, 'history-too-large',
      `one execution could record up to ${history.events.toLocaleString('en-US')} history events (Step Functions stops at ${HISTORY_LIMIT.toLocaleString('en-US')}; stepdeploy keeps under ${HISTORY_BUDGET.toLocaleString('en-US')}) even with every matrix in child executions; job '${idOf(job)}' alone records up to ${events.toLocaleString('en-US')}: split the workflow, or use fewer jobs, steps and retries`);
  }
  const ordered = orderedJobs(definition);
  for (const planned of plan.jobs) {
    const bytes = matrixDataBytes(planned.cells, ordered.has(planned.job.id));
    // Cells that alone take half are the matrix state's fixed data, reported above.
    if (bytes <= MAX_PAYLOAD_BYTES / 2 || Buffer.byteLength(JSON.stringify(planned.cells)) > MAX_PAYLOAD_BYTES / 2) continue;
    at(planned.job.location, `jobs.${planned.job.id}.strategy.matrix`, 'matrix-payload-too-large',
      `jobs.${planned.job.id}.strategy.matrix: its ${planned.cells!.length.toLocaleString('en-US')} cells and their results take at least ${bytes.toLocaleString('en-US')} bytes of the execution's data while the job runs, more than half of Step Functions' payload limit of ${MAX_PAYLOAD_BYTES.toLocaleString('en-US')} (256 KiB): use fewer cells or shorter values (matrices read from and written to S3 are not supported yet)`);
  }
  for (const [job, events] of Object.entries(history.children)) {
    if (events <= HISTORY_BUDGET) continue;
    at(jobs.get(job)!.location, `jobs.${idOf(job)}`, 'history-too-large',
      `one matrix cell of job '${idOf(job)}' could record up to ${events.toLocaleString('en-US')} history events, over stepdeploy's budget of ${HISTORY_BUDGET.toLocaleString('en-US')} (Step Functions stops at ${HISTORY_LIMIT.toLocaleString('en-US')}): use fewer steps or retries`);
  }
  return problems;
}

function walk(machine: StateMachineDefinition | SubMachine, scope: string | undefined, jobIds: ReadonlySet<string>): Visit[] {
  const visits: Visit[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    const job = jobOf(name, scope, jobIds);
    visits.push({ name, state, ...(job === undefined ? {} : { job }) });
    if (state.Type === 'Parallel') for (const branch of state.Branches) visits.push(...walk(branch, job, jobIds));
    if (state.Type === 'Map') visits.push(...walk(state.ItemProcessor, job, jobIds));
  }
  return visits;
}

/** `deploy`, `deploy: start`, `deploy.ship: run` → `deploy`; plumbing names hold a space first. */
function jobOf(name: string, scope: string | undefined, jobIds: ReadonlySet<string>): string | undefined {
  const prefix = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(name)?.[0];
  if (prefix !== undefined && jobIds.has(prefix) && (name.length === prefix.length || name[prefix.length] === '.' || name[prefix.length] === ':')) return prefix;
  return scope;
}

function locate(stateName: string, definition: StateMachineDefinition, jobs: ReadonlyMap<string, Job>, fallback: Job): { location: SourceLocation; path: string } {
  const visit = walk(definition, undefined, new Set(jobs.keys())).find((candidate) => candidate.name === stateName);
  const job = jobs.get(visit?.job ?? '') ?? fallback;
  const stepId = new RegExp(`^${jobLabel(job.id)}\\.([A-Za-z_][A-Za-z0-9_-]*)`).exec(stateName)?.[1];
  const step: Step | undefined = job.steps.find((candidate) => candidate.id === stepId);
  if (step !== undefined) return { location: step.location, path: `jobs.${job.id}.steps.${step.id}` };
  return { location: job.location, path: `jobs.${job.id}` };
}

/** `"key.$": "expression"` fields of a state, with their paths (`Parameters.Payload.needs.$`). */
function dynamicFields(state: State): [string, string][] {
  const found: [string, string][] = [];
  const scan = (value: JsonValue | undefined, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((item, index) => scan(item, `${path}[${index}]`));
    for (const [key, inner] of Object.entries(value)) {
      if (key.endsWith('.$') && typeof inner === 'string') found.push([`${path}.${key}`, inner]);
      else scan(inner, `${path}.${key}`);
    }
  };
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) scan((state as unknown as Record<string, JsonValue | undefined>)[field], field);
  return found;
}

/** Bytes of literal data a state puts into the execution's data. */
function staticDataBytes(state: State): number {
  if (state.Type === 'Pass') return Buffer.byteLength(JSON.stringify(state.Result ?? state.Parameters ?? null));
  if (state.Type === 'Task' || state.Type === 'Map') return Buffer.byteLength(JSON.stringify((state.Type === 'Map' ? state.ItemSelector : state.Parameters) ?? null));
  return 0;
}

/** UTF-8 bytes of definition text with every runtime reference counted at SIZING_REF_LENGTH. */
export function sizeOf(refs: RuntimeRefs, text: string): number {
  let bytes = Buffer.byteLength(text);
  for (const ref of Object.values(refs)) bytes += occurrences(text, ref) * (SIZING_REF_LENGTH - Buffer.byteLength(ref));
  return bytes;
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

function topLevelJobCosts(definition: StateMachineDefinition, items: MapItemCounts, jobIds: ReadonlySet<string>): Map<string, number> {
  const costs = new Map<string, number>();
  for (const { job, name, state } of jobStates(definition, jobIds)) costs.set(job, (costs.get(job) ?? 0) + stateCost(name, state, items, {}));
  return costs;
}

/** The states that make up each job (its scope and the states named after it), through Parallels of jobs. */
function jobStates(machine: StateMachineDefinition | SubMachine, jobIds: ReadonlySet<string>): { job: string; name: string; state: State }[] {
  const found: { job: string; name: string; state: State }[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    const job = jobOf(name, undefined, jobIds);
    if (job !== undefined) found.push({ job, name, state });
    else if (state.Type === 'Parallel') for (const branch of state.Branches) found.push(...jobStates(branch, jobIds));
  }
  return found;
}
