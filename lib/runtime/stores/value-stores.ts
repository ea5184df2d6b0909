// The two stores a workflow's values come from, as the evaluate function sees them. Vars are read
// (they are not secret and may appear in any expression); of a secret only its existence is checked
// (DescribeSecret): its value goes from Secrets Manager to the runner, never through the state machine.

import { DescribeSecretCommand, ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';

export interface ValueStores {
  /** Parameter Store values by full name; names that do not exist are absent. */
  parameters(names: readonly string[]): Promise<Map<string, string>>;
  /** Whether a Secrets Manager secret of that name exists. */
  secretExists(name: string): Promise<boolean>;
}

/** GetParameters takes at most 10 names per call. */
const PARAMETERS_PER_CALL = 10;

export function awsValueStores(clients: { readonly ssm?: SSMClient; readonly secrets?: SecretsManagerClient }): ValueStores {
  return {
    async parameters(names) {
      const values = new Map<string, string>();
      if (names.length === 0) return values;
      if (clients.ssm === undefined) throw new Error('the evaluate function has no SSM client: it cannot read vars');
      for (let start = 0; start < names.length; start += PARAMETERS_PER_CALL) {
        const batch = names.slice(start, start + PARAMETERS_PER_CALL);
        const result = await clients.ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: true }));
        for (const parameter of result.Parameters ?? []) {
          if (parameter.Name !== undefined && parameter.Value !== undefined) values.set(parameter.Name, parameter.Value);
        }
      }
      return values;
    },
    async secretExists(name) {
      if (clients.secrets === undefined) throw new Error('the evaluate function has no Secrets Manager client: it cannot check secrets');
      try {
        await clients.secrets.send(new DescribeSecretCommand({ SecretId: name }));
        return true;
      } catch (error) {
        if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return false;
        throw error;
      }
    },
  };
}
