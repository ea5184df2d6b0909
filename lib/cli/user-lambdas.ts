import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args';

type UserLambda = (payload: unknown) => Promise<unknown>;

/** `--lambda NAME=MODULE`: a local stand-in for a `uses: aws/lambda` function (its exported `handler`). */
export async function loadUserLambdas(entries: readonly string[], cwd: string): Promise<Record<string, UserLambda>> {
  const lambdas: Record<string, UserLambda> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0 || equals === entry.length - 1) throw new UsageError(`--lambda '${entry}': expected NAME=MODULE`, 'run');
    const name = entry.slice(0, equals);
    const file = resolve(cwd, entry.slice(equals + 1));
    let module: { handler?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    } catch (error) {
      throw new UsageError(`--lambda '${entry}': cannot load ${file}: ${error instanceof Error ? error.message : String(error)}`, 'run');
    }
    const handler = module.handler;
    if (typeof handler !== 'function') throw new UsageError(`--lambda '${entry}': ${file} exports no handler function`, 'run');
    lambdas[name] = async (payload) => (handler as (payload: unknown) => unknown)(payload);
  }
  return lambdas;
}
