// Where a cell's runner gets its source in AWS, by the run's checkout (lib/runtime/run-source.ts):
//   snapshot — `stepdeploy start` from a working copy: the zip it uploaded to the runtime's bucket, as
//              the build's S3 source (SourceTypeOverride S3, SourceLocationOverride <bucket>/<key>,
//              SourceVersion = the object's version id); the project's inline buildspec stays (an
//              override of the source's type and location leaves the project's buildspec in effect);
//   commit   — a push, or a start naming a sha/ref: the connected GitHub repository at that version
//              (SourceVersion), only when the runtime has a connection (lib/constructs/runner-source.ts);
//   otherwise the project's own source: the connected repository's default branch, or none.
// A job that does not read the repository starts with an empty workspace whatever the source.
// A Choice on `$.run.checkout.kind` picks the start runner (lib/asl/job.ts), for a job that reads the
// repository: one with `actions/checkout` or an action of the repository (`uses: ./path`). A job
// without either has an empty workspace on GitHub, and here too: its runner empties the workspace
// before any step (STEPDEPLOY_RUNNER_EMPTY_WORKSPACE), so it costs neither the Choice nor the template
// bytes of the extra start runners, and never runs files of another commit (the default branch).

import { runnerContextSeams } from './runner-context-seams';
import type { RunnerSeams, SourceVariant } from './runner-seams';
import { readsRepository } from './reads-repository';

export interface RunnerSourceOptions {
  /** Whether the runner project's source is a connected GitHub repository. */
  readonly connected: boolean;
}

export function runnerSourceSeams({ connected }: RunnerSourceOptions): RunnerSeams {
  const snapshot: SourceVariant = {
    kind: 'snapshot',
    parameters: {
      SourceTypeOverride: 'S3',
      'SourceLocationOverride.$': "States.Format('{}/{}', $.run.checkout.bucket, $.run.checkout.key)",
      'SourceVersion.$': '$.run.checkout.versionId',
    },
  };
  const commit: SourceVariant = { kind: 'commit', parameters: { 'SourceVersion.$': '$.run.checkout.version' } };
  const variants = connected ? [commit, snapshot] : [snapshot];
  return { ...runnerContextSeams, sources: (job) => (readsRepository(job) ? variants : []) };
}
