// The subset of the CodeBuild buildspec a synthesized run step uses (version 0.2: env variables,
// exported variables, phase commands). Anything else is refused by name rather than skipped.

import { parse } from 'yaml';

export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface Buildspec {
  readonly variables: Readonly<Record<string, string>>;
  readonly exportedVariables: readonly string[];
  readonly phases: readonly { readonly name: PhaseName; readonly commands: readonly string[] }[];
}

export class BuildspecError extends Error {
  override name = 'BuildspecError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuseUnknown(block: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(block).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new BuildspecError(`buildspec ${where}${unknown}: not supported by the local engine`);
}

const scalarText = (value: unknown, where: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new BuildspecError(`buildspec ${where}: expected a string, got ${JSON.stringify(value)}`);
};

/** Parses BuildspecOverride text. Throws BuildspecError naming the key and the rule. */
export function parseBuildspec(text: string): Buildspec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new BuildspecError(`buildspec: not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(document)) throw new BuildspecError('buildspec: expected a mapping');
  refuseUnknown(document, ['version', 'env', 'phases'], '');
  if (String(document['version']) !== '0.2') throw new BuildspecError(`buildspec version: expected 0.2, got ${JSON.stringify(document['version'])}`);

  const env = document['env'] ?? {};
  if (!isRecord(env)) throw new BuildspecError('buildspec env: expected a mapping');
  refuseUnknown(env, ['shell', 'variables', 'exported-variables'], 'env.');
  if (env['shell'] !== undefined && env['shell'] !== 'bash') throw new BuildspecError(`buildspec env.shell: only bash runs locally, got ${JSON.stringify(env['shell'])}`);
  const rawVariables = env['variables'] ?? {};
  if (!isRecord(rawVariables)) throw new BuildspecError('buildspec env.variables: expected a mapping');
  const variables = Object.fromEntries(Object.entries(rawVariables).map(([key, value]) => [key, scalarText(value, `env.variables.${key}`)]));
  const exported = env['exported-variables'] ?? [];
  if (!Array.isArray(exported)) throw new BuildspecError('buildspec env.exported-variables: expected a list');
  const exportedVariables = exported.map((name, index) => {
    if (typeof name !== 'string' || !variableName.test(name)) {
      throw new BuildspecError(`buildspec env.exported-variables[${index}]: ${JSON.stringify(name)} is not a variable name`);
    }
    return name;
  });

  const rawPhases = document['phases'];
  if (!isRecord(rawPhases)) throw new BuildspecError('buildspec phases: expected a mapping');
  refuseUnknown(rawPhases, PHASES, 'phases.');
  const phases = PHASES.flatMap((name) => {
    const phase = rawPhases[name];
    if (phase === undefined || phase === null) return [];
    if (!isRecord(phase)) throw new BuildspecError(`buildspec phases.${name}: expected a mapping`);
    refuseUnknown(phase, ['commands'], `phases.${name}.`);
    const commands = phase['commands'] ?? [];
    if (!Array.isArray(commands)) throw new BuildspecError(`buildspec phases.${name}.commands: expected a list`);
    return [{ name, commands: commands.map((command, index) => scalarText(command, `phases.${name}.commands[${index}]`)) }];
  });
  return { variables, exportedVariables, phases };
}
