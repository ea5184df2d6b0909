// Reads an execution's history as it grows, for `watch` and `start --wait`: each poll pages from the
// newest event back to the last one seen (reverseOrder), so a long run costs a page or two per
// poll, not its whole history again. Throttling (GetExecutionHistory is a low-rate API in AWS) is not
// an error: the poller waits longer and tries again.
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

/** GetExecutionHistory's largest page. */
export const HISTORY_PAGE_SIZE = 1000;

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded']);

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLED.has(error.name);
}

export class HistoryPoller {
  private lastId = 0;

  constructor(
    private readonly sfn: SFNClient,
    private readonly executionArn: string,
    private readonly pageSize = HISTORY_PAGE_SIZE,
  ) {}

  /** The events after the last one returned, oldest first. Throws what is not throttling. */
  async next(): Promise<HistoryEvent[]> {
    const fresh: HistoryEvent[] = [];
    let nextToken: string | undefined;
    for (;;) {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: this.executionArn,
          maxResults: this.pageSize,
          reverseOrder: true,
          includeExecutionData: true,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      const events = page?.events ?? [];
      let reachedSeen = false;
      for (const event of events) {
        if ((event.id ?? 0) <= this.lastId) {
          reachedSeen = true;
          break;
        }
        fresh.push(event);
      }
      nextToken = page?.nextToken;
      if (reachedSeen || !nextToken) break;
    }
    fresh.reverse();
    const newest = fresh.at(-1)?.id;
    if (newest !== undefined) this.lastId = newest;
    return fresh;
  }
}

/** Waits between polls: the base interval, doubled after each throttled call up to `maxMs`, back after a success. */
export class PollBackoff {
  private current: number;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {
    this.current = baseMs;
  }

  get delayMs(): number {
    return this.current;
  }

  throttled(): void {
    this.current = Math.min(this.current * 2, this.maxMs);
  }

  succeeded(): void {
    this.current = this.baseMs;
  }
}
