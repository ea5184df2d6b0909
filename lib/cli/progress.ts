// The live progress view of `stepdeploy run` (and of `start --wait` / `watch`): a unit per job or
// matrix cell, fed with history events as they arrive and with the steps' log lines as they are
// written.
//
// Each unit goes through queued → waiting for <group> (held by <run>) → waiting for approval →
// running → succeeded | failed | cancelled | skipped, each shown once and never backwards. On a
// terminal the block is redrawn in place at least once a second (elapsed times tick), in colour,
// with the last line of every running step under its unit; with --verbose the steps' lines stream
// above it. Off a terminal (CI logs, pipes) a line is printed when a unit's status changes, and the
// steps' output streams as `[job (cell) / step] line`, as act prints it. A wait shorter than a tick
// (a group granted at once) is not shown.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parseStateName } from '../asl/names';
import { formatDuration } from '../report/duration';
import { HistoryFold, type LiveCell, type LiveStatus } from '../report/history-fold';
import { cellLabel, stepKey } from '../report/labels';
import type { JobStatus, Matrix, RunReport } from '../report/report';
import { failureHeadline, isWrapperLine, stepFailureDetails } from '../report/step-failure';
import { reportJobId, reportStepName, type StepNames } from '../report/step-names';
import type { CliIo } from './io';
import { parseStepLogFileName, stepLogKey } from '../runtime/runners/log-names';
import { painter, terminalStyle, type Paint } from './terminal-style';

/** A job or matrix cell known before it starts (from the plan): shown as queued from the start. */
export interface UnitSeed {
  readonly job: string;
  readonly matrix?: Matrix;
}

export interface ProgressOptions {
  /** Stream step output on a terminal too (off a terminal it always streams). */
  readonly verbose?: boolean;
  readonly units?: readonly UnitSeed[];
  readonly stepNames?: StepNames;
  /** Who holds a concurrency group now (holder ids `<execution ARN>#<job>[#<cell>]`); absent: not shown. */
  readonly holders?: (group: string) => Promise<readonly string[]>;
  /** The execution shown: its own holders are named by job alone. */
  readonly executionArn?: string;
  /** Wall clock, for elapsed times between events (tests pass their own). */
  readonly now?: () => number;
  /** Redraw interval; 0: no timer (tests call tick()). */
  readonly tickMs?: number;
}

export interface ProgressView {
  /** Events in id order, as they arrive. */
  onEvent(event: HistoryEvent): void;
  /** A line a step wrote to its log file (`file` is the file's name, lib/cli/log-follow.ts). */
  onLogLine(file: string, line: string): void;
  /** Redraws with the time now; the timer calls it once a second. */
  tick(): void;
  /** Settles every unit from the final report, then prints the summary and each failed step. */
  finish(report: RunReport): void;
  /** Stops the timer (finish does too). */
  stop(): void;
}

/** The order of a unit's statuses: a status is shown only when it ranks above the one shown. */
const rank = (status: LiveStatus, approval: boolean): number =>
  status === 'queued' ? 0 : status === 'waiting' ? (approval ? 2 : 1) : status === 'running' ? 3 : 4;

const statusPaint: Readonly<Record<string, Paint>> = {
  queued: 'dim',
  waiting: 'yellow',
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'yellow',
  skipped: 'dim',
};

interface Unit {
  readonly label: string;
  readonly job: string;
  readonly matrix?: Matrix;
  cell?: LiveCell;
  /** What is shown, and its rank. */
  shown?: { readonly text: string; readonly rank: number };
  /** When the shown status began (ms). */
  since: number;
  /** A wait seen, not shown yet: shown at the next tick if it still holds. */
  pendingWait?: { readonly text: string; readonly rank: number };
  holderLookup?: string;
}

export function createProgressView(io: CliIo, options: ProgressOptions = {}): ProgressView {
  const style = terminalStyle(io);
  const paint = painter(style);
  const now = options.now ?? Date.now;
  const fold = new HistoryFold();
  const units = new Map<string, Unit>();
  const order: Unit[] = [];
  /** Running steps' last lines, by `label \0 step`. */
  const lastLines = new Map<string, string>();
  let origin: number | undefined;
  let drawn = 0;
  let shownLines: readonly string[] = [];
  let finished = false;

  const unitOf = (job: string, matrix: Matrix | undefined): Unit => {
    const shown = reportJobId(options.stepNames, job);
    const label = cellLabel(shown, matrix);
    let unit = units.get(label);
    if (!unit) {
      unit = { label, job, ...(matrix ? { matrix } : {}), since: now() };
      units.set(label, unit);
      // A matrix job seeded as one unit (cells unknown before it ran) gives way to its cells.
      const seed = matrix ? units.get(shown) : undefined;
      if (seed && seed.cell === undefined && seed.matrix === undefined) {
        units.delete(shown);
        order.splice(order.indexOf(seed), 1, unit);
      } else {
        order.push(unit);
      }
    }
    return unit;
  };
  for (const seed of options.units ?? []) unitOf(seed.job, seed.matrix);

  const clock = (at: number): string => `[${((Math.max(0, at - (origin ?? at)) / 1000).toFixed(1)).padStart(5)}s]`;

  const statusOf = (unit: Unit): { text: string; rank: number; ended: boolean } => {
    const cell = unit.cell;
    if (!cell) return { text: 'queued', rank: 0, ended: false };
    const approval = cell.waitingFor?.kind === 'approval';
    let text: string = cell.status;
    if (cell.status === 'waiting' && cell.waitingFor) {
      text = cell.waitingFor.kind === 'approval' ? 'waiting for approval' : `waiting for ${cell.waitingFor.group}`;
    }
    return { text, rank: rank(cell.status, approval), ended: rank(cell.status, approval) === 4 };
  };

  /** Off a terminal: one line per shown status. */
  const announce = (unit: Unit, text: string, at: number): void => {
    if (style.live) return;
    const cell = unit.cell;
    const ended = cell && rank(cell.status, false) === 4 && cell.status !== 'skipped';
    const took = ended && cell.startedAt && cell.endedAt ? ` in ${formatDuration(cell.endedAt.getTime() - cell.startedAt.getTime())}` : '';
    io.stdout(`${clock(at)} ${unit.label} ${text}${took}\n`);
  };

  const show = (unit: Unit, text: string, statusRank: number, at: number): void => {
    if (unit.shown && statusRank <= unit.shown.rank) return;
    unit.shown = { text, rank: statusRank };
    unit.since = at;
    unit.pendingWait = undefined;
    announce(unit, text, at);
  };

  /** Applies the fold's view of each unit; waits are held back until a tick confirms them. */
  const update = (at: number): void => {
    for (const cell of fold.cells) {
      const unit = unitOf(cell.id, cell.matrix);
      unit.cell = cell;
    }
    for (const unit of order) {
      const { text, rank: statusRank } = statusOf(unit);
      if (unit.shown === undefined && statusRank > 0) show(unit, 'queued', 0, at);
      if (statusRank === 1 || statusRank === 2) {
        if (!unit.shown || statusRank > unit.shown.rank) unit.pendingWait ??= { text, rank: statusRank };
        continue;
      }
      unit.pendingWait = undefined;
      show(unit, text, statusRank, at);
    }
  };

  const holderLabel = (holder: string): string => {
    const [execution = '', job = '', cell] = holder.split('#');
    const own = options.executionArn !== undefined && execution === options.executionArn;
    const who = `${job}${cell === undefined ? '' : ` (cell ${cell})`}`;
    return own ? who : `${execution.split(':').pop() ?? execution}${job ? `/${who}` : ''}`;
  };

  const confirmWaits = (at: number): void => {
    for (const unit of order) {
      const wait = unit.pendingWait;
      const cell = unit.cell;
      if (!wait || !cell) continue;
      const group = cell.waitingFor?.kind === 'group' ? cell.waitingFor.group : undefined;
      if (group === undefined || !options.holders) {
        show(unit, wait.text, wait.rank, at);
        continue;
      }
      if (unit.holderLookup === group) continue;
      unit.holderLookup = group;
      const self = options.executionArn === undefined ? undefined : ownHolderId(options.executionArn, cell);
      options.holders(group).then(
        (holders) => {
          // Still waiting for this group, and not holding it already (a grant on its way)?
          const current = unit.cell;
          if (finished || current?.status !== 'waiting' || current.waitingFor?.kind !== 'group' || current.waitingFor.group !== group) return;
          if (self !== undefined && holders.includes(self)) return;
          const by = holders.length > 0 ? ` (held by ${holders.map(holderLabel).join(', ')})` : '';
          show(unit, `${wait.text}${by}`, wait.rank, now());
          if (style.live) draw();
        },
        () => show(unit, wait.text, wait.rank, now()),
      );
    }
  };

  const elapsedOf = (unit: Unit, at: number): string => {
    const cell = unit.cell;
    if (!unit.shown || unit.shown.rank === 0 || !cell) return '';
    if (cell.status === 'skipped') return '';
    if (unit.shown.rank === 4 && cell.startedAt && cell.endedAt) return formatDuration(cell.endedAt.getTime() - cell.startedAt.getTime());
    return formatDuration(Math.max(0, at - unit.since));
  };

  const blockLines = (at: number): string[] => {
    const width = Math.max(0, ...order.map((unit) => unit.label.length));
    const textWidth = Math.max(9, ...order.map((unit) => (unit.shown?.text ?? 'queued').length));
    const lines: string[] = [];
    for (const unit of order) {
      const text = unit.shown?.text ?? 'queued';
      const status = unit.shown?.rank === 4 ? (unit.cell?.status ?? text) : unit.shown?.rank === 3 ? 'running' : unit.shown?.rank === 0 || !unit.shown ? 'queued' : 'waiting';
      lines.push(`${unit.label.padEnd(width)}  ${paint(statusPaint[status], text.padEnd(textWidth))}  ${elapsedOf(unit, at)}`.trimEnd());
      if (unit.shown?.rank !== 3) continue;
      for (const step of unit.cell?.steps ?? []) {
        if (step.status !== 'running') continue;
        const last = lastLines.get(`${unit.label}\u0000${step.name}`);
        const name = reportStepName(options.stepNames, unit.job, step.name, unit.matrix);
        lines.push(paint('dim', truncate(`    ${name}${last === undefined ? '' : `: ${last}`}`, 120)));
      }
    }
    return lines;
  };

  const draw = (): void => {
    if (!style.live) return;
    const lines = blockLines(now());
    if (drawn === lines.length && lines.every((line, index) => line === shownLines[index])) return;
    shownLines = lines;
    const up = drawn > 0 ? `\u001b[${drawn}A` : '';
    const clearRest = drawn > lines.length ? `\u001b[0J` : '';
    io.stdout(up + lines.map((line) => `\r\u001b[2K${line}\n`).join('') + clearRest);
    drawn = lines.length;
  };

  /** Each step-run state entered, by the log key of its cell (lib/runtime/runners/log-names.ts): the files its runner writes for it. */
  const entries = new Map<string, { readonly label: string; readonly job: string; readonly matrix?: Matrix; readonly step: string }>();
  const noteEntry = (event: HistoryEvent): void => {
    const entered = event.stateEnteredEventDetails;
    if (!String(event.type ?? '').endsWith('StateEntered') || !entered?.name) return;
    const role = parseStateName(entered.name);
    if (role?.role !== 'step-run') return;
    const { matrix, cell } = cellIn(entered.input);
    entries.set(stepLogKey(entered.name, cell), { label: cellLabel(reportJobId(options.stepNames, role.job), matrix), job: role.job, ...(matrix ? { matrix } : {}), step: role.step });
  };
  const stepOfFile = (file: string): { label: string; job: string; matrix?: Matrix; step: string } | undefined => {
    const name = parseStepLogFileName(file);
    return name === undefined ? undefined : entries.get(name.key);
  };

  const timer = options.tickMs === 0 ? undefined : setInterval(() => view.tick(), options.tickMs ?? 1000);
  timer?.unref();

  const view: ProgressView = {
    onEvent(event) {
      noteEntry(event);
      fold.add(event);
      const at = fold.latestAt?.getTime() ?? now();
      origin ??= fold.executionStartedAt?.getTime();
      update(at);
      draw();
    },
    onLogLine(file, line) {
      if (isWrapperLine(line)) return;
      const step = stepOfFile(file);
      const label = step ? `${step.label} / ${reportStepName(options.stepNames, step.job, step.step, step.matrix)}` : (parseStepLogFileName(file)?.state ?? file);
      if (step) lastLines.set(`${step.label}\u0000${step.step}`, line);
      if (style.live && !options.verbose) draw();
      if (!style.live || options.verbose) {
        if (style.live && drawn > 0) io.stdout(`\u001b[${drawn}A\u001b[0J`);
        io.stdout(`${paint('dim', `[${label}]`)} ${line}\n`);
        if (style.live) {
          drawn = 0;
          draw();
        }
      }
    },
    tick() {
      if (finished) return;
      confirmWaits(now());
      draw();
    },
    finish(report) {
      view.stop();
      for (const job of report.jobs) {
        const unit = unitOf(job.id, job.matrix);
        // The report is final: whatever the live events missed, each unit ends once.
        const fake: LiveCell = { id: job.id, ...(job.matrix ? { matrix: job.matrix } : {}), status: job.status, steps: [], ...spanOf(job) };
        unit.cell = fake;
        unit.pendingWait = undefined;
        if (!unit.shown) show(unit, 'queued', 0, Date.parse(report.startedAt));
        show(unit, job.status, 4, job.endedAt ? Date.parse(job.endedAt) : Date.parse(report.endedAt));
      }
      // A seeded unit that never started (the run stopped first) was cancelled with it.
      for (const unit of order) {
        if (unit.shown?.rank === 4) continue;
        unit.cell = { id: unit.job, status: report.status === 'succeeded' ? 'skipped' : 'cancelled', steps: [] };
        show(unit, unit.cell.status, 4, Date.parse(report.endedAt));
      }
      finished = true;
      draw();
      drawn = 0;
      io.stdout(`${summary(report, paint)}\n${deploymentSummary(report)}`);
      const failures = failureSummary(report, paint);
      if (failures !== '') io.stdout(failures);
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  return view;
}

/** The matrix and the cell index (`$.cell`) a state's input carries. */
function cellIn(input: string | undefined): { matrix?: Matrix; cell?: number } {
  try {
    const data = JSON.parse(input ?? '{}') as { matrix?: unknown; cell?: unknown };
    const matrix = typeof data.matrix === 'object' && data.matrix !== null && !Array.isArray(data.matrix) && Object.keys(data.matrix).length > 0 ? (data.matrix as Matrix) : undefined;
    return { ...(matrix ? { matrix } : {}), ...(typeof data.cell === 'number' ? { cell: data.cell } : {}) };
  } catch {
    return {};
  }
}

function spanOf(job: { readonly startedAt?: string; readonly endedAt?: string }): { startedAt?: Date; endedAt?: Date } {
  return {
    ...(job.startedAt ? { startedAt: new Date(job.startedAt) } : {}),
    ...(job.endedAt ? { endedAt: new Date(job.endedAt) } : {}),
  };
}

/** The holder id the coordinator records for a cell (lib/asl/job.ts). */
function ownHolderId(executionArn: string, cell: LiveCell): string {
  return cell.index === undefined ? `${executionArn}#${cell.id}` : `${executionArn}#${cell.id}#${cell.index}`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** `run failed in 12.3s: 2 succeeded, 1 failed, 1 skipped`. */
function summary(report: RunReport, paint: ReturnType<typeof painter>): string {
  const order: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'skipped'];
  const counts = order
    .map((status) => [status, report.jobs.filter((job) => job.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  const took = formatDuration(Date.parse(report.endedAt) - Date.parse(report.startedAt));
  const status = paint(report.status === 'succeeded' ? 'green' : report.status === 'failed' ? 'red' : 'yellow', report.status);
  const name = report.runName === undefined ? '' : ` '${report.runName}'`;
  return `run${name} ${status} in ${took}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`;
}

/** The summary line and each failed step, as `run` ends with them and `stepdeploy report` prints them. */
export function runSummary(report: RunReport, paint: ReturnType<typeof painter> = (_paint, text) => text): string {
  return `${summary(report, paint)}\n${deploymentSummary(report)}${failureSummary(report, paint)}`;
}

/** Each deployment: `deployed: ship → production https://… (approved by alice)`, or why it did not. */
export function deploymentSummary(report: RunReport): string {
  const out: string[] = [];
  for (const job of report.jobs) {
    const deployment = job.environment;
    if (deployment === undefined) continue;
    const word = job.status === 'succeeded' ? 'deployed' : `deployment ${job.status}`;
    const approval = deployment.approval === undefined ? '' : ` (${deployment.approval.decision} by ${deployment.approval.approver})`;
    out.push(`${word}: ${cellLabel(job.id, job.matrix)} → ${deployment.name}${deployment.url === undefined ? '' : ` ${deployment.url}`}${approval}\n`);
  }
  return out.join('');
}

/** Each failed step: its name, exit code or error, its own last lines and where its full log is. */
export function failureSummary(report: RunReport, paint: ReturnType<typeof painter> = (_paint, text) => text): string {
  const out: string[] = [];
  for (const job of report.jobs) {
    // The job failed before its steps: an expression, a missing secret or var, a refused ref.
    if (job.error !== undefined) out.push(`${paint('red', 'failed:')} ${cellLabel(job.id, job.matrix)}: ${job.error}`);
    for (const step of job.steps) {
      if (step.status !== 'failed') continue;
      const details = step.error === undefined ? undefined : stepFailureDetails(step.error, step.cause);
      const exit = step.exitCode !== undefined ? ` (exit code ${step.exitCode ?? 'none: ended by a signal'})` : step.error !== undefined ? ` (${step.error})` : '';
      out.push(`${paint('red', 'failed:')} ${stepKey(job.id, step.name, job.matrix)}${exit}`);
      const lines = step.lastLines ?? details?.lastLines ?? [];
      // No output of its own (a Lambda step, a timeout): the error and its cause say what happened.
      if (lines.length === 0 && details?.source === 'other') out.push(`    ${failureHeadline(details)}`);
      for (const line of lines) out.push(`    ${line}`);
      if (step.log !== undefined) out.push(`    full log: ${step.log}`);
    }
  }
  return out.map((line) => `${line}\n`).join('');
}
