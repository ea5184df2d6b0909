// The coordinator's payloads, checked at the boundary: a malformed payload is a renderer bug, reported
// as `InvalidRequest` naming the field and the rule (never retried, never a TypeError deep inside).

import type { Json } from '../../model/workflow';
import type { NeedsPublishCommand, NeedsWaitCommand } from './barrier';
import { CoordinationError, ErrorNames } from './errors';
import type { AcquireCommand, ReleaseCommand, RenewCommand } from './locks';
import type { ApprovalRequest } from '../approvals/approvals';

export type CoordinatorRequest =
  | ({ readonly op: 'acquire' } & AcquireCommand)
  | ({ readonly op: 'release' } & ReleaseCommand)
  | ({ readonly op: 'renew' } & RenewCommand)
  | ({ readonly op: 'needs.wait' } & NeedsWaitCommand)
  | ({ readonly op: 'needs.publish' } & NeedsPublishCommand)
  | { readonly op: 'release.job'; readonly executionArn: string; readonly job: string }
  | { readonly op: 'runners.stop'; readonly executionArn: string; readonly job: string }
  | ({ readonly op: 'approval.request' } & ApprovalRequest)
  | { readonly op: 'approval.answered'; readonly executionArn: string; readonly job: string; readonly cell?: number };

export const OPERATIONS = ['acquire', 'release', 'renew', 'needs.wait', 'needs.publish', 'release.job', 'runners.stop', 'approval.request', 'approval.answered'] as const;

/** Key size limits of DynamoDB (sort key 1,024 bytes) bound names; these leave room for the prefixes. */
const MAX_NAME_BYTES = 900;

function invalid(op: string, message: string): CoordinationError {
  return new CoordinationError(ErrorNames.invalidRequest, `coordinator ${op}: ${message}`);
}

const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

class Fields {
  constructor(
    private readonly op: string,
    private readonly payload: Readonly<Record<string, unknown>>,
  ) {}

  name(field: string): string {
    const value = this.payload[field];
    if (typeof value !== 'string' || value === '') throw invalid(this.op, `'${field}' must be a non-empty string, got ${show(value)}`);
    if (Buffer.byteLength(value) > MAX_NAME_BYTES) throw invalid(this.op, `'${field}' is longer than ${MAX_NAME_BYTES} bytes`);
    return value;
  }

  positiveInteger(field: string, fallback?: number): number {
    const value = this.payload[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw invalid(this.op, `'${field}' must be a positive integer, got ${show(value)}`);
    }
    return value;
  }

  optionalPositiveInteger(field: string): Record<string, number> {
    return this.payload[field] === undefined ? {} : { [field]: this.positiveInteger(field) };
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.payload[field] ?? fallback;
    if (typeof value !== 'boolean') throw invalid(this.op, `'${field}' must be true or false, got ${show(value)}`);
    return value;
  }

  names(field: string): string[] {
    const value = this.payload[field];
    if (!Array.isArray(value)) throw invalid(this.op, `'${field}' must be a list of job ids, got ${show(value)}`);
    return value.map((item, index) => {
      if (typeof item !== 'string' || item === '') throw invalid(this.op, `'${field}[${index}]' must be a non-empty string, got ${show(item)}`);
      return item;
    });
  }

  /** `window: true` names the caller's own max-parallel window, which `executionArn` identifies. */
  window(): { window?: true; executionArn?: string } {
    if (!this.boolean('window', false)) return {};
    return { window: true, executionArn: this.name('executionArn') };
  }

  /** A matrix cell index, when the payload has one. */
  cell(field: string): { cell?: number } {
    const value = this.payload[field];
    if (value === undefined) return {};
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid(this.op, `'${field}' must be a cell index (0, 1, …), got ${show(value)}`);
    return { cell: value };
  }

  json(field: string): Json {
    if (!(field in this.payload)) throw invalid(this.op, `'${field}' is required`);
    return this.payload[field] as Json;
  }
}

export function parseCoordinatorRequest(event: unknown): CoordinatorRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw invalid('request', `the payload must be an object, got ${show(event)}`);
  }
  const payload = event as Record<string, unknown>;
  const op = payload.op;
  const f = new Fields(typeof op === 'string' ? op : 'request', payload);
  switch (op) {
    case 'acquire': {
      const queue = payload.queue ?? 'single';
      if (queue !== 'single' && queue !== 'max') throw invalid(op, `'queue' must be "single" or "max", got ${show(queue)}`);
      return {
        op,
        group: f.name('group'),
        window: f.boolean('window', false),
        holder: f.name('holder'),
        executionArn: f.name('executionArn'),
        capacity: f.positiveInteger('capacity', 1),
        queue,
        cancelInProgress: f.boolean('cancelInProgress', false),
        taskToken: f.name('taskToken'),
        leaseSeconds: f.positiveInteger('leaseSeconds'),
      };
    }
    case 'release':
      return { op, group: f.name('group'), holder: f.name('holder'), ...f.optionalPositiveInteger('capacity'), ...f.window() };
    case 'renew':
      return { op, group: f.name('group'), holder: f.name('holder'), leaseSeconds: f.positiveInteger('leaseSeconds'), ...f.window() };
    case 'needs.wait':
      return { op, executionArn: f.name('executionArn'), job: f.name('job'), needs: f.names('needs'), taskToken: f.name('taskToken') };
    case 'needs.publish':
      return { op, executionArn: f.name('executionArn'), job: f.name('job'), result: f.json('result') };
    case 'release.job':
      return { op, executionArn: f.name('executionArn'), job: f.name('job') };
    case 'runners.stop':
      return { op, executionArn: f.name('executionArn'), job: f.name('job') };
    case 'approval.request':
      return {
        op,
        executionArn: f.name('executionArn'),
        job: f.name('job'),
        ...f.cell('cell'),
        environment: f.name('environment'),
        reviewers: f.names('reviewers'),
        taskToken: f.name('taskToken'),
      };
    case 'approval.answered':
      return { op, executionArn: f.name('executionArn'), job: f.name('job'), ...f.cell('cell') };
    default:
      throw invalid('request', `'op' must be one of ${OPERATIONS.map((o) => `"${o}"`).join(', ')}, got ${show(op)}`);
  }
}
