import { lookUpRunner, type RunnerLabelTable } from '../runner-labels';
import { runsOnCandidates } from '../runs-on';
import { keyPath } from '../source-index';
import type { CheckInput } from './check';

const selfHosted = 'self-hosted';

/**
 * Every label of every `runs-on` exists in the project's table and the labels of one runs-on agree.
 * A `runs-on` expression must be one whose every value is known before the run: `${{ matrix.<key> }}`
 * or `${{ inputs.<choice input> }}`; each of those values is checked like written labels.
 */
export function checkRunsOn({ workflow, index, sink }: CheckInput): void {
  for (const job of workflow.jobs) {
    const path = keyPath(keyPath('jobs', job.id), 'runs-on');
    const node = index.node(path);
    const labelsPath = node?.kind === 'map' ? keyPath(path, 'labels') : path;
    if (job.runsOn.expression !== undefined) {
      const candidates = runsOnCandidates(job, workflow);
      if (candidates === undefined) {
        const message = `${labelsPath}: '${job.runsOn.expression}' can evaluate to any label; write the labels, or \${{ matrix.<key> }} / \${{ inputs.<choice input> }} whose every value is a known label`;
        sink.report('runs-on-expression', index.valuePos(labelsPath), labelsPath, message);
        continue;
      }
      for (const labels of candidates) {
        const problem = labelProblem(labels, workflow.runnerLabels);
        if (problem !== undefined) {
          sink.report(problem.code, index.valuePos(labelsPath), labelsPath, `${labelsPath}: '${job.runsOn.expression}' can be ${JSON.stringify(labels)}: ${problem.reason}`);
          break;
        }
      }
      continue;
    }
    const problem = labelProblem(job.runsOn.labels, workflow.runnerLabels);
    if (problem === undefined) continue;
    // Point at the offending label when runs-on is a list.
    const position = problem.label === undefined ? -1 : job.runsOn.labels.indexOf(problem.label);
    const labelNode = index.node(`${labelsPath}[${position}]`) ?? index.node(labelsPath);
    sink.report(problem.code, labelNode?.pos ?? index.valuePos(labelsPath), labelsPath, `${labelsPath}: ${problem.reason}`);
  }
}

function labelProblem(labels: readonly string[], table: RunnerLabelTable): { code: string; reason: string; label?: string } | undefined {
  const hosted = labels.find((label) => label.toLowerCase() === selfHosted);
  if (hosted !== undefined) {
    return {
      code: 'unsupported-runner-label',
      label: hosted,
      reason: `'${hosted}' is not supported: a job runs on a CodeBuild runner (AWS) or a local runner process, chosen by its labels from the table extended in cdk.json (stepdeploy:runnerLabels); remove ${selfHosted}`,
    };
  }
  const found = lookUpRunner(labels, table);
  if (found.ok) return undefined;
  const unknown = labels.find((label) => found.reason.startsWith(`unknown runner label '${label}'`));
  return { code: unknown === undefined ? 'invalid-runner-labels' : 'unknown-runner-label', reason: found.reason, ...(unknown !== undefined && { label: unknown }) };
}

