// A run step may background its own children (`./a.sh & ./b.sh & wait`): stopping it means
// signalling its whole process group, not just the shell we started.

import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux `/proc/<pid>/stat` after the command name: state, ppid, pgrp, … */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * True while any process of the group (led by `pid`) is still running. Zombies do not count: where
 * PID 1 does not reap orphans (containers), killed children stay zombies and `kill(-pid, 0)` still
 * succeeds for them.
 */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  const group = String(pid);
  return readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const fields = statFields(entry);
    return fields !== undefined && fields[2] === group && fields[0] !== 'Z';
  });
}

/**
 * What tells this process from a later one with the same pid (Linux): its start time since boot,
 * field 22 of `/proc/<pid>/stat`, with its process group. Undefined when it is gone or not Linux.
 */
export function processIdentity(pid: number): { readonly start: string; readonly group: number } | undefined {
  const fields = statFields(String(pid));
  if (fields === undefined || fields[0] === 'Z') return undefined;
  return { start: fields[19]!, group: Number(fields[2]) };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

/**
 * SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. Resolves when the group
 * is gone (or, after SIGKILL, once the kernel had a moment to reap it).
 */
export async function terminateGroup(pid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
}

/** Processes a finished build left running in the background die with it, as in a CodeBuild container. */
export function killGroup(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}
