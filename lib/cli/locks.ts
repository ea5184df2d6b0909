// `stepdeploy locks`: what holds and waits on each concurrency group, read from the runtime table.

import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { fromItem, type StoredGroup } from '../runtime/coordination/group-item';
import type { CliIo, Command } from './io';

const USAGE = `Usage: stepdeploy locks [--endpoint URL] [--table NAME]

Lists concurrency groups with their holders (lease) and waiters (queue position).
  --endpoint URL   DynamoDB endpoint (e.g. dynalite: http://127.0.0.1:8000)
  --table NAME     the runtime table (default: $STEPDEPLOY_TABLE)
`;

export interface LocksCommandOptions {
  readonly now?: () => number;
}

function dynamodbFor(endpoint: string | undefined, env: CliIo['env']): DynamoDBClient {
  if (endpoint === undefined) return new DynamoDBClient({});
  // A local endpoint accepts any credentials; do not require an AWS profile for it.
  const credentials = env.AWS_ACCESS_KEY_ID ? undefined : { accessKeyId: 'local', secretAccessKey: 'local' };
  return new DynamoDBClient({ endpoint, region: env.AWS_REGION ?? 'us-east-1', ...(credentials ? { credentials } : {}) });
}

async function scanGroups(client: DynamoDBClient, table: string): Promise<StoredGroup[]> {
  const groups: StoredGroup[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :lock) AND sk = :state',
        ExpressionAttributeValues: { ':lock': { S: 'lock#' }, ':state': { S: 'state' } },
        ExclusiveStartKey: start,
      }),
    );
    groups.push(...(out.Items ?? []).map(fromItem));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return groups.sort((a, b) => (a.state.key < b.state.key ? -1 : a.state.key > b.state.key ? 1 : 0));
}

/** `1h 2m`, `4m 0s`, `12s`: enough precision to read a lease at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatGroups(groups: readonly StoredGroup[], now: number): string {
  if (groups.length === 0) return 'No concurrency group is held or waited on.\n';
  const since = (at: number) => `since ${new Date(at).toISOString()} (${formatDuration(now - at)} ago)`;
  const lines: string[] = [];
  for (const { state } of groups) {
    lines.push(`${state.name}  capacity ${state.capacity}, ${state.holders.length} holding, ${state.queue.length} waiting`);
    for (const h of state.holders) {
      const lease = h.expiresAt > now ? `lease expires in ${formatDuration(h.expiresAt - now)}` : `lease expired ${formatDuration(now - h.expiresAt)} ago (reclaimable)`;
      lines.push(`  holding    ${h.holder}  ${since(h.since)}  ${lease}`);
    }
    state.queue.forEach((w, index) => lines.push(`  waiting ${String(index + 1).padStart(2)} ${w.holder}  ${since(w.since)}`));
  }
  return `${lines.join('\n')}\n`;
}

export function createLocksCommand(options: LocksCommandOptions = {}): Command {
  const now = options.now ?? Date.now;
  return async (args, io) => {
    let values: { endpoint?: string; table?: string; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: { endpoint: { type: 'string' }, table: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: false,
      }));
    } catch (error) {
      io.stderr(`stepdeploy locks: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const table = values.table ?? io.env.STEPDEPLOY_TABLE;
    if (!table) {
      io.stderr(`stepdeploy locks: no table given: pass --table NAME or set STEPDEPLOY_TABLE\n${USAGE}`);
      return 2;
    }
    const where = values.endpoint ?? 'AWS';
    const client = dynamodbFor(values.endpoint, io.env);
    try {
      io.stdout(formatGroups(await scanGroups(client, table), now()));
      return 0;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ResourceNotFoundException') io.stderr(`stepdeploy locks: table '${table}' not found at ${where}\n`);
      else io.stderr(`stepdeploy locks: cannot read table '${table}' at ${where}: ${(error as Error).message}\n`);
      return 1;
    } finally {
      client.destroy();
    }
  };
}

export const locks: Command = createLocksCommand();
