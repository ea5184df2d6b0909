// SSM Parameter Store for the local engine: the workflows' vars (`stepdeploy run --var`,
// lib/model/store-names.ts), served through `AmazonSSM.GetParameter(s)` on the engine's API port
// (AWS JSON 1.1) so that the evaluate function reads them exactly as in AWS.

import { SfnApiError } from './api-errors';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-arns';
import type { JsonApiService } from './sfn-api-server';

export class LocalParameters {
  private readonly values: ReadonlyMap<string, string>;

  /** `values`: full parameter name (`/stepdeploy/<workflow>/<NAME>`) → value. */
  constructor(values: ReadonlyMap<string, string> = new Map()) {
    this.values = new Map(values);
  }

  valueOf(name: string): string | undefined {
    return this.values.get(name);
  }

  getParameters(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const names = request['Names'];
    if (!Array.isArray(names) || names.length === 0 || names.length > 10 || !names.every((name) => typeof name === 'string')) {
      throw new SfnApiError('ValidationException', 'Names must be a list of 1 to 10 parameter names');
    }
    const found = names.filter((name: string) => this.values.has(name));
    return { Parameters: found.map((name: string) => this.parameter(name)), InvalidParameters: names.filter((name: string) => !this.values.has(name)) };
  }

  getParameter(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const name = request['Name'];
    if (typeof name !== 'string' || !this.values.has(name)) throw new SfnApiError('ParameterNotFound', `Parameter ${String(name)} not found.`);
    return { Parameter: this.parameter(name) };
  }

  private parameter(name: string): Record<string, unknown> {
    return { Name: name, Type: 'String', Value: this.values.get(name), Version: 1, ARN: `arn:aws:ssm:${LOCAL_REGION}:${LOCAL_ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`, DataType: 'text' };
  }
}

/** `AmazonSSM.*` on the engine's API port. */
export function parameterStoreApi(parameters: LocalParameters): JsonApiService {
  return {
    targetPrefix: 'AmazonSSM.',
    contentType: 'application/x-amz-json-1.1',
    operations: { GetParameters: (request) => parameters.getParameters(request), GetParameter: (request) => parameters.getParameter(request) },
  };
}
