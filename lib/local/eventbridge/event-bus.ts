// EventBridge for the template's custom buses: `AWSEvents.PutEvents` accepts entries and answers at
// once; each event then goes, as in AWS, asynchronously to the targets of every enabled rule on its
// bus whose pattern matches (exact values and `prefix` filters), with the target's input applied.
// Targets are Lambda functions run in-process. A failed delivery is reported, not retried.

import { randomUUID } from 'node:crypto';
import { SfnApiError } from '../api-errors';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-arns';
import type { JsonApiService } from '../sfn-api-server';
import { matchesPattern } from '../status-change';
import type { BusRule, LocalEventBus } from '../template';
import { targetPayload } from './target-input';

export interface EventTargets {
  /** Runs the Lambda function with this ARN on the payload. */
  invoke(functionArn: string, payload: unknown): Promise<unknown>;
  /** A delivery that failed (no retries locally): the message names the rule, event and target. */
  warn(message: string): void;
}

type Entry = Readonly<Record<string, unknown>>;
type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** PutEvents accepts at most 10 entries and 256 KB in one request. */
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

/** `2026-01-31T12:00:00Z`: event times carry whole seconds. */
const eventTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class LocalEventBridge {
  private readonly buses: ReadonlyMap<string, LocalEventBus>;
  private readonly deliveries = new Set<Promise<void>>();
  private closed = false;

  constructor(
    buses: readonly LocalEventBus[],
    private readonly rules: readonly BusRule[],
    private readonly targets: EventTargets,
  ) {
    this.buses = new Map(buses.flatMap((bus) => [[bus.name, bus] as const, [bus.arn, bus] as const]));
  }

  /** `AWSEvents.PutEvents`: one result per entry, in order; failed entries are counted, not thrown. */
  putEvents(request: Readonly<Record<string, unknown>>): { FailedEntryCount: number; Entries: EntryResult[] } {
    if (this.closed) throw new SfnApiError('ServiceUnavailable', 'The local engine is closing');
    const entries = request['Entries'];
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new SfnApiError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
    }
    if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) {
      throw new SfnApiError('ValidationException', 'Total size of the entries in the request is over the limit.');
    }
    const ingestion = new Date();
    const results = entries.map((entry: unknown) => this.accept(typeof entry === 'object' && entry !== null ? (entry as Entry) : {}, ingestion));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** Resolves when every accepted event has reached (or failed to reach) its targets. */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /** Refuses new events and waits for the deliveries under way. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private accept(entry: Entry, ingestion: Date): EntryResult {
    const invalid = (field: string, reason: string): EntryResult => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${reason}` });
    for (const field of ['Source', 'DetailType', 'Detail']) {
      if (typeof entry[field] !== 'string' || entry[field] === '') return invalid(field, `${field} is a required argument.`);
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry['Detail'] as string);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const busName = typeof entry['EventBusName'] === 'string' && entry['EventBusName'] !== '' ? entry['EventBusName'] : 'default';
    const bus = this.buses.get(busName);
    if (!bus) {
      const known = [...new Set([...this.buses.values()].map((candidate) => candidate.name))].join(', ') || 'none';
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist locally (the template's custom buses: ${known}).` };
    }
    const resources = Array.isArray(entry['Resources']) ? entry['Resources'].filter((item): item is string => typeof item === 'string') : [];
    const time = typeof entry['Time'] === 'number' ? new Date(entry['Time'] * 1000) : ingestion;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry['DetailType'] as string,
      source: entry['Source'] as string,
      account: LOCAL_ACCOUNT,
      time: eventTime(time),
      region: LOCAL_REGION,
      resources,
      detail: detail as Record<string, unknown>,
    };
    const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver(bus, event, eventTime(ingestion)));
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
    return { EventId: event.id };
  }

  private async deliver(bus: LocalEventBus, event: Record<string, unknown> & { id: string }, ingestionTime: string): Promise<void> {
    const rules = this.rules.filter((rule) => rule.busName === bus.name && matchesPattern(event, rule.pattern));
    await Promise.all(
      rules.flatMap((rule) =>
        rule.targets.map(async (target) => {
          try {
            await this.targets.invoke(target.arn, targetPayload(event, target.input, { arn: rule.arn, name: rule.name }, ingestionTime));
          } catch (error) {
            this.targets.warn(`Rule '${rule.logicalId}' on bus ${bus.name}: delivering event ${event.id} to ${target.arn} failed: ${(error as Error).message}`);
          }
        }),
      ),
    );
  }
}

/** `AWSEvents.PutEvents` on the engine's API port. */
export function eventBridgeApi(eventBridge: LocalEventBridge): JsonApiService {
  return {
    targetPrefix: 'AWSEvents.',
    contentType: 'application/x-amz-json-1.1',
    operations: { PutEvents: (request) => eventBridge.putEvents(request) },
  };
}
