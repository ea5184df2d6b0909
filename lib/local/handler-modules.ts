// Where the local engine finds a runtime Lambda handler: lambdas/<name>/handler.ts, imported by name
// (tsx and vitest run TypeScript directly). Tests inject their own resolver.

import { pathToFileURL } from 'node:url';
import type { CreateHandler } from '../runtime/deps';

export interface HandlerModule {
  readonly createHandler: CreateHandler;
}

export type HandlerModuleResolver = (name: string) => Promise<HandlerModule>;

const lambdasFolder = new URL('../../lambdas/', import.meta.url);

export const repositoryHandlerModules: HandlerModuleResolver = async (name) => {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`'${name}' is not a handler name (lowercase letters, digits, '-')`);
  const module = (await import(pathToFileURL(new URL(`${name}/handler.ts`, lambdasFolder).pathname).href)) as Partial<HandlerModule>;
  if (typeof module.createHandler !== 'function') throw new Error(`lambdas/${name}/handler.ts does not export createHandler`);
  return module as HandlerModule;
};
