// State names carry the role of a state, so that the run report can be rebuilt from an execution's
// history alone (locally and in AWS). Job and step ids match [A-Za-z_][A-Za-z0-9_-]*, so '.' and
// ': ' separate them unambiguously. The validator caps ids so that every name stays ≤ 80 characters.

export type StateRole =
  | { readonly role: 'job-start'; readonly job: string }
  | { readonly role: 'job-end'; readonly job: string }
  | { readonly role: 'step-run'; readonly job: string; readonly step: string }
  | { readonly role: 'step-skip'; readonly job: string; readonly step: string };

/** Longest job or step id the renderer accepts (keeps state names ≤ 80 characters). */
export const MAX_ID_LENGTH = 32;

export const jobStartState = (job: string): string => `${job}: start`;
export const jobEndState = (job: string): string => `${job}: end`;
export const stepRunState = (job: string, step: string): string => `${job}.${step}: run`;
export const stepSkipState = (job: string, step: string): string => `${job}.${step}: skipped`;

const pattern = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?: (start|end|run|skipped)$/;

/** The role of a state, or undefined for plumbing states (choices, merges, locks). */
export function parseStateName(name: string): StateRole | undefined {
  const match = pattern.exec(name);
  if (!match) return undefined;
  const [, job, step, suffix] = match as unknown as [string, string, string | undefined, string];
  if (step === undefined) {
    if (suffix === 'start') return { role: 'job-start', job };
    if (suffix === 'end') return { role: 'job-end', job };
    return undefined;
  }
  if (suffix === 'run') return { role: 'step-run', job, step };
  if (suffix === 'skipped') return { role: 'step-skip', job, step };
  return undefined;
}
