// The start runner state's Retry as the local engine's interpreter (aws-local-stepfunctions, with the
// validation the engine uses) runs it: StartBuild refused for the account's build quota and throttled
// are retried by retriers of their own (MaxDelaySeconds, JitterStrategy FULL accepted), each with its
// own count of attempts, and any other error is not retried.
import { StateMachine } from 'aws-local-stepfunctions';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import { startQuotaRetry, startThrottleRetry } from '../../lib/asl/runner';
import type { TaskState } from '../../lib/asl/types';
import { loadWorkflowFile } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';
import { stateNamed } from '../asl/render-helpers';

class CodeBuildError extends Error {
  constructor(name: string) {
    super(`${name} from StartBuild`);
    this.name = name;
  }
}

let startRunner: TaskState;
beforeAll(async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'stepdeploy-start-retry-')), 'w.yml');
  await writeFile(file, 'on: workflow_dispatch\njobs:\n  deploy:\n    steps:\n      - run: ./deploy.sh\n');
  const { workflow } = await loadWorkflowFile(file);
  startRunner = stateNamed(compileWorkflow(planWorkflow(workflow!), placeholderRefs).definition, 'deploy: start runner') as TaskState;
});

/** Runs the start runner state alone; StartBuild answers with `errors` in turn, then starts a build. */
async function runStart(errors: readonly string[]): Promise<{ calls: string[]; result?: unknown; error?: string }> {
  const { Next: _next, Catch: _catch, ...state } = startRunner;
  const machine = new StateMachine({ StartAt: 'start', States: { start: { ...state, End: true } } } as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const calls: string[] = [];
  // The start runner passes the run's github context and checkout (lib/asl/runner-context-seams.ts).
  const input = { run: { execution: { id: 'arn:aws:states:us-east-1:000000000000:execution:m:e' }, github: { sha: '' }, checkout: { kind: 'default' } } };
  const run = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: {
        start: async () => {
          const error = errors[calls.length];
          calls.push(error ?? 'started');
          if (error !== undefined) throw new CodeBuildError(error);
          return { Build: { Id: 'runner:1' } };
        },
      } as never,
      // The waits themselves (capped, jittered) are Step Functions' to keep: none here.
      retryIntervalOverrides: { start: 0 },
    },
    context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:m:e' } },
  });
  try {
    return { calls, result: await run.result };
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    return { calls, error: cause?.name ?? (error as Error).name };
  }
}

const quota = 'CodeBuild.AccountLimitExceededException';
const throttled = 'CodeBuild.AWSCodeBuildException';

describe('the start runner state’s Retry', () => {
  it('has a quota retrier and a throttling retrier, capped and fully jittered', () => {
    expect(startRunner.Retry).toEqual([startQuotaRetry, startThrottleRetry]);
    for (const retrier of startRunner.Retry!) expect(retrier).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number) });
    expect(startThrottleRetry.ErrorEquals).toEqual(['CodeBuild.AWSCodeBuildException', 'CodeBuild.CodeBuildException']);
  });

  it('starts after every quota and every throttling attempt was spent: each retrier counts its own', async () => {
    const errors = [...Array.from({ length: 6 }, () => throttled), ...Array.from({ length: 8 }, () => quota)];
    const { calls, result } = await runStart(errors);
    expect(calls).toEqual([...errors, 'started']);
    expect(result).toMatchObject({ job: { runner: { build: 'runner:1' } } });
  });

  it('fails after the seventh throttled start, and at once on an error no retrier names', async () => {
    const seventh = await runStart(Array.from({ length: 7 }, () => throttled));
    expect(seventh.calls).toHaveLength(7);
    expect(seventh.error).toBe(throttled);
    const invalid = await runStart(['CodeBuild.InvalidInputException']);
    expect(invalid).toEqual({ calls: ['CodeBuild.InvalidInputException'], error: 'CodeBuild.InvalidInputException' });
  });
});
