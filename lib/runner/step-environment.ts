// The environment a step's process starts with. Linux lets one `NAME=VALUE` string carry at most
// 128 KiB, below AWS's own 256 KiB payload: an expression value larger than that (the script reads
// it; no child needs it exported) goes through a file that BASH_ENV names, which every bash reads at
// start (the step's script, nested bash), so it arrives whole. Anything else no process could be
// started with is refused here, naming the variable, instead of failing with `spawn E2BIG`.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A step environment no process could be started with; the message names the variable and the rule. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Linux's MAX_ARG_STRLEN: the most one `NAME=VALUE` string of a process's environment may hold. */
export const MAX_VARIABLE_BYTES = 131_072;
/** Expression values above this go through a file instead of the environment. */
const VALUE_FILE_BYTES = 32 * 1024;
/** Prefix of the variables carrying `${{ }}` values into a script (lib/asl/script-expressions). */
const EXPRESSION_PREFIX = 'STEPDEPLOY_EXPR_';

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** `dir` is the step's own folder for value files (created when needed). */
export async function stepProcessEnvironment(environment: Readonly<Record<string, string>>, dir: string): Promise<Record<string, string>> {
  const kept: Record<string, string> = {};
  const assignments: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (value.includes('\0')) throw new EnvironmentError(`environment variable ${name} contains a NUL character (\\0), which no environment variable can carry`);
    const bytes = Buffer.byteLength(value);
    if (name.startsWith(EXPRESSION_PREFIX) && /^[A-Z0-9_]+$/.test(name) && bytes > VALUE_FILE_BYTES) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, name);
      await writeFile(file, value);
      // `$(…)` drops trailing newlines: read the value with a sentinel after it, then cut the sentinel.
      assignments.push(`${name}="$(cat ${quote(file)}; printf x)"; ${name}="\${${name}%x}"`);
      continue;
    }
    if (Buffer.byteLength(name) + 1 + bytes > MAX_VARIABLE_BYTES) {
      throw new EnvironmentError(
        `environment variable ${name} is ${bytes.toLocaleString('en-US')} bytes; a process gets at most ${MAX_VARIABLE_BYTES.toLocaleString('en-US')} bytes per variable (NAME=VALUE, Linux): pass a value this large through a file, or through \${{ }} in the script`,
      );
    }
    kept[name] = value;
  }
  if (assignments.length === 0) return kept;
  const bashEnv = join(dir, 'values.sh');
  const chained = kept.BASH_ENV !== undefined ? [`. ${quote(kept.BASH_ENV)}`] : [];
  await writeFile(bashEnv, [...assignments, ...chained, ''].join('\n'));
  return { ...kept, BASH_ENV: bashEnv };
}
