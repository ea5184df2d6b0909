import { createHash } from 'node:crypto';

// State names carry the role of a state, so that the run report can be rebuilt from an execution's
// history alone (locally and in AWS). Job and step ids match [A-Za-z_][A-Za-z0-9_-]*, so '.' and
// ': ' separate them unambiguously. A job is named in states by its label: its id, or for an id
// longer than MAX_ID_LENGTH a shortened form that still matches the id pattern (a prefix of the id
// and a hash of all of it), so that every name stays ≤ 80 characters; its start state's Comment then
// names the full id (jobIdOfStartComment).

export type StateRole =
  | { readonly role: 'job-start'; readonly job: string }
  | { readonly role: 'job-end'; readonly job: string }
  | { readonly role: 'job-approval'; readonly job: string }
  | { readonly role: 'step-run'; readonly job: string; readonly step: string }
  | { readonly role: 'step-skip'; readonly job: string; readonly step: string };

/** Longest step id, and longest job id used as is in state names (keeps them ≤ 80 characters). */
export const MAX_ID_LENGTH = 32;

/** Longest job id, as on GitHub; ids past MAX_ID_LENGTH are shortened to a label in state names. */
export const MAX_JOB_ID_LENGTH = 100;

const HASH_LENGTH = 8;

/** The job as state names call it: the id itself, or `<prefix>_<hash>` of MAX_ID_LENGTH characters. */
export function jobLabel(job: string): string {
  if (job.length <= MAX_ID_LENGTH) return job;
  const hash = createHash('sha256').update(job).digest('hex').slice(0, HASH_LENGTH);
  return `${job.slice(0, MAX_ID_LENGTH - HASH_LENGTH - 1)}_${hash}`;
}

/**
 * The Comment of a start state whose job is shortened to a label: it names the full id; a job of a
 * called workflow is named as GitHub shows it (`deploy / build`, lib/model/reusable/inline.ts).
 */
export const jobStartComment = (job: string, shown?: string): string | undefined =>
  shown !== undefined ? `Called job ${shown}.` : jobLabel(job) === job ? undefined : `Job ${job}.`;

/** How reports name the job a start state's Comment names, if it names one. */
export function jobIdOfStartComment(comment: string | undefined): string | undefined {
  const match = comment === undefined ? null : (/^Job ([A-Za-z_][A-Za-z0-9_-]*)\.$/.exec(comment) ?? /^Called job (.+)\.$/s.exec(comment));
  return match?.[1];
}

export const jobStartState = (job: string): string => `${jobLabel(job)}: start`;
export const jobEndState = (job: string): string => `${jobLabel(job)}: end`;
export const jobApprovalState = (job: string): string => `${jobLabel(job)}: approval`;
/** A dynamic matrix that could not be expanded ends its job here (lib/asl/job.ts); the report reads `$.matrixError`. */
export const matrixFailedState = (job: string): string => `${jobLabel(job)}: matrix failed`;
export const stepRunState = (job: string, step: string): string => `${jobLabel(job)}.${step}: run`;
export const stepSkipState = (job: string, step: string): string => `${jobLabel(job)}.${step}: skipped`;

const pattern = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?: (start|end|approval|run|skipped)$/;

/** The role of a state, or undefined for plumbing states (choices, merges, locks). */
export function parseStateName(name: string): StateRole | undefined {
  const match = pattern.exec(name);
  if (!match) return undefined;
  const [, job, step, suffix] = match as unknown as [string, string, string | undefined, string];
  if (step === undefined) {
    if (suffix === 'start') return { role: 'job-start', job };
    if (suffix === 'end') return { role: 'job-end', job };
    if (suffix === 'approval') return { role: 'job-approval', job };
    return undefined;
  }
  if (suffix === 'run') return { role: 'step-run', job, step };
  if (suffix === 'skipped') return { role: 'step-skip', job, step };
  return undefined;
}
