// The router: one push event (already coarsely matched by the workflow's rule) → at most one
// execution of that workflow. lambdas/router/handler.ts documents what the rule target passes.

import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { PushTrigger } from '../../model/workflow';
import type { InputValue } from '../inputs';
import { matchesPush } from '../push-filter';
import { executionNameForDelivery } from './execution-name';
import type { PushDetail } from './push-detail';

/** What the rule target delivers to the router for one workflow. */
export interface RouterEvent {
  readonly stateMachineArn: string;
  /** The workflow's `on.push` filters, as in the model. */
  readonly push: PushTrigger;
  /** The workflow_dispatch defaults (lib/runtime/inputs.ts defaultInputValues). */
  readonly inputs: Readonly<Record<string, InputValue>>;
  /** The `push` event's detail (lib/runtime/webhook/push-detail.ts). */
  readonly detail: PushDetail;
}

export type RouteResult =
  | { readonly outcome: 'started'; readonly executionArn: string }
  | { readonly outcome: 'duplicate'; readonly executionName: string }
  | { readonly outcome: 'filtered' };

export async function routePush(event: RouterEvent, sfn: SFNClient): Promise<RouteResult> {
  const { detail } = event;
  if (!matchesPush(event.push, { ref: detail.ref, changedFiles: detail.changedFiles })) return { outcome: 'filtered' };
  const name = executionNameForDelivery(detail.delivery);
  try {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: event.stateMachineArn,
        name,
        input: JSON.stringify({ inputs: event.inputs, event: { trigger: 'push', ...detail } }),
      }),
    );
    return { outcome: 'started', executionArn: started.executionArn ?? '' };
  } catch (error) {
    // The delivery already started its execution (a redelivery or a retried invocation).
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return { outcome: 'duplicate', executionName: name };
    throw error;
  }
}

/** Checks the shape the rule target promises; a mismatch is a wiring bug, reported plainly. */
export function parseRouterEvent(event: unknown): RouterEvent {
  const record = asRecord(event);
  const detail = asRecord(record?.detail);
  if (
    typeof record?.stateMachineArn !== 'string' ||
    asRecord(record.push) === undefined ||
    asRecord(record.inputs) === undefined ||
    typeof detail?.delivery !== 'string' ||
    typeof detail.ref !== 'string'
  ) {
    throw new Error('router event must be { stateMachineArn, push, inputs, detail: { delivery, ref, … } }');
  }
  return record as unknown as RouterEvent;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
