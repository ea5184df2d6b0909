// One step's script as a process: GitHub's `shell: bash` (`bash --noprofile --norc -eo pipefail FILE`),
// stdin from /dev/null so that a command reading stdin cannot swallow the script, in a process group of
// its own so that a kill reaches whatever the script started.

import { spawn } from 'node:child_process';
import type { LogLines } from './log-lines';
import { terminateGroup } from './process-group';

export interface StepProcess {
  readonly pid: number;
  /** The script's exit status (null when a signal ended it), once its output is read. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** A script runs as `bash --noprofile --norc -eo pipefail FILE`; a JavaScript action as the runner's node and its file. */
export function startProcess(file: string, args: readonly string[], cwd: string, env: Readonly<Record<string, string>>, lines: LogLines): StepProcess {
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => lines.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => lines.write(chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  }).then(async (code) => {
    // A background process of the step may hold the pipes open: do not wait for it for long.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 200)))]);
    clearTimeout(timer);
    return code;
  });
  const pid = child.pid;
  if (pid === undefined) return { pid: -1, exited, stop: async () => undefined };
  return { pid, exited, stop: (graceMs) => terminateGroup(pid, graceMs) };
}
