// The polling semaphore of AWS's published DynamoDB sample, as its description goes (written here from
// that description, not from its code): a conditional UpdateItem takes a slot while the count is
// below the limit; a failed condition is retried 6 times with backoff 2 from 1 s (~63 s), then a 3 s
// Wait loops back to it. Each attempt and each loop is a billed transition, and a freed slot is
// noticed at the next attempt. The bench runs it on the local engine beside stepdeploy's own groups.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { TaskResources, type StateMachineDefinition } from '../../lib/asl/types';

export const SAMPLE_TABLE = 'SampleSemaphoreLocks';
export const SAMPLE_MACHINE = 'sample-semaphore';
export const TAKE = 'Take a slot';
export const WAIT = 'Wait for a slot';
export const HOLD = 'Hold the slot';
export const GIVE_BACK = 'Give the slot back';

const RETRY = { IntervalSeconds: 1, MaxAttempts: 6, BackoffRate: 2 } as const;
const LOOP_SECONDS = 3;

const key = { LockName: { 'S.$': '$.lock' } };
const names = { '#count': 'currentlockcount', '#owner.$': '$$.Execution.Name' };

/** Input: `{ lock, limit (a string), holdSeconds }`. */
export const sampleDefinition: StateMachineDefinition = {
  Comment: 'A polling DynamoDB semaphore after the pattern of AWS’s sample',
  StartAt: TAKE,
  States: {
    [TAKE]: {
      Type: 'Task',
      Resource: TaskResources.dynamodbUpdateItem,
      Parameters: {
        TableName: SAMPLE_TABLE,
        Key: key,
        UpdateExpression: 'SET #owner = :owner ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { 'N.$': '$.limit' }, ':owner': { 'S.$': '$$.Execution.Name' } },
      },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ...RETRY }],
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: WAIT }],
      Next: HOLD,
    },
    [WAIT]: { Type: 'Wait', Seconds: LOOP_SECONDS, Next: TAKE },
    [HOLD]: { Type: 'Wait', SecondsPath: '$.holdSeconds', Next: GIVE_BACK },
    [GIVE_BACK]: {
      Type: 'Task',
      Resource: TaskResources.dynamodbUpdateItem,
      Parameters: {
        TableName: SAMPLE_TABLE,
        Key: key,
        UpdateExpression: 'REMOVE #owner ADD #count :minus',
        ConditionExpression: 'attribute_exists(#owner)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':minus': { N: '-1' } },
      },
      ResultPath: null,
      End: true,
    },
  },
} as StateMachineDefinition;

/** A CloudFormation template the local engine reads: the lock table and the state machine. */
export const sampleTemplate = {
  Resources: {
    SampleLocks: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: SAMPLE_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'LockName', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'LockName', AttributeType: 'S' }],
      },
    },
    SampleSemaphore: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { StateMachineName: SAMPLE_MACHINE, DefinitionString: JSON.stringify(sampleDefinition) },
    },
  },
};

/** Offsets (s) of the attempts within one entry of the take state: 0, 1, 3, 7, 15, 31, 63. */
export const attemptOffsets = (): number[] => {
  const offsets = [0];
  let interval: number = RETRY.IntervalSeconds;
  for (let retry = 0; retry < RETRY.MaxAttempts; retry++) {
    offsets.push(offsets.at(-1)! + interval);
    interval *= RETRY.BackoffRate;
  }
  return offsets;
};

/**
 * What waiting `seconds` for a slot costs the sample: billed transitions of the take and wait states
 * until the first attempt after the slot is free, and how late that attempt notices it (s).
 */
export function samplePollingCost(seconds: number): { readonly transitions: number; readonly lateSeconds: number } {
  const offsets = attemptOffsets();
  const cycle = offsets.at(-1)! + LOOP_SECONDS;
  const cycles = Math.floor(seconds / cycle);
  const within = seconds - cycles * cycle;
  const perCycle = offsets.length + 1; // every attempt, then the wait
  const attempt = offsets.findIndex((offset) => offset >= within);
  if (attempt < 0) {
    // Freed after the last retry: the next loop's first attempt takes it.
    return { transitions: (cycles + 1) * perCycle + 1, lateSeconds: (cycles + 1) * cycle - seconds };
  }
  return { transitions: cycles * perCycle + attempt + 1, lateSeconds: offsets[attempt]! - within };
}

/** Billed transitions of the take and wait states in a history (attempts and loops). */
export function sampleAcquireTransitions(history: readonly HistoryEvent[]): number {
  const entered = (name: string) => history.filter((e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name === name).length;
  const scheduled = history.filter((e) => e.type === 'TaskScheduled').length;
  const taskEntries = history.filter((e) => e.type === 'TaskStateEntered').length;
  return entered(TAKE) + entered(WAIT) + (scheduled - taskEntries);
}
