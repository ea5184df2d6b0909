// The runner's answers to Step Functions on a step's task token, bounded to what the API accepts.

import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CANCELLED_ERROR, STEP_FAILED, type StepFailedCause, type StepSkipped, type StepSuccess } from '../runtime/runners';

/** SendTaskFailure's Cause holds at most 32,768 characters; SendTaskSuccess's output 256 KiB. */
const MAX_CAUSE = 32_000;
const MAX_OUTPUT = 250_000;
const MAX_LINE = 1_000;

/** The errors that say the task is gone (timed out, its execution stopped): stop working for it. */
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const taskIsGone = (error: unknown): boolean => error instanceof Error && GONE.has(error.name);

/** The cause as JSON text within the limit: the summary goes first, then the oldest lines. */
export function causeText(cause: StepFailedCause): string {
  let fitted: StepFailedCause = { ...cause, lastLines: cause.lastLines.map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line)) };
  let text = JSON.stringify(fitted);
  if (text.length > MAX_CAUSE && fitted.summary !== undefined) {
    const { summary: _dropped, ...rest } = fitted;
    fitted = rest;
    text = JSON.stringify(fitted);
  }
  while (text.length > MAX_CAUSE && fitted.lastLines.length > 0) {
    fitted = { ...fitted, lastLines: fitted.lastLines.slice(1) };
    text = JSON.stringify(fitted);
  }
  return text;
}

export class TaskCallbacks {
  constructor(private readonly sfn: SFNClient) {}

  heartbeat(taskToken: string): Promise<unknown> {
    return this.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
  }

  async succeed(taskToken: string, result: StepSuccess | StepSkipped): Promise<void> {
    const output = JSON.stringify(result);
    if (output.length > MAX_OUTPUT) {
      await this.fail(taskToken, { exitCode: 0, lastLines: [`stepdeploy: the step's outputs and summary take ${output.length} bytes; a step result holds at most ${MAX_OUTPUT}`], log: '' });
      return;
    }
    await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
  }

  /** The run was cancelled: the step fails with `Cancelled`, which the definition turns into a cancelled job. */
  async cancelled(taskToken: string, why: string): Promise<void> {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken, error: CANCELLED_ERROR, cause: why }));
  }

  async fail(taskToken: string, cause: StepFailedCause): Promise<void> {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken, error: STEP_FAILED, cause: causeText(cause) }));
  }
}
