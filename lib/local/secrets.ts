// The template's Secrets Manager secrets, served locally through `secretsmanager.GetSecretValue`
// (AWS JSON 1.1 on the engine's API port), so that handler code reads them exactly as in AWS.
// A generated secret (GenerateSecretString) gets its value from the caller — `stepdeploy dev
// --webhook-secret` for the webhook's — or a random one. The workflows' own secrets
// (`stepdeploy run --secret`, lib/model/store-names.ts) are served by name as well.
// DescribeSecret answers metadata only, as in AWS.

import { randomBytes } from 'node:crypto';
import { SfnApiError } from './api-errors';
import { namedSecretArn } from './local-arns';
import type { JsonApiService } from './sfn-api-server';
import type { LocalFunction, LocalSecret } from './template';

/** The secret the webhook receiver verifies GitHub's signatures with (its WEBHOOK_SECRET_ARN). */
export function webhookSecretArn(functions: readonly LocalFunction[]): string | undefined {
  return functions.find((fn) => fn.handler === 'webhook')?.env['WEBHOOK_SECRET_ARN'];
}

/** A random secret like GenerateSecretString's default: letters and digits only. */
export function randomSecret(length = 48): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export class LocalSecrets {
  private readonly values = new Map<string, { readonly secret: LocalSecret; readonly value: string; readonly created: Date }>();

  /**
   * `given`: values by secret ARN; they win over the template's SecretString. `named`: secrets that
   * exist outside the template (a workflow's `secrets.<NAME>`), by secret name.
   */
  constructor(secrets: readonly LocalSecret[], given: ReadonlyMap<string, string> = new Map(), named: ReadonlyMap<string, string> = new Map()) {
    for (const secret of secrets) {
      this.values.set(secret.arn, { secret, value: given.get(secret.arn) ?? secret.secretString ?? randomSecret(), created: new Date() });
    }
    for (const [name, value] of named) {
      const arn = namedSecretArn(name);
      this.values.set(arn, { secret: { logicalId: name, arn, name }, value, created: new Date() });
    }
  }

  valueOf(arn: string): string | undefined {
    return this.values.get(arn)?.value;
  }

  /** A secret by ARN or name, as CodeBuild's SECRETS_MANAGER variables name it. */
  find(id: string): { readonly name: string; readonly value: string } | undefined {
    const entry = this.values.get(id) ?? [...this.values.values()].find(({ secret }) => secret.name === id);
    return entry && { name: entry.secret.name, value: entry.value };
  }

  /** `secretsmanager.DescribeSecret`: the metadata, never the value. */
  describeSecret(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const entry = this.entry(request['SecretId']);
    return { ARN: entry.secret.arn, Name: entry.secret.name, CreatedDate: entry.created.getTime() / 1000, VersionIdsToStages: { 'local-current': ['AWSCURRENT'] } };
  }

  private entry(id: unknown) {
    if (typeof id !== 'string' || id === '') throw new SfnApiError('InvalidParameterException', 'SecretId must be a non-empty string');
    const entry = this.values.get(id) ?? [...this.values.values()].find(({ secret }) => secret.name === id);
    if (!entry) throw new SfnApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return entry;
  }

  /** `secretsmanager.GetSecretValue`: SecretId is the secret's ARN or name. */
  getSecretValue(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
    if (request['VersionId'] !== undefined || (request['VersionStage'] !== undefined && request['VersionStage'] !== 'AWSCURRENT')) {
      throw new SfnApiError('InvalidRequestException', 'The local engine keeps only the current version (AWSCURRENT) of a secret');
    }
    const entry = this.entry(request['SecretId']);
    return {
      ARN: entry.secret.arn,
      Name: entry.secret.name,
      VersionId: 'local-current',
      SecretString: entry.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: entry.created.getTime() / 1000,
    };
  }
}

/** `secretsmanager.*` on the engine's API port. */
export function secretsManagerApi(secrets: LocalSecrets): JsonApiService {
  return {
    targetPrefix: 'secretsmanager.',
    contentType: 'application/x-amz-json-1.1',
    operations: { GetSecretValue: (request) => secrets.getSecretValue(request), DescribeSecret: (request) => secrets.describeSecret(request) },
  };
}

