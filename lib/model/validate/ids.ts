import { jobLabel, MAX_ID_LENGTH, MAX_JOB_ID_LENGTH } from '../../asl/names';
import { isReservedKey, reservedKeyRule } from '../../source/reserved-keys';
import { keyPath } from '../source-index';
import { writtenJobIds, type CheckInput } from './check';

const idPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Why an id is not one GitHub allows (or, for a step, one that can name a state), or undefined. */
export function idProblem(id: string, kind: 'job' | 'step' = 'step'): string | undefined {
  if (!idPattern.test(id)) return 'ids start with a letter or _ and contain only letters, digits, _ and -';
  if (id.startsWith('__')) return "ids starting with '__' are reserved (as on GitHub)";
  if (isReservedKey(id)) return reservedKeyRule(id);
  if (kind === 'job' && id.length > MAX_JOB_ID_LENGTH) return `job ids are at most ${MAX_JOB_ID_LENGTH} characters, as on GitHub (this one has ${id.length})`;
  if (kind === 'step' && id.length > MAX_ID_LENGTH) {
    return `step ids are at most ${MAX_ID_LENGTH} characters (this one has ${id.length}), so that state names built from them stay within Step Functions' 80-character limit`;
  }
  return undefined;
}

/** Job and step ids: valid names, job ids unique regardless of case (as on GitHub), step ids unique within their job. */
export function checkIds({ workflow, index, stepPaths, sink }: CheckInput): void {
  const byFoldedId = new Map<string, string>();
  const byLabel = new Map<string, string>();
  for (const id of writtenJobIds(index)) {
    const path = keyPath('jobs', id);
    const problem = idProblem(id, 'job');
    if (problem !== undefined) {
      sink.report('invalid-id', index.keyPos(path), path, `${path}: job id '${id}' is invalid: ${problem}`);
      continue;
    }
    const first = byFoldedId.get(id.toLowerCase());
    if (first !== undefined) {
      sink.report('duplicate-job-id', index.keyPos(path), path, `${path}: job id '${id}' is already used by job '${first}'; job ids are unique regardless of case, as on GitHub`);
      continue;
    }
    byFoldedId.set(id.toLowerCase(), id);
    // A long id is shortened in state names; two ids must not end up with the same state names.
    const clash = byLabel.get(jobLabel(id));
    if (clash !== undefined) {
      sink.report('job-label-clash', index.keyPos(path), path, `${path}: job id '${id}' and job '${clash}' share the state-name label '${jobLabel(id)}'; rename one of them`);
    }
    byLabel.set(jobLabel(id), id);
  }
  for (const job of workflow.jobs) {
    const seen = new Map<string, string>();
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step) ?? keyPath(keyPath('jobs', job.id), 'steps');
      const idPath = keyPath(stepPath, 'id');
      if (step.hasExplicitId) {
        const problem = idProblem(step.id);
        if (problem !== undefined) sink.report('invalid-id', index.valuePos(idPath), idPath, `${idPath}: step id '${step.id}' is invalid: ${problem}`);
      }
      const first = seen.get(step.id);
      if (first !== undefined) {
        const at = step.hasExplicitId ? idPath : stepPath;
        const message = `${at}: step id '${step.id}' is already used by ${first} in job '${job.id}'; step ids are unique within a job`;
        sink.report('duplicate-step-id', index.valuePos(at), at, message);
      } else seen.set(step.id, step.hasExplicitId ? stepPath : `${stepPath} (as its default id)`);
    }
  }
}
