import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createProgressView } from '../../lib/cli/progress';
import type { CliIo } from '../../lib/cli/io';
import { buildReport } from '../../lib/report/build-report';
import { EXECUTION_ARN, loadHistory } from '../report/histories';

function capture(isTTY: boolean): { io: CliIo; writes: string[] } {
  const writes: string[] = [];
  return { io: { stdout: (text) => writes.push(text), stderr: () => {}, isTTY, cwd: '/', env: {} }, writes };
}

/** Plays the view's output on a tiny terminal: the escape sequences it uses, and text. */
function screen(output: string): string[] {
  const lines: string[] = [];
  let row = 0;
  for (const token of output.match(/\u001b\[\d*[A-Z]|\r|\n|[^\u001b\r\n]+/g) ?? []) {
    const up = /^\u001b\[(\d*)A$/.exec(token);
    if (up) row -= Number(up[1] || 1);
    else if (token === '\u001b[2K') lines[row] = '';
    else if (token === '\r') continue;
    else if (token === '\n') row += 1;
    else if (token.startsWith('\u001b')) throw new Error(`unexpected escape ${JSON.stringify(token)}`);
    else lines[row] = (lines[row] ?? '') + token;
  }
  return lines;
}

const play = (history: readonly HistoryEvent[], isTTY: boolean, logTail?: Record<string, string[]>): string[] => {
  const { io, writes } = capture(isTTY);
  const view = createProgressView(io);
  for (const event of history) view.onEvent(event);
  view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }), logTail ? { logTail } : {});
  return writes;
};

describe('createProgressView without a terminal', () => {
  it('prints a line per job or cell only when its status changes, timed from the run start', () => {
    const writes = play(loadHistory('fail-fast-cancelled'), false, {
      'deploy › apply (region=us-east-1)': ['Error: creating S3 bucket: BucketAlreadyExists', 'exit code 1'],
    });
    expect(writes.join('')).toBe(
      [
        '[  0.1s] deploy (region=eu-west-1) running',
        '[  0.1s] deploy (region=us-east-1) running',
        '[  0.1s] deploy (region=ap-south-1) running',
        '[  1.1s] deploy (region=eu-west-1) succeeded in 1.0s',
        '[  2.2s] deploy (region=us-east-1) failed in 2.0s',
        '[  2.2s] deploy (region=ap-south-1) cancelled in 2.1s',
        'run failed in 2.3s: 1 succeeded, 1 failed, 1 cancelled',
        'failed: deploy › apply (region=us-east-1)',
        '    Error: creating S3 bucket: BucketAlreadyExists',
        '    exit code 1',
        '',
      ].join('\n'),
    );
    expect(writes.join('')).not.toContain('\u001b');
  });

  it('names a failed step without a log tail, and a job skipped after its needs failed', () => {
    expect(play(loadHistory('failed-step-skipped-dependents'), false).join('')).toBe(
      [
        '[  0.1s] test running',
        '[  0.1s] docs running',
        '[  2.2s] docs succeeded in 2.1s',
        '[  3.2s] test failed in 3.1s',
        '[  3.2s] deploy running',
        '[  3.2s] deploy skipped',
        'run failed in 3.3s: 1 succeeded, 1 failed, 1 skipped',
        'failed: test › unit',
        '',
      ].join('\n'),
    );
  });

  it('prints the final status of a cell that only the report settles', () => {
    // The view saw the run up to the moment deploy was stopped, but not the stop itself.
    const history = loadHistory('superseded');
    const { io, writes } = capture(false);
    const view = createProgressView(io);
    for (const event of history.filter((event) => event.type !== 'ExecutionAborted')) view.onEvent(event);
    view.finish(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }));
    expect(writes.slice(-2).join('')).toBe('[  5.1s] deploy cancelled in 3.0s\nrun superseded in 5.1s: 1 succeeded, 1 cancelled\n');
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

  it('shows elapsed time growing while a job runs', () => {
    const history = loadHistory('superseded');
    const { io, writes } = capture(true);
    const view = createProgressView(io);
    const upTo = (id: number): string[] => {
      for (const event of history.filter((event) => event.id === id)) view.onEvent(event);
      return screen(writes.join(''));
    };
    for (let id = 1; id <= 10; id++) upTo(id);
    expect(upTo(11)).toStrictEqual(['build  running    30ms']);
    expect(upTo(12)).toStrictEqual(['build  running    2.0s']);
    const last = history.at(-2)!.id!;
    for (let id = 13; id < last; id++) upTo(id);
    expect(upTo(last)).toStrictEqual(['build   succeeded  2.0s', 'deploy  running    30ms']);
  });
});
