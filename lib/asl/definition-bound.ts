// A definition far over Step Functions' 1 MB is refused without rendering it whole: a 1 MB workflow
// of 2,770 jobs compiles to about 40 MB, and rendering, pruning and measuring all of it took seconds
// where its first 150 jobs already prove it cannot deploy. Near the limit nothing changes: below
// FAR_OVER_BYTES the whole definition is rendered and measured exactly (lib/asl/limits.ts).

import type { Problem } from '../model/problem';
import type { Job } from '../model/workflow';
import type { Plan } from '../plan/types';
import { renderJob } from './job';
import { MAX_DEFINITION_BYTES, SIZING_REF_LENGTH, sizeOf } from './limits';
import { pruneUnreachable } from './prune';
import type { RuntimeRefs } from './refs';
import { jobRenderOptions, type RenderOptions } from './render';
import { StateSet } from './state-set';

/** Past this lower bound a definition is "far over" the limit and is not rendered whole. */
export const FAR_OVER_BYTES = 2 * MAX_DEFINITION_BYTES;

/** Where a job rendered alone continues: shorter than any state's real `Next` or `End`, so the bound stays below. */
const CONTINUATION = '';

export interface DefinitionLowerBound {
  /** Bytes (as lib/asl/limits.ts sizes them) the jobs counted take in the whole definition, at least. */
  readonly bytes: number;
  /** How many jobs were counted, in start order. */
  readonly jobs: number;
  /** The job of those that takes the most. */
  readonly largest?: { readonly job: Job; readonly bytes: number };
}

/**
 * A lower bound of a plan's definition size: its jobs rendered one by one in start order, stopping
 * once the bound passes `stopAbove`; undefined when the references cannot be sized this way.
 *
 * Each job's states appear in the whole definition as rendered here (pruned the same way), save for
 * their continuation, which is never shorter there (`"Next":"<name>"` or `"End":true,
 * "OutputPath":"$.needs"` against `"Next":""`), and with its matrices inline, which a Distributed Map
 * only lengthens (ProcessorConfig). States of different jobs are disjoint parts of the definition.
 */
export function definitionLowerBound(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}, stopAbove = Infinity): DefinitionLowerBound | undefined {
  // A reference longer than it is counted at would make a part count more than its place in the whole.
  if (Object.values(refs).some((ref) => Buffer.byteLength(ref) > SIZING_REF_LENGTH)) return undefined;
  const jobOptions = jobRenderOptions(plan, { ...options, refs, distributed: new Set() });
  let total = 0;
  let counted = 0;
  let largest: { job: Job; bytes: number } | undefined;
  for (const planned of plan.jobs) {
    if (total > stopAbove) break;
    const set = new StateSet();
    set.add(CONTINUATION, { Type: 'Succeed' });
    const entry = renderJob(set, planned, jobOptions, CONTINUATION);
    const { States } = pruneUnreachable({ StartAt: entry, States: set.states });
    let bytes = 0;
    for (const [name, state] of Object.entries(States)) {
      // `{"name":{…}}` less its braces is how the state is written inside the whole definition.
      if (name !== CONTINUATION) bytes += sizeOf(refs, JSON.stringify({ [name]: state })) - 2;
    }
    total += bytes;
    counted++;
    if (largest === undefined || bytes > largest.bytes) largest = { job: planned.job, bytes };
  }
  return { bytes: total, jobs: counted, ...(largest !== undefined && { largest }) };
}

/**
 * The `definition-too-large` problem of a plan whose first jobs alone already take more than
 * FAR_OVER_BYTES, at the largest of them; undefined when they do not (the exact check decides).
 */
export function farOverDefinitionLimit(plan: Plan, refs: RuntimeRefs, options: Omit<RenderOptions, 'refs' | 'distributed'> = {}): Problem | undefined {
  const bound = definitionLowerBound(plan, refs, options, FAR_OVER_BYTES);
  if (bound === undefined || bound.bytes <= FAR_OVER_BYTES || bound.largest === undefined) return undefined;
  const { job, bytes } = bound.largest;
  const count = `${bound.jobs.toLocaleString('en-US')} of its ${plan.jobs.length.toLocaleString('en-US')} jobs`;
  return {
    code: 'definition-too-large',
    location: job.location,
    path: `jobs.${job.id}`,
    message:
      `the state machine would be more than ${bound.bytes.toLocaleString('en-US')} bytes (${count} alone take that), over Step Functions' limit of ${MAX_DEFINITION_BYTES.toLocaleString('en-US')} (1 MB); ` +
      `the largest of them, '${job.id}', takes ${bytes.toLocaleString('en-US')}: split the workflow into smaller workflow files, or use fewer jobs and steps`,
  };
}
