import { parseArgs } from 'node:util';
import { closest } from '../model/suggest';
import { parseInputArgs } from '../runtime/inputs';
import type { CliIo, Command } from './io';

/** A mistake in how a command was called: main prints it with a pointer to the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to point at; absent for top-level mistakes. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Prints a usage mistake with a pointer to the help; returns exit code 2. */
export function reportUsageError(error: UsageError, io: CliIo): number {
  const prefix = error.command === undefined ? 'stepdeploy' : `stepdeploy ${error.command}`;
  io.stderr(`${prefix}: ${error.message}\nRun '${prefix} --help' for usage.\n`);
  return 2;
}

/** A command whose body may throw UsageError: the wrapper turns it into a message and exit code 2. */
export function commandWithUsage(body: Command): Command {
  return async (args, io) => {
    try {
      return await body(args, io);
    } catch (error) {
      if (error instanceof UsageError) return reportUsageError(error, io);
      throw error;
    }
  };
}

export type OptionSpec =
  | { readonly type: 'boolean'; readonly short?: string }
  | { readonly type: 'string'; readonly short?: string; readonly choices?: readonly string[]; readonly default?: string }
  | { readonly type: 'string'; readonly short?: string; readonly multiple: true };

export type OptionValues<Specs extends Readonly<Record<string, OptionSpec>>> = {
  -readonly [Name in keyof Specs]: Specs[Name] extends { type: 'boolean' }
    ? boolean
    : Specs[Name] extends { multiple: true }
      ? string[]
      : Specs[Name] extends { default: string }
        ? string
        : string | undefined;
};

export interface ParsedArgs<Specs extends Readonly<Record<string, OptionSpec>>> {
  readonly values: OptionValues<Specs> & { help: boolean };
  readonly positionals: string[];
}

/**
 * Parses a command's arguments on node:util parseArgs. Every command gets `--help`/`-h`. Unknown
 * options, missing values and values outside `choices` throw a UsageError naming the option.
 */
export function parseCommandArgs<Specs extends Readonly<Record<string, OptionSpec>>>(
  command: string,
  args: readonly string[],
  specs: Specs,
): ParsedArgs<Specs> {
  const all: Readonly<Record<string, OptionSpec>> = { help: { type: 'boolean', short: 'h' }, ...specs };
  const nodeOptions = Object.fromEntries(
    Object.entries(all).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short && { short: spec.short }) },
    ]),
  );
  // Not strict: we check the tokens ourselves to word the errors for a person.
  const { tokens } = parseArgs({ args: [...args], options: nodeOptions, strict: false, allowPositionals: true, tokens: true });

  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, spec] of Object.entries(all)) {
    if (spec.type === 'boolean') values[name] = false;
    else if ('multiple' in spec) values[name] = [];
    else values[name] = spec.default;
  }
  const positionals: string[] = [];

  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = all[token.name];
    if (spec === undefined) {
      const hint = closest(token.name, Object.keys(all));
      throw new UsageError(`unknown option '${token.rawName}'${hint ? ` — did you mean '--${hint}'?` : ''}`, command);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option '${token.rawName}' takes no value`, command);
      values[token.name] = true;
      continue;
    }
    // A following option is not a value: `--format --input x` means the value was forgotten.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(`option '${token.rawName}' needs a value`, command);
    }
    if ('multiple' in spec) {
      (values[token.name] as string[]).push(token.value);
    } else {
      if (spec.choices && !spec.choices.includes(token.value)) {
        throw new UsageError(`option '${token.rawName}' must be one of ${spec.choices.join(', ')} — got '${token.value}'`, command);
      }
      values[token.name] = token.value;
    }
  }
  return { values: values as ParsedArgs<Specs>['values'], positionals };
}

/** Repeated `--input NAME=VALUE` flags as a record (the value may contain '='); the first mistake throws. */
export function inputArgs(entries: readonly string[], command: string): Record<string, string> {
  const { values, errors } = parseInputArgs(entries);
  const [first] = errors;
  if (first !== undefined) throw new UsageError(first, command);
  return values;
}
