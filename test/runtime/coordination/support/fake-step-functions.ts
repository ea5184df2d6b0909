// The one faked part: Step Functions' task-token and StopExecution API. It records every call in time
// order and hands each token's completion to whoever waits for it, as a parked state would be resumed.
// Completing a token twice fails with InvalidToken, as the real service does.

import { DescribeExecutionCommand, InvalidToken, TaskTimedOut, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { testCredentials } from './dynalite-table';

export type TokenOutcome =
  | { readonly kind: 'success'; readonly output: Record<string, unknown> }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string };

export type SfnCall =
  | { readonly api: 'SendTaskSuccess'; readonly token: string; readonly output: Record<string, unknown>; readonly at: number }
  | { readonly api: 'SendTaskFailure'; readonly token: string; readonly error: string; readonly cause: string; readonly at: number }
  | { readonly api: 'StopExecution'; readonly executionArn: string; readonly error: string; readonly cause: string; readonly at: number };

export class FakeStepFunctions {
  readonly client = new SFNClient({ region: 'us-east-1', credentials: testCredentials });
  readonly calls: SfnCall[] = [];
  private readonly outcomes = new Map<string, TokenOutcome>();
  private readonly waiters = new Map<string, (outcome: TokenOutcome) => void>();
  /** Executions DescribeExecution reports RUNNING; any other has ended (SUCCEEDED). */
  readonly running = new Set<string>();
  /** Tokens whose task is gone (its execution stopped or timed out): callbacks get TaskTimedOut, as in AWS. */
  readonly deadTokens = new Set<string>();
  /** The next this many SendTaskSuccess calls fail as a service error would (ServiceUnavailable), completing nothing. */
  unavailableSends = 0;
  /** Called on every completion, synchronously (the stress test's invariant checker hooks in here). */
  onComplete: (token: string, outcome: TokenOutcome) => void = () => {};

  constructor() {
    const mock = mockClient(this.client);
    mock.on(SendTaskSuccessCommand).callsFake((input: { taskToken: string; output: string }) => {
      if (this.unavailableSends > 0) {
        this.unavailableSends--;
        throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
      }
      const output = JSON.parse(input.output) as Record<string, unknown>;
      this.calls.push({ api: 'SendTaskSuccess', token: input.taskToken, output, at: performance.now() });
      this.complete(input.taskToken, { kind: 'success', output });
      return {};
    });
    mock.on(SendTaskFailureCommand).callsFake((input: { taskToken: string; error: string; cause: string }) => {
      this.calls.push({ api: 'SendTaskFailure', token: input.taskToken, error: input.error, cause: input.cause, at: performance.now() });
      this.complete(input.taskToken, { kind: 'failure', error: input.error, cause: input.cause });
      return {};
    });
    mock.on(StopExecutionCommand).callsFake((input: { executionArn: string; error: string; cause: string }) => {
      this.calls.push({ api: 'StopExecution', executionArn: input.executionArn, error: input.error, cause: input.cause, at: performance.now() });
      return { stopDate: new Date() };
    });
    mock.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => ({
      executionArn: input.executionArn,
      status: this.running.has(input.executionArn) ? 'RUNNING' : 'SUCCEEDED',
    }));
  }

  private complete(token: string, outcome: TokenOutcome): void {
    if (this.deadTokens.has(token)) throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    if (this.outcomes.has(token)) throw new InvalidToken({ message: `task token already completed: ${token}`, $metadata: {} });
    this.outcomes.set(token, outcome);
    this.onComplete(token, outcome);
    this.waiters.get(token)?.(outcome);
    this.waiters.delete(token);
  }

  /** How the token was completed, once it is. */
  outcome(token: string): Promise<TokenOutcome> {
    const known = this.outcomes.get(token);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.waiters.set(token, resolve));
  }

  /** How the token was completed so far; undefined while it is still parked. */
  completed(token: string): TokenOutcome | undefined {
    return this.outcomes.get(token);
  }

  callsTo(api: SfnCall['api']): SfnCall[] {
    return this.calls.filter((c) => c.api === api);
  }
}
