// CPU seconds used by this process and its children that have ended (the runners, their steps), from
// /proc/self/stat: locally every job cell's runner, handlers and steps share this machine's cores,
// which a makespan bound of durations alone leaves out. Undefined where there is no /proc (not Linux).
import { readFileSync } from 'node:fs';

/** utime, stime, cutime and cstime (fields 14–17 of /proc/self/stat) are in clock ticks, 100 a second on Linux. */
const TICKS_PER_SECOND = 100;

export function processTreeCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
