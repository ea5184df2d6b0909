// Runs a buildspec the way CodeBuild does: every command of every phase in one bash session (so `cd`
// and exports carry over), phases in order, post_build even after a failed build phase, exported
// variables read at the very end. The shell leads its own process group so that a stop reaches every
// process the step started.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Buildspec } from './buildspec';
import { LogMasker } from '../runner/masker';
import { killGroup, terminateGroup } from '../runner/process-group';

export interface BuildRequest {
  readonly buildspec: Buildspec;
  /** Environment variables in CodeBuild's precedence: the later source wins. */
  readonly environment: Readonly<Record<string, string>>;
  /** Where the driver script and command files go (created). */
  readonly buildDir: string;
  /** Working directory of the shell (CODEBUILD_SRC_DIR). */
  readonly sourceDir: string;
  readonly logFile: string;
  readonly signal: AbortSignal;
  /** How long a stopped build gets between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** Values (secrets) replaced by `***` in every line of the log and of the last lines. */
  readonly mask?: readonly string[];
}

export interface BuildOutcome {
  readonly succeeded: boolean;
  /** Exit status of the shell (null when a signal ended it). */
  readonly exitCode: number | null;
  readonly exportedVariables: readonly { Name: string; Value: string }[];
  readonly lastLines: readonly string[];
  readonly pid: number;
}

const TAIL_LINES = 50;

/** A build environment no process could be started with; the message names the variable and the rule. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Linux's MAX_ARG_STRLEN: the most one `NAME=VALUE` string of a process's environment may hold. */
export const MAX_VARIABLE_BYTES = 131_072;
/** Expression values above this go through a file instead of the environment. */
const VALUE_FILE_BYTES = 32 * 1024;
/** Prefix of the variables carrying `${{ }}` values into a script (lib/asl/buildspec.ts). */
const EXPRESSION_PREFIX = 'STEPDEPLOY_EXPR_';

/**
 * The environment the shell starts with. A `${{ }}` value too large for the environment (the script
 * text reads it, no child needs it exported) is written to a file and assigned, unexported, by the
 * file BASH_ENV names, which every bash reads at start: the driver, the step's script, nested bash. So
 * a value of up to AWS's own 256 KiB payload arrives whole. Anything else that no process could be
 * started with is refused here, naming the variable, instead of failing later with `spawn E2BIG`.
 */
async function shellEnvironment(environment: Readonly<Record<string, string>>, buildDir: string): Promise<Record<string, string>> {
  const kept: Record<string, string> = {};
  const assignments: string[] = [];
  const valuesDir = join(buildDir, 'values');
  for (const [name, value] of Object.entries(environment)) {
    if (value.includes('\0')) throw new EnvironmentError(`environment variable ${name} contains a NUL character (\\0), which no environment variable can carry`);
    const bytes = Buffer.byteLength(value);
    if (name.startsWith(EXPRESSION_PREFIX) && /^[A-Z0-9_]+$/.test(name) && bytes > VALUE_FILE_BYTES) {
      await mkdir(valuesDir, { recursive: true });
      const file = join(valuesDir, name);
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
  const bashEnv = join(buildDir, 'values.sh');
  const chained = kept.BASH_ENV !== undefined ? [`. ${quote(kept.BASH_ENV)}`] : [];
  await writeFile(bashEnv, [...assignments, ...chained, ''].join('\n'));
  return { ...kept, BASH_ENV: bashEnv };
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The driver: command texts stay in their own files (sourced), never pasted into this script. */
function driverScript(buildspec: Buildspec, commandFiles: readonly (readonly string[])[], exportsFile: string): string {
  const lines = [
    // One stream, as in a CodeBuild log: stdout and stderr lines stay in the order they were written.
    'exec 2>&1',
    '__sd_failed=0',
    '__sd_stop=0',
    '__sd_export() {',
    '  for __sd_name in ' + (buildspec.exportedVariables.join(' ') || ':') + '; do',
    '    if [ "$__sd_name" != : ] && [ -n "${!__sd_name+x}" ]; then printf \'%s=%s\\0\' "$__sd_name" "${!__sd_name}"; fi',
    `  done > ${quote(exportsFile)}`,
    '}',
    'trap __sd_export EXIT',
  ];
  buildspec.phases.forEach((phase, phaseIndex) => {
    // A failed install or pre_build ends the build; a failed build phase still runs post_build.
    lines.push(`if [ $__sd_stop = 0 ]; then`, `  echo "[Container] $(date -u +%FT%TZ) Entering phase ${phase.name.toUpperCase()}"`, '  __sd_phase_ok=1');
    for (const file of commandFiles[phaseIndex] ?? []) {
      lines.push(
        '  if [ $__sd_phase_ok = 1 ]; then',
        `    printf '[Container] Running command %s\\n' "$(head -n 1 ${quote(file)})"`,
        `    . ${quote(file)}`,
        '    __sd_rc=$?',
        '    if [ $__sd_rc != 0 ]; then',
        `      printf '[Container] Command did not exit successfully %s exit status %s\\n' "$(head -n 1 ${quote(file)})" "$__sd_rc"`,
        '      __sd_phase_ok=0; __sd_failed=1; CODEBUILD_BUILD_SUCCEEDING=0',
        '    fi',
        '  fi',
      );
    }
    if (phase.name === 'install' || phase.name === 'pre_build') lines.push('  if [ $__sd_phase_ok = 0 ]; then __sd_stop=1; fi');
    lines.push('fi');
  });
  lines.push('exit $__sd_failed', '');
  return lines.join('\n');
}

function parseExports(text: string): { Name: string; Value: string }[] {
  return text
    .split('\0')
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const separator = entry.indexOf('=');
      return { Name: entry.slice(0, separator), Value: entry.slice(separator + 1) };
    });
}

/** Runs the build to its end, or until `signal` aborts it (then its process group is stopped). */
export async function runBuild(request: BuildRequest): Promise<BuildOutcome> {
  const { buildspec, buildDir } = request;
  await mkdir(buildDir, { recursive: true });
  await mkdir(request.sourceDir, { recursive: true });
  await mkdir(dirname(request.logFile), { recursive: true });
  const env = await shellEnvironment(request.environment, buildDir);
  const commandFiles = await Promise.all(
    buildspec.phases.map((phase, phaseIndex) =>
      Promise.all(
        phase.commands.map(async (command, index) => {
          const file = join(buildDir, `${phaseIndex + 1}-${phase.name}-${index + 1}.sh`);
          await writeFile(file, command.endsWith('\n') ? command : `${command}\n`);
          return file;
        }),
      ),
    ),
  );
  const exportsFile = join(buildDir, 'exported-variables');
  const driver = join(buildDir, 'driver.sh');
  await writeFile(driver, driverScript(buildspec, commandFiles, exportsFile));
  await writeFile(exportsFile, '');

  const log = createWriteStream(request.logFile, { flags: 'a' });
  const tail: string[] = [];
  let partial = '';
  const masker = new LogMasker();
  for (const value of request.mask ?? []) masker.add(value);
  // Whole lines only, so that a secret split across two chunks is still masked.
  const collect = (chunk: Buffer): void => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    const masked = lines.map((line) => masker.mask(line));
    if (masked.length > 0) log.write(`${masked.join('\n')}\n`);
    tail.push(...masked);
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  };

  const child = spawn('bash', ['--noprofile', '--norc', driver], {
    cwd: request.sourceDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  if (pid === undefined) {
    await exited; // spawn failed: 'error' carries the reason
    throw new Error('bash did not start');
  }
  const stop = (): void => void terminateGroup(pid, request.graceMs);
  if (request.signal.aborted) stop();
  else request.signal.addEventListener('abort', stop, { once: true });

  const exitCode = await exited;
  request.signal.removeEventListener('abort', stop);
  if (request.signal.aborted) await terminateGroup(pid, request.graceMs);
  else killGroup(pid);
  // Output a leftover background process still held is not waited for: the group is gone now.
  // (capped: a process that left the group with setsid could hold the pipes open forever).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
  if (partial) {
    const last = masker.mask(partial);
    log.write(last);
    tail.push(last);
  }
  if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  await new Promise<void>((resolve) => log.end(resolve));
  const exportedVariables = parseExports(await readFile(exportsFile, 'utf8'));
  return { succeeded: exitCode === 0 && !request.signal.aborted, exitCode, exportedVariables, lastLines: tail, pid };
}
