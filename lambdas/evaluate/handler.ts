import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cancelRequested } from '../../lib/runtime/runners/cancel';
import { cellDurations } from '../../lib/runtime/durations/cell-durations';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { HandlerDeps } from '../../lib/runtime/deps';
import { evaluateOp, type EvaluateEvent } from '../../lib/runtime/evaluate';
import { withLookups } from '../../lib/runtime/evaluate/with-lookups';
import { awsValueStores } from '../../lib/runtime/stores/value-stores';

export interface EvaluateDeps {
  /** Parameter Store, for vars; Secrets Manager, to check that a job's secrets exist (DescribeSecret only). */
  readonly ssm?: SSMClient;
  readonly secrets?: SecretsManagerClient;
}

/**
 * Evaluation is pure; run and job starts first read the vars and check the secrets they name, and a
 * cancellable workflow's job starts whether the run was asked to cancel (TABLE_NAME, GetItem-like Query),
 * and a matrix job's order reads its cells' recorded durations (Query `dur#*`).
 */
export function createHandler(deps: Partial<HandlerDeps> & EvaluateDeps = {}): (event: EvaluateEvent) => Promise<unknown> {
  const stores = awsValueStores(deps);
  const tableName = deps.env?.TABLE_NAME;
  const table = tableName !== undefined && deps.dynamodb !== undefined ? { name: tableName, client: deps.dynamodb } : undefined;
  const cancelProbe = table && ((arn: string) => cancelRequested(table, arn));
  const durationsProbe = table && ((arn: string, job: string) => cellDurations(table, arn, job));
  return async (event) => evaluateOp(await withLookups(event, stores, cancelProbe, durationsProbe));
}

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  ssm: new SSMClient({}),
  secrets: new SecretsManagerClient({}),
});
