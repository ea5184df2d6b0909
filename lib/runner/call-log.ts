// Locally, the AWS calls a runner makes are written down (client, command, the fields that name the
// resource and the partition key), so that the engine can check them against the runner role's
// policy like every other call of a run. Never the rest of the input: task outputs and tokens stay
// out of the file.

import { appendFileSync } from 'node:fs';

const RESOURCE_FIELDS = ['TableName', 'IndexName', 'executionArn', 'stateMachineArn', 'KeyConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues', 'Key', 'SecretId'] as const;
/** Of an item, only its key attributes (the runtime table's `pk` / `sk`). */
const KEY_ATTRIBUTES = ['pk', 'sk'] as const;

export interface LoggedCall {
  readonly clientName: string;
  readonly commandName: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** The one part of an SDK client a recorder needs. */
export interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

export function logCalls<Client>(client: Client, file: string): Client {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const given = args.input as Record<string, unknown>;
      const input: Record<string, unknown> = Object.fromEntries(RESOURCE_FIELDS.flatMap((field) => (given[field] !== undefined ? [[field, given[field]]] : [])));
      const item = given.Item as Record<string, unknown> | undefined;
      if (item !== undefined) input.Item = Object.fromEntries(KEY_ATTRIBUTES.flatMap((key) => (item[key] !== undefined ? [[key, item[key]]] : [])));
      const call: LoggedCall = { clientName: context.clientName ?? '', commandName: context.commandName ?? '', input };
      appendFileSync(file, `${JSON.stringify(call)}\n`);
      return next(args);
    },
    { step: 'initialize', name: 'stepdeployLogRunnerCalls' },
  );
  return client;
}
