// Loads a handcrafted history (test/fixtures/histories/<name>.json) as the SDK returns it: Dates.
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export const EXECUTION_ARN = 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1';

export function loadHistory(name: string): HistoryEvent[] {
  const url = new URL(`../fixtures/histories/${name}.json`, import.meta.url);
  const events = JSON.parse(readFileSync(url, 'utf8')) as (HistoryEvent & { timestamp: string })[];
  return events.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }));
}
