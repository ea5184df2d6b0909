// The approvals an execution waits for, read from its history: an approval task (its payload's op is
// `approval.request`) that was scheduled and whose state has not been left by the same cell. The
// history holds the payload (job, cell, environment, reviewers, task token): no table access needed.

import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { jobApprovalState, parseStateName } from '../asl/names';

export interface PendingApproval {
  readonly job: string;
  readonly cell?: number;
  readonly environment: string;
  readonly reviewers: readonly string[];
  readonly taskToken: string;
}

/** The approval a TaskScheduled event asks for, if it is one. */
export function approvalRequested(event: HistoryEvent): PendingApproval | undefined {
  if (event.type !== 'TaskScheduled') return undefined;
  const payload = parse(event.taskScheduledEventDetails?.parameters)?.['Payload'] as Record<string, unknown> | undefined;
  if (payload?.['op'] !== 'approval.request') return undefined;
  const cell = typeof payload['cell'] === 'number' ? payload['cell'] : undefined;
  return {
    job: String(payload['job']),
    ...(cell !== undefined ? { cell } : {}),
    environment: String(payload['environment']),
    reviewers: Array.isArray(payload['reviewers']) ? payload['reviewers'].map(String) : [],
    taskToken: String(payload['taskToken']),
  };
}

export function pendingApprovals(history: readonly HistoryEvent[]): PendingApproval[] {
  const pending = new Map<string, PendingApproval>();
  for (const event of history) {
    const requested = approvalRequested(event);
    if (requested) pending.set(keyOf(requested.job, requested.cell), requested);
    const exited = event.type === 'TaskStateExited' ? event.stateExitedEventDetails : undefined;
    if (exited && parseStateName(exited.name ?? '')?.role === 'job-approval') {
      const output = parse(exited.output);
      const cell = typeof output?.['cell'] === 'number' ? output['cell'] : undefined;
      for (const [key, approval] of pending) {
        if (approval.cell === cell && jobApprovalState(approval.job) === exited.name) pending.delete(key);
      }
    }
  }
  return [...pending.values()];
}

const keyOf = (job: string, cell: number | undefined): string => (cell === undefined ? job : `${job}#${cell}`);

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
