// Locally, the AWS calls a runner makes are written down (client, command, the fields that name the
// resource), so that the engine can check them against the runner role's policy like every other
// call of a run. Never the rest of the input: task outputs and tokens stay out of the file.

import { appendFileSync } from 'node:fs';

const RESOURCE_FIELDS = ['TableName', 'IndexName', 'executionArn', 'stateMachineArn'] as const;

export interface LoggedCall {
  readonly clientName: string;
  readonly commandName: string;
  readonly input: Readonly<Record<string, string>>;
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
      const input = Object.fromEntries(RESOURCE_FIELDS.flatMap((field) => (typeof given[field] === 'string' ? [[field, given[field]]] : [])));
      const call: LoggedCall = { clientName: context.clientName ?? '', commandName: context.commandName ?? '', input };
      appendFileSync(file, `${JSON.stringify(call)}\n`);
      return next(args);
    },
    { step: 'initialize', name: 'stepdeployLogRunnerCalls' },
  );
  return client;
}
