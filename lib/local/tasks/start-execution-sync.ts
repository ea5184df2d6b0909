// `states:startExecution.sync:2`: a child execution on the same engine; the task waits for it and
// returns its description with Input and Output as JSON (the `:2` form). Stopping the parent stops it.

import type { DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { SfnApiError } from '../api-errors';
import { TaskError } from '../task-error';
import { parametersOf, type TaskContext } from './task-context';

export interface ChildExecutions {
  start(stateMachineArn: string, input: string, name?: string): { executionArn: string };
  /** Resolves once the execution has ended (its processes included). */
  finished(executionArn: string): Promise<DescribeExecutionOutput>;
  stop(executionArn: string, reason: { error: string; cause: string }): Promise<unknown>;
}

const parse = (text: string | undefined): unknown => (text === undefined ? null : JSON.parse(text));

export async function startExecutionSync(children: ChildExecutions, input: unknown, context: TaskContext): Promise<unknown> {
  const { StateMachineArn, Input, Name } = parametersOf(input);
  const where = `State '${context.stateName}'`;
  if (typeof StateMachineArn !== 'string') throw new TaskError('States.Runtime', `${where}: Parameters.StateMachineArn must be a string`);
  if (Name !== undefined && typeof Name !== 'string') throw new TaskError('States.Runtime', `${where}: Parameters.Name must be a string`);
  const inputText = typeof Input === 'string' ? Input : JSON.stringify(Input ?? {});
  let executionArn: string;
  try {
    ({ executionArn } = children.start(StateMachineArn, inputText, Name));
  } catch (error) {
    if (error instanceof SfnApiError) throw new TaskError(`StepFunctions.${error.code}Exception`, `${where}: ${error.message}`);
    throw error;
  }
  const stop = (): void => void children.stop(executionArn, { error: 'States.Aborted', cause: `The parent execution ${context.executionArn} was stopped` });
  context.signal.addEventListener('abort', stop, { once: true });
  const child = await children.finished(executionArn);
  context.signal.removeEventListener('abort', stop);
  const description = {
    ExecutionArn: child.executionArn,
    Input: parse(child.input),
    InputDetails: { Included: true },
    Name: child.name,
    StartDate: child.startDate?.getTime(),
    StateMachineArn: child.stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate?.getTime(),
  };
  if (child.status === 'SUCCEEDED') return { ...description, Output: parse(child.output), OutputDetails: { Included: true } };
  throw new TaskError('States.TaskFailed', JSON.stringify({ ...description, Error: child.error, Cause: child.cause }));
}
