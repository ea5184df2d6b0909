import { RULES_FILE } from '../environments';
import { keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import type { CheckInput } from './check';

/**
 * Once environments.yml declares environments, a job's literal environment must be one of them: a
 * misspelt name would otherwise deploy without the approval its rules ask for. A name computed by an
 * expression is checked the same way when the job starts.
 */
export function checkEnvironments({ workflow, index, sink }: CheckInput): void {
  const declared = Object.keys(workflow.environments);
  if (declared.length === 0) return;
  for (const job of workflow.jobs) {
    const name = job.environment?.name;
    if (name === undefined || name.includes('${{') || declared.includes(name)) continue;
    const base = keyPath(keyPath('jobs', job.id), 'environment');
    const path = index.node(base)?.kind === 'scalar' ? base : keyPath(base, 'name');
    const hint = didYouMean(name, declared) || ` (declared: ${declared.join(', ')})`;
    sink.report('unknown-environment', index.valuePos(path), path, `${path}: environment '${name}' is not declared in ${RULES_FILE}${hint}`);
  }
}
