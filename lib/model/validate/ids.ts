import { MAX_ID_LENGTH } from '../../asl/names';
import { keyPath } from '../source-index';
import { writtenJobIds, type CheckInput } from './check';

const idPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Why an id cannot name a state, or undefined when it can. */
export function idProblem(id: string): string | undefined {
  if (!idPattern.test(id)) return 'ids start with a letter or _ and contain only letters, digits, _ and -';
  if (id.length > MAX_ID_LENGTH) {
    return `ids are at most ${MAX_ID_LENGTH} characters (this one has ${id.length}), so that state names built from them stay within Step Functions' 80-character limit`;
  }
  return undefined;
}

/** Job and step ids: valid names, and step ids unique within their job. */
export function checkIds({ workflow, index, stepPaths, sink }: CheckInput): void {
  for (const id of writtenJobIds(index)) {
    const path = keyPath('jobs', id);
    const problem = idProblem(id);
    if (problem !== undefined) sink.report('invalid-id', index.keyPos(path), path, `${path}: job id '${id}' is invalid: ${problem}`);
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
