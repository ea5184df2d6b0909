// workflow_dispatch inputs, checked the way GitHub checks them when a run is started. Pure: the CLI
// calls it before starting an execution, and the state machine's first state calls it again for
// starts that did not go through the CLI (console, API).

import { didYouMean } from '../model/suggest';
import { isReservedKey, reservedKeyRule } from '../source/reserved-keys';
import type { WorkflowInput } from '../model/workflow';

export type InputValue = string | number | boolean;

export interface InputValidation {
  /** Declared inputs that were given or have a default, in declaration order. */
  readonly values: Record<string, InputValue>;
  /** One user-facing message per mistake; empty when `values` is complete. */
  readonly errors: string[];
}

/**
 * Checks given inputs against the declared ones: unknown names, required inputs, types, choice
 * options; applies defaults. An optional input with no default and no value is left out, so an
 * expression reading it sees null (shown as '') as on GitHub.
 */
export function validateInputs(
  declared: readonly WorkflowInput[],
  given: Readonly<Record<string, unknown>>,
): InputValidation {
  const values: Record<string, InputValue> = {};
  const errors: string[] = [];
  for (const input of declared) {
    const raw = Object.hasOwn(given, input.id) ? given[input.id] : undefined;
    // As GitHub: a required input may be left out (its default applies) but not set to nothing.
    if (input.required && raw === '') {
      errors.push(`input '${input.id}' is required: an empty value is not allowed`);
      continue;
    }
    const missing = raw === undefined || raw === null || raw === '';
    if (missing && input.default === undefined) {
      if (input.required) errors.push(`input '${input.id}' is required`);
      continue;
    }
    const coerced = coerceInput(input, missing ? input.default : raw);
    if (typeof coerced === 'object') errors.push(`input '${input.id}': ${coerced.error}`);
    else if (typeof coerced === 'string' && coerced.includes('\0')) {
      errors.push(`input '${input.id}' contains a NUL character (\\0), which no environment variable or command line can carry`);
    } else values[input.id] = coerced;
  }
  const known = declared.map((input) => input.id);
  for (const name of Object.keys(given)) {
    if (isReservedKey(name)) errors.push(`input '${name}': ${reservedKeyRule(name)}`);
    else if (!known.includes(name)) errors.push(unknownInputMessage(name, known));
  }
  return { values, errors };
}

/** The values a run gets when nobody chose any (push and schedule starts). */
export function defaultInputValues(declared: readonly WorkflowInput[]): Record<string, InputValue> {
  const values: Record<string, InputValue> = {};
  for (const input of declared) {
    if (input.default === undefined) continue;
    const coerced = coerceInput(input, input.default);
    if (typeof coerced !== 'object') values[input.id] = coerced;
  }
  return values;
}

export interface InputArgs {
  readonly values: Record<string, string>;
  readonly errors: string[];
}

/** Parses the CLI's repeated `--input KEY=VALUE` flags; the value may itself contain '='. */
export function parseInputArgs(args: readonly string[]): InputArgs {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const arg of args) {
    const equals = arg.indexOf('=');
    if (equals <= 0) {
      errors.push(`--input '${arg}': expected KEY=VALUE`);
      continue;
    }
    const key = arg.slice(0, equals);
    if (isReservedKey(key)) {
      errors.push(`--input '${key}': ${reservedKeyRule(key)}`);
      continue;
    }
    if (Object.hasOwn(values, key)) {
      errors.push(`--input '${key}' is given more than once`);
      continue;
    }
    values[key] = arg.slice(equals + 1);
  }
  return { values, errors };
}

type Coerced = InputValue | { readonly error: string };

function coerceInput(input: WorkflowInput, raw: unknown): Coerced {
  switch (input.type) {
    case 'string':
    case 'environment':
      return typeof raw === 'string' ? raw : { error: `expected a string, got ${describe(raw)}` };
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      return { error: `${describe(raw)} is not a boolean (true or false)` };
    case 'number':
      return toNumber(raw) ?? { error: `${describe(raw)} is not a number` };
    case 'choice': {
      const options = input.options ?? [];
      if (typeof raw === 'string' && options.includes(raw)) return raw;
      return { error: `${describe(raw)} is not one of ${options.join(', ')}` };
    }
  }
}

// GitHub's number inputs arrive as text from the CLI and the API; accept plain decimal notation only.
const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !decimal.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  return Number.isFinite(value) ? value : undefined;
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return `'${raw}'`;
  if (typeof raw === 'number' || typeof raw === 'boolean') return `${typeof raw} ${String(raw)}`;
  if (Array.isArray(raw)) return 'a list';
  return typeof raw === 'object' ? 'an object' : typeof raw;
}

function unknownInputMessage(name: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown input '${name}': this workflow declares no inputs`;
  const hint = didYouMean(name, known);
  return hint === '' ? `unknown input '${name}': declared inputs are ${known.join(', ')}` : `unknown input '${name}'${hint}`;
}
