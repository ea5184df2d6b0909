// Follows the step logs of one local execution as they are written: the local runner writes each
// step's output to a file of its own under `<logs>/<execution name>/` (`<state>.log`, `.2.log`, … for
// further cells and attempts), and this reads each file's new bytes as complete lines, `tail -f`
// style, by polling (no file watcher is reliable across platforms and file systems). Reads are
// synchronous and small, so a caller can flush before it shows that a step ended: the step's last
// lines come before its end, as in act.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface LogFollower {
  /** Reads what was written since the last read (complete lines only). */
  flush(): void;
  /** Reads what is left in every file, the last partial line too, then stops. */
  stop(): void;
}

/** `deploy.migrate_run.2.log` → `deploy.migrate_run` (the state's file-safe name) and 2. */
export function logFileState(fileName: string): { readonly state: string; readonly number: number } | undefined {
  const match = /^(.*?)(?:\.(\d+))?\.log$/.exec(fileName);
  return match ? { state: match[1]!, number: match[2] === undefined ? 1 : Number(match[2]) } : undefined;
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
    // Files in the order their steps started: `x.log` before `x.2.log` before `x.10.log`.
    names.sort((a, b) => {
      const [left, right] = [logFileState(a)!, logFileState(b)!];
      return left.state < right.state ? -1 : left.state > right.state ? 1 : left.number - right.number;
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
