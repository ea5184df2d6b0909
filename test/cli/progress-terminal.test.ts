// The live view on a real terminal: `stepdeploy run` in tmux, the screen read while it runs.
// What is asserted is what a person sees change (the order of screens), never how long anything took.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/stepdeploy.js', import.meta.url));
const session = `stepdeploy-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });

let dir: string;
beforeAll(async () => {
  try {
    execFileSync('tmux', ['-V']);
  } catch {
    throw new Error('this test needs tmux on PATH (apt-get install -y tmux; .ci/run installs it)');
  }
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-tty-'));
  // b waits for the group a holds while a's 3-second step runs.
  await writeFile(
    join(dir, 'lock.yml'),
    [
      'on: workflow_dispatch',
      'jobs:',
      '  a:',
      '    concurrency: prod',
      '    steps:',
      '      - name: tick',
      '        run: for i in 1 2 3; do echo "tick $i"; sleep 1; done',
      '  b:',
      '    concurrency: prod',
      '    steps:',
      '      - run: echo b done',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone
  }
  await rm(dir, { recursive: true, force: true });
});

/** Screens in the order they were seen, each once, until `done` matches one. */
async function watchScreens(done: RegExp, limit = 2400): Promise<string[]> {
  const screens: string[] = [];
  for (let polls = 0; polls < limit; polls++) {
    const screen = tmux('capture-pane', '-p', '-t', session).replace(/\s+$/g, '');
    if (screen !== screens.at(-1)) screens.push(screen);
    if (done.test(screen)) return screens;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the screen never matched ${done}; last:\n${screens.at(-1)}`);
}

describe('stepdeploy run on a terminal', () => {
  test('ticks while a step runs, shows its last line and the unit waiting for the group', async () => {
    const command = `cd ${dir} && TERM=xterm-256color node ${bin} run lock.yml; echo "exit $?"; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '20', command);
    const screens = await watchScreens(/^exit \d+$/m);
    const last = screens.at(-1)!;
    expect(last).toMatch(/^a {2}succeeded +\S+$/m);
    expect(last).toMatch(/^b {2}succeeded +\S+$/m);
    expect(last).toMatch(/^run succeeded in .*: 2 succeeded$/m);
    expect(last).toMatch(/^exit 0$/m);

    // While a ran, its elapsed time changed from screen to screen without any event: the timer.
    const elapsedWhileRunning = new Set(screens.map((screen) => /^a {2}running +(\S+)$/m.exec(screen)?.[1]).filter(Boolean));
    expect(elapsedWhileRunning.size).toBeGreaterThanOrEqual(2);
    // The running step's last line, under its unit.
    expect(screens.some((screen) => /^a {2}running.*\n {4}tick: tick [12]$/m.test(screen))).toBe(true);
    // b waited for the group that a held, then ran; the states come in order.
    const firstIndex = (pattern: RegExp): number => screens.findIndex((screen) => pattern.test(screen));
    const waiting = firstIndex(/^b {2}waiting for prod \(held by a\)/m);
    expect(waiting).toBeGreaterThan(-1);
    expect(firstIndex(/^b {2}queued/m)).toBeLessThan(waiting);
    expect(firstIndex(/^b {2}succeeded/m)).toBeGreaterThan(waiting);
    expect(screens.slice(waiting).some((screen) => /^b {2}queued/m.test(screen))).toBe(false);
  });
});
