import { closestName } from '../suggest';

// The functions an expression may call, with GitHub's spelling and argument counts.

interface Arity {
  readonly min: number;
  readonly max: number;
}

const catalog = {
  contains: { min: 2, max: 2 },
  startsWith: { min: 2, max: 2 },
  endsWith: { min: 2, max: 2 },
  format: { min: 1, max: Number.POSITIVE_INFINITY },
  join: { min: 1, max: 2 },
  toJSON: { min: 1, max: 1 },
  fromJSON: { min: 1, max: 1 },
  case: { min: 3, max: Number.POSITIVE_INFINITY },
  // In a job-level `if`, success('build') and failure('build') ask about the named needs only.
  success: { min: 0, max: Number.POSITIVE_INFINITY },
  failure: { min: 0, max: Number.POSITIVE_INFINITY },
  always: { min: 0, max: 0 },
  cancelled: { min: 0, max: 0 },
} as const satisfies Record<string, Arity>;

export type FunctionName = keyof typeof catalog;

export type StatusFunctionName = 'success' | 'failure' | 'always' | 'cancelled';

export const functionNames = Object.keys(catalog) as readonly FunctionName[];

export function isStatusFunction(name: FunctionName): name is StatusFunctionName {
  return name === 'success' || name === 'failure' || name === 'always' || name === 'cancelled';
}

const byLowerCase = new Map<string, FunctionName>(functionNames.map((name) => [name.toLowerCase(), name]));

/** GitHub function names are case-insensitive: `ToJson`, `tojson` and `toJSON` are one function. */
export function resolveFunctionName(written: string): FunctionName | undefined {
  return byLowerCase.get(written.toLowerCase());
}

/** Why a written name is not callable: unsupported (hashFiles) or unknown, with a suggestion. */
export function unknownFunctionReason(written: string): string {
  if (written.toLowerCase() === 'hashfiles') return 'hashFiles() is not supported: stepdeploy has no checkout';
  const suggestion = closestName(written, functionNames);
  return suggestion === undefined
    ? `unknown function '${written}'`
    : `unknown function '${written}' — did you mean '${suggestion}'?`;
}

/** Undefined when `count` arguments suit `name`, else the message to report. */
export function arityProblem(name: FunctionName, count: number): string | undefined {
  const { min, max } = catalog[name];
  if (name === 'case' && count >= min && count % 2 === 0) {
    return `case() takes an odd number of arguments (predicate, value pairs, then a default), got ${count}`;
  }
  if (count >= min && count <= max) return undefined;
  const expected =
    min === max
      ? `${min} argument${min === 1 ? '' : 's'}`
      : max === Number.POSITIVE_INFINITY
        ? `at least ${min} argument${min === 1 ? '' : 's'}`
        : `${min} to ${max} arguments`;
  return `${name}() takes ${expected}, got ${count}`;
}
