// `lambda:invoke` and `lambda:invoke.waitForTaskToken`: the function runs in-process; its result
// is wrapped like the real integration's, a thrown error surfaces under its `name` (what Catch matches).

import { TaskError } from '../task-error';
import type { TaskTokens } from '../task-tokens';
import { parametersOf, untilAborted, type TaskContext } from './task-context';

export type LambdaFunction = (payload: unknown) => Promise<unknown>;
/** Finds a function by the task's FunctionName; throws TaskError naming the state when none runs locally. */
export type LambdaResolver = (functionName: string, stateName: string) => Promise<LambdaFunction>;

const stopped = (): Error => new TaskError('States.Aborted', 'The task was stopped');

/** A JSON round trip, as between Step Functions and Lambda (undefined becomes null). */
const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null)) as unknown;

async function call(resolve: LambdaResolver, input: unknown, context: TaskContext): Promise<unknown> {
  const { FunctionName, Payload } = parametersOf(input);
  if (typeof FunctionName !== 'string') throw new TaskError('States.Runtime', `State '${context.stateName}': Parameters.FunctionName must be a string`);
  const fn = await resolve(FunctionName, context.stateName);
  try {
    return overTheWire(await untilAborted(fn(overTheWire(Payload)), context.signal, stopped));
  } catch (error) {
    if (error instanceof TaskError) throw error;
    const thrown = error instanceof Error ? error : new Error(String(error));
    throw new TaskError(thrown.name, JSON.stringify({ errorMessage: thrown.message, errorType: thrown.name }));
  }
}

export async function lambdaInvoke(resolve: LambdaResolver, input: unknown, context: TaskContext): Promise<unknown> {
  const Payload = await call(resolve, input, context);
  return { ExecutedVersion: '$LATEST', Payload, StatusCode: 200 };
}

/** The token is already in `input` (minted per task); the task ends with the callback, not the function. */
export async function lambdaInvokeWaitForToken(
  resolve: LambdaResolver,
  tokens: TaskTokens,
  token: string,
  input: unknown,
  context: TaskContext,
  /** Runs once the function returned (with the task still parked on its token). */
  invoked?: () => void,
): Promise<unknown> {
  const failed = new AbortController();
  // Parked before the call: the function may call back before it returns.
  const callback = tokens.wait(token, AbortSignal.any([context.signal, failed.signal]));
  callback.catch(() => undefined);
  try {
    await call(resolve, input, context);
  } catch (error) {
    failed.abort();
    throw error;
  }
  invoked?.();
  return callback;
}
