// An execution's history in the Step Functions format (`HistoryEvent` of @aws-sdk/client-sfn), built
// from the library's event log plus the task events our handlers add, so that the same report and
// progress code reads a local history and an AWS one.

import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { TaskState } from '../asl/types';

/** The parts of aws-local-stepfunctions' event log entries this mapping reads. */
export interface LibraryEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { readonly name: string; readonly type: string; readonly input: unknown; readonly output?: unknown };
  readonly parentState?: { readonly name: string };
  readonly index?: number;
  readonly Error?: string;
  readonly Cause?: unknown;
}

/** `arn:aws:states:::codebuild:startBuild` → resourceType `codebuild`, resource `startBuild`. */
export function taskResourceParts(resource: string): { resourceType: string; resource: string } {
  const match = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource);
  return match ? { resourceType: match[1] ?? '', resource: match[2] ?? '' } : { resourceType: 'lambda', resource };
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const causeText = (cause: unknown): string => (typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : json(cause));

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  private ended = false;

  constructor(
    private readonly tasks: ReadonlyMap<string, TaskState>,
    private readonly onEvent: (event: HistoryEvent) => void,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Appends one event; after the execution's last event nothing more is recorded. */
  add(type: HistoryEventType, details: Omit<HistoryEvent, 'type' | 'id' | 'previousEventId' | 'timestamp'> = {}, timestamp = Date.now()): void {
    if (this.ended) return;
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(timestamp), type, id, previousEventId: id - 1, ...details };
    this.events.push(event);
    if (type.startsWith('Execution') && type !== 'ExecutionStarted') this.ended = true;
    this.onEvent(event);
  }

  /** Task events our handlers see (scheduled, started, succeeded); failures come from the library. */
  task(stage: 'scheduled' | 'started' | 'succeeded', stateName: string, detail: unknown): void {
    const state = this.tasks.get(stateName);
    const parts = taskResourceParts(state?.Resource ?? '');
    if (stage === 'scheduled') {
      this.add('TaskScheduled', {
        taskScheduledEventDetails: {
          ...parts,
          region: 'us-east-1',
          parameters: json(detail),
          ...(state?.TimeoutSeconds !== undefined ? { timeoutInSeconds: state.TimeoutSeconds } : {}),
        },
      });
    } else if (stage === 'started') {
      this.add('TaskStarted', { taskStartedEventDetails: parts });
    } else {
      this.add('TaskSucceeded', { taskSucceededEventDetails: { ...parts, output: json(detail) } });
    }
  }

  /**
   * Maps one library event; events with no Step Functions counterpart (branch start, retry, catch: the
   * library reports a caught state's exit itself) are left out.
   */
  fromLibrary(event: LibraryEvent): void {
    const state = event.state;
    const at = event.timestamp;
    switch (event.type) {
      case 'StateEntered':
        if (!state) return;
        this.add(`${state.type}StateEntered` as HistoryEventType, { stateEnteredEventDetails: { name: state.name, input: json(state.input) } }, at);
        if (state.type === 'Map' || state.type === 'Parallel') this.add(`${state.type}StateStarted` as HistoryEventType, {}, at);
        return;
      case 'StateExited':
        if (!state || state.type === 'Fail') return;
        if (state.type === 'Map' || state.type === 'Parallel') this.add(`${state.type}StateSucceeded` as HistoryEventType, {}, at);
        this.add(`${state.type}StateExited` as HistoryEventType, { stateExitedEventDetails: { name: state.name, output: json(state.output) } }, at);
        return;
      case 'StateFailed': {
        if (!state) return;
        const failure = { error: event.Error ?? 'States.Runtime', cause: causeText(event.Cause) };
        if (state.type === 'Task') {
          const parts = taskResourceParts(this.tasks.get(state.name)?.Resource ?? '');
          if (failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout') this.add('TaskTimedOut', { taskTimedOutEventDetails: { ...parts, ...failure } }, at);
          else this.add('TaskFailed', { taskFailedEventDetails: { ...parts, ...failure } }, at);
        } else if (state.type === 'Map' || state.type === 'Parallel') {
          this.add(`${state.type}StateFailed` as HistoryEventType, {}, at);
        }
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const details = { name: event.parentState?.name ?? '', index: event.index ?? 0 };
        const key = event.type === 'MapIterationStarted' ? 'mapIterationStartedEventDetails' : event.type === 'MapIterationSucceeded' ? 'mapIterationSucceededEventDetails' : 'mapIterationFailedEventDetails';
        this.add(event.type, { [key]: details }, at);
        return;
      }
      default:
        return;
    }
  }
}
