// Where the local engine finds a runtime Lambda handler: lambdas/<name>/handler.ts (tsx and vitest
// run TypeScript directly), or its JavaScript in an installed package's dist/. Tests inject their own
// resolver.

import { pathToFileURL } from 'node:url';
import { handlerEntry } from '../package-layout';
import type { CreateHandler } from '../runtime/deps';

export interface HandlerModule {
  readonly createHandler: CreateHandler;
}

export type HandlerModuleResolver = (name: string) => Promise<HandlerModule>;

export const repositoryHandlerModules: HandlerModuleResolver = async (name) => {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`'${name}' is not a handler name (lowercase letters, digits, '-')`);
  const module = (await import(pathToFileURL(handlerEntry(name)).href)) as Partial<HandlerModule>;
  if (typeof module.createHandler !== 'function') throw new Error(`${handlerEntry(name)} does not export createHandler`);
  return module as HandlerModule;
};
