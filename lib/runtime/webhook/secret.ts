// The webhook secret lives in Secrets Manager. A warm Lambda reuses it for a few minutes instead of
// paying a Secrets Manager call per delivery, and picks up a rotated secret after that.

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SecretSource {
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  readonly now: () => number;
  readonly ttlMs?: number;
}

export const SECRET_TTL_MS = 5 * 60 * 1000;

/** A function that returns the secret string, fetching it at most once per TTL (and again after a failure). */
export function cachedSecret(source: SecretSource): () => Promise<string> {
  const ttl = source.ttlMs ?? SECRET_TTL_MS;
  let cached: { readonly value: Promise<string>; readonly fetchedAt: number } | undefined;
  return () => {
    const now = source.now();
    if (cached && now - cached.fetchedAt < ttl) return cached.value;
    const value = fetchSecret(source);
    const entry = { value, fetchedAt: now };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}

async function fetchSecret(source: SecretSource): Promise<string> {
  const result = await source.client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
  if (result.SecretString === undefined || result.SecretString === '') {
    throw new Error(`secret ${source.secretId} has no SecretString`);
  }
  return result.SecretString;
}
