import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { RuntimeLog } from './log';

/**
 * What a runtime Lambda handler needs from its surroundings. In AWS, `handler` builds these from
 * process.env and default clients; the local engine builds them with clients pointed at dynalite and
 * at its own Step Functions API, and with the function's Environment.Variables from the template.
 */
export interface HandlerDeps {
  /** The function's environment variables as the template declares them (e.g. TABLE_NAME). */
  readonly env: Readonly<Record<string, string>>;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  /** Milliseconds since the epoch; injectable so that lease tests control time. */
  readonly now: () => number;
  /** Structured decision logs (Powertools Logger in AWS); absent: silent, as in the local engine. */
  readonly log?: RuntimeLog;
}

/** Every lambdas/<name>/handler.ts exports `createHandler(deps)` and `handler` (AWS entry). */
export type CreateHandler<Event = unknown, Result = unknown> = (deps: HandlerDeps) => (event: Event) => Promise<Result>;
