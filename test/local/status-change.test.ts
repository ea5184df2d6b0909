import { describe, expect, test } from 'vitest';
import { matchesPattern, statusChangeEvent } from '../../lib/local/status-change';

const event = statusChangeEvent({
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:deploy:run-1',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy',
  name: 'run-1',
  status: 'ABORTED',
  startDate: 1_700_000_000_000,
  stopDate: 1_700_000_060_000,
  input: '{}',
  output: null,
  error: 'Superseded',
  cause: null,
});

describe('status-change events and rule patterns', () => {
  test('the event has the EventBridge envelope of AWS', () => {
    expect(event).toMatchObject({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', time: '2023-11-14T22:14:20Z', resources: [event.detail.executionArn] });
    expect(event.detail.outputDetails).toBeNull();
  });

  test('matches source, detail-type and detail lists', () => {
    expect(matchesPattern(event, { source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { status: ['ABORTED', 'TIMED_OUT'] } })).toBe(true);
    expect(matchesPattern(event, { detail: { stateMachineArn: ['arn:aws:states:us-east-1:000000000000:stateMachine:deploy'] } })).toBe(true);
  });

  test('a field outside its list, or another source, does not match', () => {
    expect(matchesPattern(event, { source: ['aws.states'], detail: { status: ['SUCCEEDED'] } })).toBe(false);
    expect(matchesPattern(event, { source: ['stepdeploy.github'] })).toBe(false);
    expect(matchesPattern(event, { detail: { stateMachineArn: ['arn:aws:states:us-east-1:000000000000:stateMachine:other'] } })).toBe(false);
  });
});
