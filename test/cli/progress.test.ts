import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createProgressView, type ProgressOptions } from '../../lib/cli/progress';
import type { CliIo } from '../../lib/cli/io';
import { buildReport } from '../../lib/report/build-report';
import { EXECUTION_ARN, loadHistory } from '../report/histories';
import { failFastCancelledLines } from './expected-views';

function capture(isTTY: boolean, env: Record<string, string> = {}): { io: CliIo; writes: string[] } {
  const writes: string[] = [];
  return { io: { stdout: (text) => writes.push(text), stderr: () => {}, isTTY, cwd: '/', env: { TERM: 'xterm', ...env } }, writes };
}

/** Plays the view's output on a tiny terminal: the escape sequences it uses, and text (colours dropped). */
function screen(output: string): string[] {
  const lines: string[] = [];
  let row = 0;
  for (const token of output.replace(/\u001b\[\d+m/g, '').match(/\u001b\[\d*[A-Z]|\r|\n|[^\u001b\r\n]+/g) ?? []) {
    const up = /^\u001b\[(\d*)A$/.exec(token);
    if (up) row -= Number(up[1] || 1);
    else if (token === '\u001b[2K') lines[row] = '';
    else if (token === '\u001b[0J') lines.splice(row);
    else if (token === '\r') continue;
    else if (token === '\n') row += 1;
    else if (token.startsWith('\u001b')) throw new Error(`unexpected escape ${JSON.stringify(token)}`);
    else lines[row] = (lines[row] ?? '') + token;
  }
  return lines;
}

const play = (history: readonly HistoryEvent[], isTTY: boolean, options: ProgressOptions = {}): string[] => {
  const { io, writes } = capture(isTTY);
  const view = createProgressView(io, { tickMs: 0, ...options });
  for (const event of history) view.onEvent(event);
  view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }));
  return writes;
};

/** A hand-made history, one event per call, timestamps a second apart from t0. */
function historyBuilder() {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const events: HistoryEvent[] = [];
  const add = (type: string, details: Partial<HistoryEvent> = {}, second = events.length): HistoryEvent => {
    const event = { id: events.length + 1, type, timestamp: new Date(t0 + second * 1000), ...details } as HistoryEvent;
    events.push(event);
    return event;
  };
  return {
    t0,
    events,
    started: () => add('ExecutionStarted', { executionStartedEventDetails: { input: '{}' } }),
    entered: (name: string, input: object = {}, type = 'TaskStateEntered') => add(type, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } }),
    exited: (name: string, output: object = {}, second?: number) => add('TaskStateExited', { stateExitedEventDetails: { name, output: JSON.stringify(output) } }, second),
    succeeded: () => add('ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } }),
  };
}

describe('createProgressView without a terminal', () => {
  it('prints a line per job or cell when its status changes, timed from the run start, then each failure', () => {
    expect(play(loadHistory('fail-fast-cancelled'), false).join('')).toBe(
      [...failFastCancelledLines, '    States.TaskFailed: terraform apply: exit code 1', ''].join('\n'),
    );
  });

  it('a skipped job goes from queued to skipped, never running', () => {
    const lines = play(loadHistory('failed-step-skipped-dependents'), false).join('').split('\n');
    expect(lines.filter((line) => / deploy /.test(line))).toEqual(['[  3.2s] deploy queued', '[  3.2s] deploy skipped']);
  });

  it('shows units known from the plan as queued from the start; one the run never reached ends with it', () => {
    const history = loadHistory('failed-step-skipped-dependents');
    const writes = play(history, false, { units: [{ job: 'test' }, { job: 'docs' }, { job: 'deploy' }, { job: 'never' }] });
    const lines = writes.join('').split('\n');
    expect(lines.slice(0, 4)).toEqual(['[  0.0s] test queued', '[  0.0s] docs queued', '[  0.0s] deploy queued', '[  0.0s] never queued']);
    expect(lines.filter((line) => / never /.test(line))).toEqual(['[  0.0s] never queued', '[  3.3s] never cancelled']);
  });

  it('prints the final status of a cell that only the report settles', () => {
    const history = loadHistory('superseded');
    const { io, writes } = capture(false);
    const view = createProgressView(io, { tickMs: 0 });
    // The view saw the run up to deploy's step starting, not how it was stopped.
    const deployRuns = history.findIndex((event) => event.stateEnteredEventDetails?.name?.startsWith('deploy.') === true);
    for (const event of history.slice(0, deployRuns + 1)) view.onEvent(event);
    view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }));
    expect(writes.slice(-2).join('')).toBe('[  5.1s] deploy cancelled in 3.0s\nrun superseded in 5.1s: 1 succeeded, 1 cancelled\n');
  });

  it('shows a wait for a group, with its holder, once a tick finds it still waiting; each status once, in order', async () => {
    const h = historyBuilder();
    const { io, writes } = capture(false);
    const asked: string[] = [];
    let clock = h.t0;
    const view = createProgressView(io, {
      tickMs: 0,
      now: () => clock,
      executionArn: EXECUTION_ARN,
      holders: async (group) => (asked.push(group), [`arn:aws:states:us-east-1:000000000000:execution:deploy-production:other-run#deploy`]),
    });
    const feed = (event: HistoryEvent): void => view.onEvent(event);
    feed(h.started());
    feed(h.entered('deploy: start'));
    feed(h.entered('deploy: lock', { job: { lock: { group: 'production' } } }));
    clock = h.t0 + 2000;
    view.tick();
    await Promise.resolve();
    view.tick(); // a second tick while the lookup is known adds nothing
    await Promise.resolve();
    feed(h.entered('deploy.apply: run'));
    feed(h.exited('deploy.apply: run', { steps: { apply: { outcome: 'success' } } }));
    feed(h.exited('deploy: end', { result: 'success' }, 5));
    feed(h.succeeded());
    view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history: h.events }));
    expect(asked).toEqual(['production']);
    expect(writes.join('')).toBe(
      [
        '[  1.0s] deploy queued',
        '[  2.0s] deploy waiting for production (held by other-run/deploy)',
        '[  3.0s] deploy running',
        '[  5.0s] deploy succeeded in 4.0s',
        'run succeeded in 6.0s: 1 succeeded',
        '',
      ].join('\n'),
    );
  });

  it('does not show a wait that ended before a tick, nor one for a group the cell already holds', async () => {
    const h = historyBuilder();
    const { io, writes } = capture(false);
    const view = createProgressView(io, { tickMs: 0, executionArn: EXECUTION_ARN, holders: async () => [`${EXECUTION_ARN}#deploy`] });
    view.onEvent(h.started());
    view.onEvent(h.entered('deploy: start'));
    view.onEvent(h.entered('deploy: lock', { job: { lock: { group: 'production' } } }));
    view.tick();
    await Promise.resolve();
    view.onEvent(h.entered('build: start'));
    view.onEvent(h.entered('build: lock', { job: { lock: { group: 'ci' } } }));
    view.onEvent(h.entered('build.compile: run'));
    view.tick();
    await Promise.resolve();
    expect(writes.join('')).not.toContain('waiting');
  });

  it('shows a wait for approval', () => {
    const h = historyBuilder();
    const { io, writes } = capture(false);
    const view = createProgressView(io, { tickMs: 0, now: () => h.t0 + 2000 });
    view.onEvent(h.started());
    view.onEvent(h.entered('deploy: start'));
    view.onEvent(h.entered('deploy: approval', {}, 'TaskStateEntered'));
    view.tick();
    expect(writes.join('')).toBe('[  1.0s] deploy queued\n[  2.0s] deploy waiting for approval\n');
  });

  it('streams step output as [job (cell) / step] line, each log file to the cell its name says, whatever the order', () => {
    const h = historyBuilder();
    const { io, writes } = capture(false);
    const view = createProgressView(io, { tickMs: 0, stepNames: { 'deploy.apply': 'Apply in ${{ matrix.region }}' } });
    view.onEvent(h.started());
    for (const [cell, region] of ['eu', 'us'].entries()) view.onEvent(h.entered('deploy: start', { matrix: { region }, cell }));
    for (const [cell, region] of [[1, 'us'], [0, 'eu']] as const) view.onEvent(h.entered('deploy.apply: run', { matrix: { region }, cell }));
    writes.length = 0;
    view.onLogLine('deploy.apply_run@0.log', 'from eu');
    view.onLogLine('deploy.apply_run@1.log', '[Container] 2026-01-01T00:00:03Z Entering phase BUILD');
    view.onLogLine('deploy.apply_run@1.log', 'from us');
    view.onLogLine('deploy.apply_run@1.2.log', 'us again (a retry)');
    expect(writes.join('')).toBe(
      '[deploy (region=eu) / Apply in eu] from eu\n[deploy (region=us) / Apply in us] from us\n[deploy (region=us) / Apply in us] us again (a retry)\n',
    );
  });
});

describe('the summary line', () => {
  it("names the run by its run-name when it has one", () => {
    const history = loadHistory('matrix-max-parallel');
    const report = { ...buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }), runName: 'Deploy 1.2.3' };
    let out = '';
    createProgressView({ stdout: (text) => void (out += text), stderr: () => {}, isTTY: false, cwd: '.', env: {} }).finish(report);
    expect(out.trim().split('\n').at(-1)).toBe("run 'Deploy 1.2.3' succeeded in 11.9s: 4 succeeded");
  });
});

describe('createProgressView on a terminal', () => {
  it('redraws the block in place: one line per cell with status and elapsed time', () => {
    const writes = play(loadHistory('matrix-max-parallel'), true);
    expect(screen(writes.join(''))).toStrictEqual([
      'build                       succeeded  4.1s',
      'deploy (region=eu-west-1)   succeeded  4.1s',
      'deploy (region=us-east-1)   succeeded  6.3s',
      'deploy (region=ap-south-1)  succeeded  3.5s',
      'run succeeded in 11.9s: 4 succeeded',
    ]);
    expect(writes.join('')).toContain('\u001b[1A');
  });

  it('ticks: elapsed time grows with the clock between events; running steps show their last line', () => {
    const h = historyBuilder();
    const { io, writes } = capture(true);
    let clock = h.t0;
    const view = createProgressView(io, { tickMs: 0, now: () => clock });
    view.onEvent(h.started());
    view.onEvent(h.entered('deploy: start'));
    clock = h.t0 + 2000;
    view.onEvent(h.entered('deploy.apply: run'));
    expect(screen(writes.join(''))).toStrictEqual(['deploy  running    0ms', '    apply']);
    clock += 1500;
    view.tick();
    view.onLogLine('deploy.apply_run.log', 'Applying...');
    expect(screen(writes.join(''))).toStrictEqual(['deploy  running    1.5s', '    apply: Applying...']);
    clock += 1000;
    view.tick();
    expect(screen(writes.join(''))).toStrictEqual(['deploy  running    2.5s', '    apply: Applying...']);
    expect(writes.join('')).not.toContain('[deploy / apply]'); // streamed only with --verbose
  });

  it('with --verbose streams the lines above the block', () => {
    const h = historyBuilder();
    const { io, writes } = capture(true);
    const view = createProgressView(io, { tickMs: 0, verbose: true, now: () => h.t0 + 2000 });
    view.onEvent(h.started());
    view.onEvent(h.entered('deploy.apply: run'));
    view.onLogLine('deploy.apply_run.log', 'one');
    view.onLogLine('deploy.apply_run.log', 'two');
    expect(screen(writes.join(''))).toStrictEqual(['[deploy / apply] one', '[deploy / apply] two', 'deploy  running    1.0s', '    apply: two']);
  });

  it('colours statuses; NO_COLOR turns colours off and TERM=dumb redrawing too', () => {
    const history = loadHistory('failed-step-skipped-dependents');
    const coloured = play(history, true).join('');
    expect(coloured).toContain('\u001b[32msucceeded');
    expect(coloured).toContain('\u001b[31mfailed');
    const { io, writes } = capture(true, { NO_COLOR: '1' });
    const view = createProgressView(io, { tickMs: 0 });
    for (const event of history) view.onEvent(event);
    view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }));
    expect(writes.join('')).not.toMatch(/\u001b\[\d+m/);
    expect(writes.join('')).toContain('\u001b[1A');
    const dumb = capture(true, { TERM: 'dumb' });
    const plain = createProgressView(dumb.io, { tickMs: 0 });
    for (const event of history) plain.onEvent(event);
    plain.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }));
    expect(dumb.writes.join('')).not.toContain('\u001b');
    expect(dumb.writes.join('')).toContain('[  3.2s] deploy skipped\n');
  });
});
