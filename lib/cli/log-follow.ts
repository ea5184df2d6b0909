// Follows the step logs of one local execution as they are written: the local runner writes each
// step's output to a file of its own under `<logs>/<execution name>/`, named by its state, cell and
// attempt (lib/runtime/runners/log-names.ts), and this reads each file's new bytes as complete lines, `tail -f`
// style, by polling (no file watcher is reliable across platforms and file systems). Reads are
// synchronous and small, so a caller can flush before it shows that a step ended: the step's last
// lines come before its end, as in act.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseStepLogFileName } from '../runtime/runners/log-names';

export interface LogFollower {
  /** Reads what was written since the last read (complete lines only). */
  flush(): void;
  /** Reads what is left in every file, the last partial line too, then stops. */
  stop(): void;
}

interface Followed {
  offset: number;
  partial: string;
}

export function followLogs(dir: string, onLine: (file: string, line: string) => void, intervalMs = 200): LogFollower {
  const files = new Map<string, Followed>();
  const buffer = Buffer.alloc(64 * 1024);

  const readNew = (name: string, followed: Followed, final: boolean): void => {
    let fd: number;
    try {
      fd = openSync(join(dir, name), 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const bytesRead = readSync(fd, buffer, 0, buffer.length, followed.offset);
        if (bytesRead === 0) break;
        followed.offset += bytesRead;
        const lines = (followed.partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
        followed.partial = lines.pop() ?? '';
        for (const line of lines) onLine(name, line.replace(/\r$/, ''));
      }
    } finally {
      closeSync(fd);
    }
    if (final && followed.partial !== '') {
      onLine(name, followed.partial);
      followed.partial = '';
    }
  };

  const poll = (final: boolean): void => {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith('.log'));
    } catch {
      return; // not created yet: no step has started
    }
    // A stable order: by state, cell, then attempt (`x.log` before `x.2.log` before `x.10.log`).
    const order = (name: string): [string, number, number] => {
      const parsed = parseStepLogFileName(name);
      return [parsed?.state ?? name, parsed?.cell ?? -1, parsed?.attempt ?? 0];
    };
    names.sort((a, b) => {
      const [left, right] = [order(a), order(b)];
      return left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : left[1] - right[1] || left[2] - right[2];
    });
    for (const name of names) {
      let followed = files.get(name);
      if (!followed) files.set(name, (followed = { offset: 0, partial: '' }));
      readNew(name, followed, final);
    }
  };

  const timer = setInterval(() => poll(false), intervalMs);
  timer.unref();
  return {
    flush: () => poll(false),
    stop() {
      clearInterval(timer);
      poll(true);
    },
  };
}
