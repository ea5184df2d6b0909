// The processes a persisted engine (`stepdeploy dev --data DIR`) started, written down in the data
// directory as they start and stop: its runners' process groups and where each runner lists its
// steps' groups. A killed engine (kill -9, a crash) cannot stop them, and runners and steps are
// detached on purpose; the next engine on the same data kills what is left before it starts.
//
// A pid alone could name a later, unrelated process: each runner is recorded with its start time and
// the boot it ran in, and a step counts only if it leads its own group and started after its runner.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { groupAlive, killGroup, processIdentity } from '../runner/process-group';

export interface RecordedRunner {
  readonly pid: number;
  /** processIdentity(pid).start when it was recorded. */
  readonly start: string;
  readonly boot: string;
  /** The file the runner appends its steps' process group ids to. */
  readonly stepPidsFile: string;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export class ProcessRegistry {
  private readonly runners = new Map<number, RecordedRunner>();
  private readonly boot = bootId();

  constructor(private readonly file: string) {}

  /** Records a runner that just started (written at once: the engine may be killed any moment). */
  add(pid: number, stepPidsFile: string): void {
    const identity = processIdentity(pid);
    if (identity === undefined) return;
    this.runners.set(pid, { pid, start: identity.start, boot: this.boot, stepPidsFile });
    this.write();
  }

  /** Forgets a runner the engine stopped itself. */
  remove(pid: number): void {
    if (this.runners.delete(pid)) this.write();
  }

  private write(): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${[...this.runners.values()].map((runner) => JSON.stringify(runner)).join('\n')}\n`);
    renameSync(temporary, this.file);
  }

  /**
   * Kills the runners a previous engine recorded and their steps' groups, if they are still the same
   * processes; waits until they are gone; empties the file. Returns the process groups it killed.
   */
  static async killLeftovers(file: string): Promise<number[]> {
    if (!existsSync(file)) return [];
    const boot = bootId();
    const recorded = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedRunner)
      .filter((runner) => runner.boot === boot);
    const groups: number[] = [];
    for (const runner of recorded) {
      if (processIdentity(runner.pid)?.start === runner.start) groups.push(runner.pid);
      const steps = (await readFile(runner.stepPidsFile, 'utf8').catch(() => '')).split('\n').map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
      for (const pid of steps) {
        const identity = processIdentity(pid);
        if (identity !== undefined && identity.group === pid && Number(identity.start) >= Number(runner.start)) groups.push(pid);
      }
    }
    for (const pid of groups) killGroup(pid);
    // SIGKILL cannot be ignored; the kernel still needs a moment to take the processes down.
    for (let waited = 0; groups.some(groupAlive) && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(file, '');
    return groups;
  }
}
