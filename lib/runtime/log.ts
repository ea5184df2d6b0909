// What the runtime writes to CloudWatch Logs: one structured line per decision, so that a lock's
// history can be read back (filter by `group`, `executionArn` or `holder`). In AWS the handlers pass
// a Powertools Logger (JSON lines); the local engine passes nothing, and nothing is written.

/** The part of Powertools' Logger the runtime uses; the extra fields become keys of the JSON line. */
export interface RuntimeLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export const silentLog: RuntimeLog = {
  info: () => undefined,
  warn: () => undefined,
};
