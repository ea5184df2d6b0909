// The live progress view of `stepdeploy run`: a line per job or matrix cell with its status and
// elapsed time, fed with history events as they arrive. On a terminal the block is redrawn in place;
// otherwise (CI logs, pipes) a plain line is printed only when a status changes. Times come from
// the events' timestamps, so the view shows what the history says, not when the poller saw it.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { formatDuration } from '../report/duration';
import { HistoryFold, type LiveStatus } from '../report/history-fold';
import { cellLabel, stepKey } from '../report/labels';
import type { JobStatus, RunReport } from '../report/report';
import type { CliIo } from './io';

export interface FinishOptions {
  /** Last lines of each failed step's log, by `stepKey(job, step, matrix)`. */
  readonly logTail?: Readonly<Record<string, readonly string[]>>;
}

export interface ProgressView {
  /** Events in id order, as they arrive. */
  onEvent(event: HistoryEvent): void;
  /** Settles every line from the final report, then prints the summary and failed steps' logs. */
  finish(report: RunReport, options?: FinishOptions): void;
}

interface Line {
  readonly label: string;
  readonly status: LiveStatus;
  /** Duration so far (running) or in total (ended); absent when skipped or not started. */
  readonly elapsedMs?: number;
  /** Since the run started: when the line got its status. */
  readonly atMs: number;
}

const ESC = '\u001b[';

export function createProgressView(io: CliIo): ProgressView {
  const fold = new HistoryFold();
  const printed = new Map<string, LiveStatus>();
  let drawn: string[] = [];

  const redraw = (lines: readonly Line[]): void => {
    const width = Math.max(0, ...lines.map((line) => line.label.length));
    const text = lines.map(
      (line) =>
        `${line.label.padEnd(width)}  ${line.status.padEnd(9)}  ${line.elapsedMs === undefined ? '' : formatDuration(line.elapsedMs)}`.trimEnd(),
    );
    if (text.length === drawn.length && text.every((line, index) => line === drawn[index])) return;
    const up = drawn.length > 0 ? `${ESC}${drawn.length}A` : '';
    io.stdout(up + text.map((line) => `\r${ESC}2K${line}\n`).join(''));
    drawn = text;
  };

  const printChanges = (lines: readonly Line[]): void => {
    for (const line of lines) {
      if (printed.get(line.label) === line.status) continue;
      printed.set(line.label, line.status);
      const took = line.status !== 'running' && line.elapsedMs !== undefined ? ` in ${formatDuration(line.elapsedMs)}` : '';
      io.stdout(`[${clock(line.atMs)}] ${line.label} ${line.status}${took}\n`);
    }
  };

  const show = (lines: readonly Line[]): void => (io.isTTY ? redraw(lines) : printChanges(lines));

  return {
    onEvent(event) {
      fold.add(event);
      show(liveLines(fold));
    },
    finish(report, options = {}) {
      show(finalLines(report));
      io.stdout(`${summary(report)}\n`);
      for (const job of report.jobs) {
        for (const step of job.steps) {
          if (step.status !== 'failed') continue;
          const key = stepKey(job.id, step.name, job.matrix);
          io.stdout(`failed: ${key}\n`);
          for (const line of options.logTail?.[key] ?? []) io.stdout(`    ${line}\n`);
        }
      }
    },
  };
}

function liveLines(fold: HistoryFold): Line[] {
  const origin = fold.executionStartedAt?.getTime() ?? fold.latestAt?.getTime() ?? 0;
  const now = fold.latestAt?.getTime() ?? origin;
  return fold.cells.map((cell) => {
    const start = cell.startedAt?.getTime();
    const end = cell.endedAt?.getTime();
    const elapsed = cell.status === 'skipped' || start === undefined ? undefined : (end ?? now) - start;
    return {
      label: cellLabel(cell.id, cell.matrix),
      status: cell.status,
      ...(elapsed === undefined ? {} : { elapsedMs: elapsed }),
      atMs: (end ?? start ?? now) - origin,
    };
  });
}

function finalLines(report: RunReport): Line[] {
  const origin = Date.parse(report.startedAt);
  return report.jobs.map((job) => {
    const start = job.startedAt === undefined ? undefined : Date.parse(job.startedAt);
    const end = job.endedAt === undefined ? undefined : Date.parse(job.endedAt);
    return {
      label: cellLabel(job.id, job.matrix),
      status: job.status,
      ...(start !== undefined && end !== undefined ? { elapsedMs: end - start } : {}),
      atMs: (end ?? Date.parse(report.endedAt)) - origin,
    };
  });
}

/** `run failed in 12.3s: 2 succeeded, 1 failed, 1 skipped`. */
function summary(report: RunReport): string {
  const order: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'skipped'];
  const counts = order
    .map((status) => [status, report.jobs.filter((job) => job.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  const took = formatDuration(Date.parse(report.endedAt) - Date.parse(report.startedAt));
  const name = report.runName === undefined ? '' : ` '${report.runName}'`;
  return `run${name} ${report.status} in ${took}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`;
}

/** `  3.2s`: seconds since the run started, right-aligned so lines stay in columns. */
function clock(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1).padStart(5)}s`;
}
