// `--secret`, `--secret-file`, `--var`, `--var-file` of `stepdeploy run` and `dev`: the values the
// local Secrets Manager and Parameter Store serve, under the names AWS would hold them
// (lib/model/store-names.ts). `NAME=VALUE` is a workflow-level value, `ENVIRONMENT/NAME=VALUE` one
// of that environment; `--secret NAME` takes the value from the caller's environment variable NAME.

import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { workflowId } from '../model/normalize/workflow';
import { environmentNamePattern } from '../model/environments';
import { canonicalName, secretNamePattern } from '../model/secret-refs';
import { lookupNames, storeNames } from '../model/store-names';
import { UsageError } from './args';
import type { CliIo } from './io';
import { parseDotenv } from './dotenv';

/** The options, for parseCommandArgs. */
export const storeOptions = {
  secret: { type: 'string', multiple: true },
  'secret-file': { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
} as const;

export const storeOptionsHelp = `  --secret NAME=VALUE  a secret (secrets.NAME); ENVIRONMENT/NAME=VALUE for one environment's;
                       --secret NAME takes the value of your environment variable NAME
  --secret-file FILE   secrets from a dotenv file (NAME=VALUE lines)
  --var NAME=VALUE     a variable (vars.NAME); ENVIRONMENT/NAME=VALUE for one environment's
  --var-file FILE      variables from a dotenv file
`;

/** A workflow file's id, as the model derives it (its state machine and store names use it). */
export const workflowIdOf = (file: string): string => workflowId(basename(file).replace(/\.ya?ml$/i, '') || 'workflow');

export interface StoreFlags {
  readonly secret: readonly string[];
  readonly 'secret-file': readonly string[];
  readonly var: readonly string[];
  readonly 'var-file': readonly string[];
}

export interface StoreValues {
  /** Secrets Manager name → value. */
  readonly secrets: Map<string, string>;
  /** Parameter Store name → value. */
  readonly parameters: Map<string, string>;
}

/** The flags' values for every workflow given, under each workflow's own names. */
export async function storeValues(flags: StoreFlags, workflowIds: readonly string[], io: CliIo, command: string): Promise<StoreValues> {
  const secrets = await collect(flags.secret, flags['secret-file'], 'secret', io, command);
  const vars = await collect(flags.var, flags['var-file'], 'var', io, command);
  const values: StoreValues = { secrets: new Map(), parameters: new Map() };
  for (const id of workflowIds) {
    const names = storeNames(id);
    for (const [key, value] of secrets) values.secrets.set(fullName(names.secrets, key), value);
    for (const [key, value] of vars) values.parameters.set(fullName(names.parameters, key), value);
  }
  return values;
}

function fullName(prefix: string, key: string): string {
  const [environment, name] = key.includes('/') ? (key.split('/') as [string, string]) : [undefined, key];
  return lookupNames(prefix, name, environment)[0]!;
}

/** Files first, then flags (a flag wins over a file), each key checked. */
async function collect(entries: readonly string[], files: readonly string[], option: 'secret' | 'var', io: CliIo, command: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(`--${option}-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, command);
    }
    const parsed = parseDotenv(text);
    if (parsed.error !== undefined) throw new UsageError(`--${option}-file ${file}: ${parsed.error}`, command);
    for (const [key, value] of parsed.values) values.set(checkedKey(key, `--${option}-file ${file}`, option, command), value);
  }
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator < 0) {
      if (option === 'var') throw new UsageError(`--var ${entry}: expected NAME=VALUE`, command);
      const value = io.env[entry];
      if (value === undefined) throw new UsageError(`--secret ${entry}: the environment variable ${entry} is not set (give --secret ${entry}=VALUE, or export it)`, command);
      values.set(checkedKey(entry, `--secret ${entry}`, option, command), value);
      continue;
    }
    const key = entry.slice(0, separator);
    values.set(checkedKey(key, `--${option} ${key}=…`, option, command), entry.slice(separator + 1));
  }
  return values;
}

/** `NAME` or `ENVIRONMENT/NAME`, upper-casing the name as the workflow's references are. */
function checkedKey(key: string, where: string, option: 'secret' | 'var', command: string): string {
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  const environment = parts.join('/');
  if (parts.length > 1 || (parts.length === 1 && !environmentNamePattern.test(environment))) {
    throw new UsageError(`${where}: '${environment}' is not an environment name (ENVIRONMENT/NAME)`, command);
  }
  if (!secretNamePattern.test(name)) throw new UsageError(`${where}: '${name}' is not a valid ${option} name (letters, digits and _, not starting with a digit)`, command);
  return parts.length === 1 ? `${environment}/${canonicalName(name)}` : canonicalName(name);
}
