// What run start and job start need from the value stores, fetched before the (pure) evaluation:
// the values of the vars they read and which secrets exist, at environment and workflow level.

import { lookupNames } from '../../model/store-names';
import type { ValueStores } from '../stores/value-stores';
import { cellContexts } from './contexts';
import type { CellData } from './data';
import { environmentName, type EnvironmentSpec } from './environment';

export interface NamesRequest {
  /** Upper-case names as the workflow reads them. */
  readonly names: readonly string[];
  /** The store prefix of the workflow (lib/model/store-names.ts). */
  readonly prefix: string;
}

export interface Lookups {
  /** Vars at workflow level: NAME → value. */
  readonly workflowVars: Readonly<Record<string, string>>;
  /** Vars as the job sees them (the environment's win): NAME → value. */
  readonly vars: Readonly<Record<string, string>>;
  /** Secrets: NAME → the name of the existing secret to give the runner (the environment's first). */
  readonly secrets: Readonly<Record<string, string>>;
  /** The environment the lookups were made for. */
  readonly environment?: string;
}

export async function runLookups(vars: NamesRequest, stores: ValueStores): Promise<Lookups> {
  const values = await stores.parameters(vars.names.map((name) => `${vars.prefix}/${name}`));
  const workflowVars = pick(vars, undefined, values);
  return { workflowVars, vars: workflowVars, secrets: {} };
}

interface JobLookupEvent {
  readonly job: string;
  readonly needs: readonly string[];
  readonly vars?: NamesRequest;
  readonly secrets?: NamesRequest;
  readonly environment?: EnvironmentSpec;
  readonly context: CellData;
}

export async function jobLookups(event: JobLookupEvent, stores: ValueStores): Promise<Lookups> {
  const vars = event.vars ?? { names: [], prefix: '' };
  const workflowVars = pick(vars, undefined, await stores.parameters(vars.names.map((name) => `${vars.prefix}/${name}`)));
  let environment: string | undefined;
  if (event.environment !== undefined) {
    const contexts = { ...cellContexts(event.context, event.needs, event.context.run.env), vars: { ...event.context.run.vars, ...workflowVars } };
    try {
      environment = environmentName(event.environment, contexts, `jobs.${event.job}`);
    } catch {
      // Job start evaluates the name again and reports the error (or skips the job and never needs it).
      environment = undefined;
    }
  }
  const envVars = environment === undefined ? workflowVars : pick(vars, environment, await stores.parameters(vars.names.flatMap((name) => lookupNames(vars.prefix, name, environment))));
  const secrets: Record<string, string> = {};
  for (const name of event.secrets?.names ?? []) {
    for (const candidate of lookupNames(event.secrets?.prefix ?? '', name, environment)) {
      if (await stores.secretExists(candidate)) {
        secrets[name] = candidate;
        break;
      }
    }
  }
  return { workflowVars, vars: envVars, secrets, ...(environment !== undefined && { environment }) };
}

/** NAME → value, taking for each name the first of its lookup names that has a value. */
function pick(request: NamesRequest, environment: string | undefined, values: ReadonlyMap<string, string>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of request.names) {
    const found = lookupNames(request.prefix, name, environment).find((candidate) => values.has(candidate));
    if (found !== undefined) picked[name] = values.get(found)!;
  }
  return picked;
}
