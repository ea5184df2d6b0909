import { keyPath } from '../source-index';
import type { CheckInput } from './check';

/**
 * What the job runner (lib/runner, issue 9) executes. Until it runs checkout steps, they are
 * rejected here with the reason, never rendered as something else: the job runner flips this.
 */
export const runnerRunsCheckout = false;

/** Until the runner fills them, `runner.*` and github's runner fields (githubRunnerFields) are refused. */
export const runnerProvidesContexts = false;

export const runnerNotBuilt = "the job cell's runner, which fills it, is not built yet (each run step is a build of its own)";

export function checkRunnerSupport({ workflow, index, stepPaths, sink }: CheckInput): void {
  if (runnerRunsCheckout) return;
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (step.kind !== 'checkout' || stepPath === undefined) continue;
      const path = keyPath(stepPath, 'uses');
      const message = `${path}: '${step.action}' is not supported yet: checkout steps run on the job cell's runner, which is not built yet (each run step is a build of its own); remove uses`;
      sink.report('unsupported-key', index.keyPos(path), path, message);
    }
  }
}
