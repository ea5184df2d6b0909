// Counting a history as Step Functions bills it: every state entered is a transition, and so is every
// retry of a Task. A task state schedules its resource once per attempt, so the retries are the
// TaskScheduled events beyond one per TaskStateEntered.
import type { HistoryEvent } from '@aws-sdk/client-sfn';

const count = (history: readonly HistoryEvent[], test: (type: string) => boolean): number =>
  history.filter((event) => event.type !== undefined && test(event.type)).length;

export function retriesIn(history: readonly HistoryEvent[]): number {
  return count(history, (type) => type === 'TaskScheduled') - count(history, (type) => type === 'TaskStateEntered');
}

export function billedTransitions(history: readonly HistoryEvent[]): number {
  return count(history, (type) => type.endsWith('StateEntered')) + retriesIn(history);
}
