// Typed Amazon States Language (JSONPath query language only: the local engine runs no JSONata).
// Shared by the renderer (lib/asl) and the local engine (lib/local), so both read the same shapes.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

/** A Parallel branch or a Map item processor. */
export interface SubMachine {
  StartAt: string;
  States: Record<string, State>;
  ProcessorConfig?: { Mode: 'INLINE' } | { Mode: 'DISTRIBUTED'; ExecutionType: 'STANDARD' | 'EXPRESS' };
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

interface Common {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

interface Flow {
  Next?: string;
  End?: true;
}

export interface TaskState extends Common, Flow {
  Type: 'Task';
  Resource: string;
  Parameters?: Record<string, JsonValue>;
  ResultSelector?: Record<string, JsonValue>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Common, Flow {
  Type: 'Pass';
  Parameters?: Record<string, JsonValue>;
  Result?: JsonValue;
  ResultPath?: string | null;
}

export interface ParallelState extends Common, Flow {
  Type: 'Parallel';
  Branches: SubMachine[];
  Parameters?: Record<string, JsonValue>;
  ResultSelector?: Record<string, JsonValue>;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface MapState extends Common, Flow {
  Type: 'Map';
  ItemsPath?: string;
  ItemSelector?: Record<string, JsonValue>;
  ItemProcessor: SubMachine;
  MaxConcurrency?: number;
  /** A non-negative integer in the state's input (0: no limit). */
  MaxConcurrencyPath?: string;
  ResultSelector?: Record<string, JsonValue>;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export type ChoiceRule = {
  Next?: string;
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
} & Partial<
  Record<
    | 'StringEquals'
    | 'StringEqualsPath'
    | 'BooleanEquals'
    | 'BooleanEqualsPath'
    | 'NumericEquals'
    | 'NumericGreaterThan'
    | 'NumericLessThan'
    | 'IsPresent'
    | 'IsNull'
    | 'IsBoolean'
    | 'IsString',
    string | number | boolean
  >
>;

export interface ChoiceState extends Common {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends Common, Flow {
  Type: 'Wait';
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface SucceedState extends Common {
  Type: 'Succeed';
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export type State = TaskState | PassState | ParallelState | MapState | ChoiceState | WaitState | SucceedState | FailState;

/** Task resources the renderer emits; the local engine has one handler for each. */
export const TaskResources = {
  lambdaInvoke: 'arn:aws:states:::lambda:invoke',
  lambdaInvokeWaitForToken: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  /** Request-response: starts a job cell's runner and goes on (lib/asl/runner.ts). */
  codeBuildStartBuild: 'arn:aws:states:::codebuild:startBuild',
  dynamodbPutItem: 'arn:aws:states:::dynamodb:putItem',
  startExecutionSync: 'arn:aws:states:::states:startExecution.sync:2',
} as const;
