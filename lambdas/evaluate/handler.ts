import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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

/** Evaluation is pure; run and job starts first read the vars and check the secrets they name. */
export function createHandler(deps: Partial<HandlerDeps> & EvaluateDeps = {}): (event: EvaluateEvent) => Promise<unknown> {
  const stores = awsValueStores(deps);
  return async (event) => evaluateOp(await withLookups(event, stores));
}

export const handler = createHandler({ ssm: new SSMClient({}), secrets: new SecretsManagerClient({}) });
