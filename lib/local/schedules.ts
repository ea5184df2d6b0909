// Scheduled EventBridge rules whose targets are Lambda functions (the runtime's lease sweep, every
// five minutes in AWS): locally a timer per rule invokes its targets with EventBridge's
// "Scheduled Event", as the schedule would. Only `rate(…)` expressions: the runtime has no cron
// schedule on a function (a workflow's `on.schedule` starts its state machine, which stays an AWS
// schedule and is not run locally).

import { randomUUID } from 'node:crypto';
import { TemplateError } from './intrinsics';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-arns';

export interface LocalSchedule {
  readonly logicalId: string;
  readonly arn: string;
  readonly expression: string;
  readonly intervalMs: number;
  /** ARNs of the Lambda functions the rule targets. */
  readonly targets: readonly string[];
}

const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** `rate(5 minutes)` → 300000; anything else is refused, naming the rule. */
export function rateIntervalMs(expression: string, where: string): number {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  const value = Number(match?.[1]);
  // As EventBridge: `rate(1 minute)`, `rate(5 minutes)`.
  if (!match || value < 1 || (value === 1) !== !match[2]!.endsWith('s')) {
    throw new TemplateError(`${where} Properties.ScheduleExpression: '${expression}' is not supported locally (a schedule on a function must be 'rate(N minutes|hours|days)')`);
  }
  return value * UNIT_MS[match[2]!]!;
}

/** The event EventBridge sends a schedule's targets. */
export function scheduledEvent(ruleArn: string, now = new Date()): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [ruleArn],
    detail: {},
  };
}

export interface ScheduleOptions {
  readonly invoke: (functionArn: string, event: unknown, rule: string) => Promise<unknown>;
  readonly warn: (message: string) => void;
  /** Every rule's interval instead of its rate (tests). */
  readonly intervalMs?: number;
}

/** One timer per rule; a run still going when the next tick comes is not started twice. */
export class LocalSchedules {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly busy = new Set<string>();
  /** Ticks that invoked their targets, per rule (tests read it). */
  readonly ticks = new Map<string, number>();

  constructor(
    private readonly schedules: readonly LocalSchedule[],
    private readonly options: ScheduleOptions,
  ) {}

  start(): void {
    for (const schedule of this.schedules) {
      const timer = setInterval(() => this.tick(schedule), this.options.intervalMs ?? schedule.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  private tick(schedule: LocalSchedule): void {
    if (this.busy.has(schedule.logicalId)) return;
    this.busy.add(schedule.logicalId);
    const run = (async () => {
      const event = scheduledEvent(schedule.arn);
      for (const target of schedule.targets) {
        try {
          await this.options.invoke(target, structuredClone(event), schedule.logicalId);
        } catch (error) {
          this.options.warn(`Schedule '${schedule.logicalId}': invoking ${target} failed: ${(error as Error).message}`);
        }
      }
      this.ticks.set(schedule.logicalId, (this.ticks.get(schedule.logicalId) ?? 0) + 1);
    })().finally(() => {
      this.busy.delete(schedule.logicalId);
      this.running.delete(run);
    });
    this.running.add(run);
  }

  /** Stops the timers and waits for the runs under way. */
  async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
