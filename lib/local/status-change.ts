// The EventBridge event "Step Functions Execution Status Change" an ended execution produces, and
// the pattern matching that decides which rules receive it.

import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../asl/types';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-arns';
import type { EventPattern } from './template';

export interface ExecutionStatusDetail {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** Milliseconds since the epoch, as in the AWS event. */
  readonly startDate: number;
  readonly stopDate: number | null;
  readonly input: string;
  readonly output: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

export interface StatusChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly source: 'aws.states';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: ExecutionStatusDetail & {
    readonly inputDetails: { readonly included: true };
    readonly outputDetails: { readonly included: true } | null;
  };
}

export function statusChangeEvent(detail: ExecutionStatusDetail): StatusChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: LOCAL_ACCOUNT,
    time: new Date(detail.stopDate ?? detail.startDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [detail.executionArn],
    detail: { ...detail, inputDetails: { included: true }, outputDetails: detail.output === null ? null : { included: true } },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** EventBridge matching with exact values: every pattern field must hold one of its listed values. */
/** An exact value, or a `{ "prefix": "…" }` filter. */
function matchesValue(candidate: JsonValue, value: unknown): boolean {
  if (isRecord(candidate) && typeof candidate['prefix'] === 'string') return typeof value === 'string' && value.startsWith(candidate['prefix']);
  return candidate === value;
}

export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (!isRecord(event)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = event[field];
    if (Array.isArray(expected)) {
      const values: readonly unknown[] = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => (expected as readonly JsonValue[]).some((candidate) => matchesValue(candidate, value)));
    }
    return matchesPattern(actual, expected as EventPattern);
  });
}
