// Whether a job reads the repository: it checks out (`actions/checkout`) or runs an action of the
// repository (`uses: ./path`). Only such a job's runner starts with the run's source; any other job's
// workspace starts empty, as on GitHub, in AWS and locally alike (lib/asl/runner.ts, lib/runner/main.ts).

import type { Job, Step } from '../model/workflow';

const readsRepositoryStep = (step: Step): boolean => step.kind === 'checkout' || step.kind === 'action';

export const readsRepository = (job: Job): boolean => job.steps.some(readsRepositoryStep);
