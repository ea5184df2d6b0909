// A step handed to a runner: what the dispatch function writes and the runner reads back.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { stepItemKey } from './keys';

export interface EnvVariable {
  readonly Name: string;
  /** A plain value, or (with Type) the name of the secret the runner reads. */
  readonly Value: string;
  /** Absent: PLAINTEXT. */
  readonly Type?: StoredValueType;
}

export type StoredValueType = 'SECRETS_MANAGER';

/** An action step (`uses: ./path`): its main, or at the job's end its post (lib/asl/post-steps.ts). */
export interface ActionWork {
  readonly stage: 'main' | 'post';
  /** The action's folder in the workspace, without `./`. */
  readonly path: string;
  /** `uses:` as written, for messages. */
  readonly uses: string;
  /** The input ids `with:` gives (their values are INPUT_<ID> in the env list); the rest get defaults. */
  readonly with: readonly string[];
  /** A post's: the id of the step whose action it ends. */
  readonly main?: string;
  /** A remote action's `owner/repo` and locked commit: read from the runner's bundled actions. */
  readonly repository?: string;
  readonly sha?: string;
  /** A composite's: the locked commits of the remote actions its steps use (at any depth). */
  readonly nested?: readonly NestedActionWork[];
}

export interface NestedActionWork {
  /** `owner/repo`. */
  readonly action: string;
  readonly ref: string;
  readonly sha: string;
}

export interface StepWork {
  readonly runner: string;
  /** The step's place in its job (0-based): orders the items, keys the step's files. */
  readonly seq: number;
  readonly step: string;
  readonly taskToken: string;
  readonly script: string;
  readonly shell: 'bash';
  /** Relative to the workspace; must exist. */
  readonly workingDirectory?: string;
  /** A working-directory the runner evaluates: the variable of `runnerEnv` that holds it. */
  readonly workingDirectoryVariable?: string;
  /** `uses: actions/checkout`: the folder of the workspace that gets the run's commit ('' = the workspace); no script. */
  readonly checkout?: { readonly path: string };
  /** Env templates that read fields only the runner knows (lib/model/runner-side.ts): the runner evaluates them. */
  readonly runnerEnv?: Readonly<Record<string, string>>;
  /** The evaluated env: job env, then the step's env and the script's lifted expressions. */
  readonly env: readonly EnvVariable[];
  readonly heartbeatSeconds: number;
  /** Absent: a run step (script, shell). */
  readonly action?: ActionWork;
  /** A post step's: the job's status when it starts (what its `post-if` reads). */
  readonly jobStatus?: string;
  /** Its `if:` calls always() or cancelled(): a runner whose run was cancelled still runs it (lib/runtime/runners/cancel.ts). */
  readonly runsOnCancel?: boolean;
}

type Item = Record<string, AttributeValue>;

export function workItem(work: StepWork): Item {
  const { pk, sk } = stepItemKey(work.runner, work.seq);
  return {
    pk: { S: pk },
    sk: { S: sk },
    runner: { S: work.runner },
    seq: { N: String(work.seq) },
    step: { S: work.step },
    taskToken: { S: work.taskToken },
    script: { S: work.script },
    shell: { S: work.shell },
    ...(work.workingDirectory !== undefined ? { workingDirectory: { S: work.workingDirectory } } : {}),
    ...(work.workingDirectoryVariable !== undefined ? { workingDirectoryVariable: { S: work.workingDirectoryVariable } } : {}),
    ...(work.checkout !== undefined ? { checkout: { S: JSON.stringify(work.checkout) } } : {}),
    ...(work.runnerEnv !== undefined ? { runnerEnv: { S: JSON.stringify(work.runnerEnv) } } : {}),
    env: { S: JSON.stringify(work.env) },
    heartbeatSeconds: { N: String(work.heartbeatSeconds) },
    ...(work.action !== undefined ? { action: { S: JSON.stringify(work.action) } } : {}),
    ...(work.jobStatus !== undefined ? { jobStatus: { S: work.jobStatus } } : {}),
    ...(work.runsOnCancel === true ? { runsOnCancel: { BOOL: true } } : {}),
  };
}

export function readWorkItem(item: Item): StepWork {
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined) throw new Error(`work item ${item.pk?.S} ${item.sk?.S}: '${name}' is missing`);
    return value;
  };
  const workingDirectory = item.workingDirectory?.S;
  const workingDirectoryVariable = item.workingDirectoryVariable?.S;
  const checkout = item.checkout?.S;
  const runnerEnv = item.runnerEnv?.S;
  return {
    runner: text('runner'),
    seq: Number(item.seq?.N),
    step: text('step'),
    taskToken: text('taskToken'),
    script: text('script'),
    shell: 'bash',
    ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    ...(workingDirectoryVariable !== undefined ? { workingDirectoryVariable } : {}),
    ...(checkout !== undefined ? { checkout: JSON.parse(checkout) as { path: string } } : {}),
    ...(runnerEnv !== undefined ? { runnerEnv: JSON.parse(runnerEnv) as Record<string, string> } : {}),
    env: JSON.parse(text('env')) as EnvVariable[],
    heartbeatSeconds: Number(item.heartbeatSeconds?.N),
    ...(item.action?.S !== undefined ? { action: JSON.parse(item.action.S) as ActionWork } : {}),
    ...(item.jobStatus?.S !== undefined ? { jobStatus: item.jobStatus.S } : {}),
    ...(item.runsOnCancel?.BOOL === true ? { runsOnCancel: true } : {}),
  };
}
