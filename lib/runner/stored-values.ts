// Secrets a step's env names (type SECRETS_MANAGER entries, lib/runtime/evaluate/step-prepare.ts):
// the runner reads their values itself, as CodeBuild would for a build's variables, so a value never
// passes through the state machine or the runtime table. Every value read is masked in the step's
// log before the step starts. (vars are not secret: the evaluate function reads them at job start.)

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EnvVariable } from '../runtime/runners';
import type { LogMasker } from './masker';

export interface StoreClients {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
}

export class StoredValueError extends Error {
  override readonly name = 'StoredValueError';
}

async function read(clients: StoreClients, variable: EnvVariable): Promise<string> {
  try {
    const found = await clients.secrets.send(new GetSecretValueCommand({ SecretId: variable.Value }));
    if (found.SecretString === undefined) throw new StoredValueError(`the secret '${variable.Value}' has no string value`);
    return found.SecretString;
  } catch (error) {
    if (error instanceof StoredValueError) throw error;
    // The reference is a name, never a value: safe to show.
    throw new StoredValueError(`the secret '${variable.Value}' (for ${variable.Name}) could not be read: ${error instanceof Error ? error.name : String(error)}`);
  }
}

/** The env list with every stored reference replaced by its value (masked from now on). */
export async function resolveStoredValues(clients: StoreClients, env: readonly EnvVariable[], masker: LogMasker): Promise<EnvVariable[]> {
  return Promise.all(
    env.map(async (variable) => {
      if (variable.Type === undefined) return variable;
      const value = await read(clients, variable);
      masker.add(value);
      return { Name: variable.Name, Value: value };
    }),
  );
}
