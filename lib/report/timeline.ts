// Run report → one self-contained HTML file: a Gantt chart in inline SVG (no script, no network).
// A row per job or matrix cell with its steps in rows below, bars coloured by status, a time axis
// from the run's start, and the critical path outlined. A failed step's bar shows its error on hover
// (its title) and on click leads to the failure's details below the chart (an anchor; `:target`
// highlights it): error, exit code, the step's last lines and its full log.
import type { Json } from '../model/workflow';
import { criticalPathFromIds, criticalPathFromTimes } from './critical-path';
import { formatDuration, formatOffset } from './duration';
import { escapeHtml } from './escape';
import { cellLabel } from './labels';
import type { JobReport, RunReport, StepReport } from './report';
import { failureHeadline, stepFailureDetails } from './step-failure';

export interface TimelineOptions {
  /** Job ids on the critical path (from the plan's DAG); without it the chain is read from times. */
  readonly criticalPath?: readonly string[];
}

const layout = {
  width: 1200,
  labelWidth: 300,
  right: 120,
  top: 56,
  jobRow: 28,
  stepRow: 20,
  jobBar: 18,
  stepBar: 12,
  minBar: 2,
} as const;

const statuses = ['succeeded', 'failed', 'cancelled', 'skipped'] as const;

const style = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; }
.meta { color: #59636e; margin: 0 0 12px; }
.legend { display: flex; gap: 16px; margin: 0 0 12px; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 14px; height: 10px; display: inline-block; border-radius: 2px; }
svg text { font: 12px system-ui, sans-serif; fill: #1f2328; }
svg .step-label { fill: #59636e; }
svg .axis line { stroke: #d1d9e0; }
svg .axis text { fill: #59636e; font-size: 11px; }
svg .row-job { fill: #f6f8fa; }
.bar { rx: 3px; }
.succeeded { fill: #2da44e; background: #2da44e; }
.failed { fill: #cf222e; background: #cf222e; }
.cancelled { fill: #bf8700; background: #bf8700; }
.skipped { fill: #8c959f; background: #8c959f; }
.critical { stroke: #0969da; stroke-width: 3px; }
.swatch.critical { background: #fff; border: 3px solid #0969da; box-sizing: border-box; }
svg .critical-marker { fill: #0969da; font-weight: 600; }
svg .status-text { fill: #59636e; font-size: 11px; }
svg a.failure-link { cursor: pointer; }
.failures h2 { font-size: 15px; margin: 20px 0 8px; }
.failure { border: 1px solid #d1d9e0; border-left: 4px solid #cf222e; border-radius: 4px; padding: 8px 12px; margin: 0 0 10px; }
.failure:target { outline: 3px solid #0969da; }
.failure h3 { font-size: 13px; margin: 0 0 4px; }
.failure pre { background: #f6f8fa; padding: 8px; margin: 6px 0; overflow-x: auto; font-size: 12px; }
.failure .error { color: #cf222e; margin: 0; }
`;

export function renderTimeline(report: RunReport, options: TimelineOptions = {}): string {
  const critical = new Set(
    options.criticalPath ? criticalPathFromIds(report, options.criticalPath) : criticalPathFromTimes(report),
  );
  const t0 = Date.parse(report.startedAt);
  const span = Math.max(Date.parse(report.endedAt) - t0, 1);
  const chartWidth = layout.width - layout.labelWidth - layout.right;
  const x = (iso: string): number => layout.labelWidth + ((Date.parse(iso) - t0) / span) * chartWidth;

  const rows: string[] = [];
  const failures: { readonly id: string; readonly job: JobReport; readonly step: StepReport }[] = [];
  let y = layout.top;
  report.jobs.forEach((job, index) => {
    rows.push(jobRow(job, y, x, critical.has(index)));
    y += layout.jobRow;
    for (const step of job.steps) {
      const failureId = step.status === 'failed' ? `failure-${failures.length + 1}` : undefined;
      if (failureId) failures.push({ id: failureId, job, step });
      rows.push(stepRow(job, step, y, x, failureId));
      y += layout.stepRow;
    }
  });
  const height = y + 16;

  const title = `${report.runName ?? report.workflow} — ${report.status}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.runName ?? report.workflow)} <span class="run-status">${escapeHtml(report.status)}</span></h1>`,
    `<p class="meta">${escapeHtml(report.execution)} · started ${escapeHtml(report.startedAt)} · ${escapeHtml(
      formatDuration(span),
    )}</p>`,
    legend(),
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}" role="img" aria-label="${escapeHtml(`timeline of ${title}`)}">`,
    axis(span, chartWidth, height),
    ...rows,
    '</svg>',
    deploymentSection(report.jobs),
    failureSection(failures),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function legend(): string {
  const items = statuses.map((status) => `<li><span class="swatch ${status}"></span>${status}</li>`);
  items.push('<li><span class="swatch critical"></span>critical path</li>');
  return `<ul class="legend">${items.join('')}</ul>`;
}

function axis(span: number, chartWidth: number, height: number): string {
  const step = tickStep(span);
  const ticks: string[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    const tx = round(layout.labelWidth + (offset / span) * chartWidth);
    ticks.push(
      `<line x1="${tx}" y1="${layout.top - 14}" x2="${tx}" y2="${height - 8}"/>` +
        `<text x="${tx}" y="${layout.top - 20}" text-anchor="middle">${escapeHtml(formatOffset(offset))}</text>`,
    );
  }
  return `<g class="axis">${ticks.join('')}</g>`;
}

/** A tick every 1, 2 or 5 units, at most about ten ticks. */
function tickStep(span: number): number {
  const candidates = [
    100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
    1_800_000, 3_600_000, 7_200_000, 14_400_000, 43_200_000, 86_400_000,
  ];
  return candidates.find((candidate) => span / candidate <= 10) ?? span / 10;
}

function jobRow(job: JobReport, y: number, x: (iso: string) => number, critical: boolean): string {
  const label = cellLabel(job.id, job.matrix);
  const marker = critical ? `<text class="critical-marker" x="8" y="${y + 18}">◆</text>` : '';
  const classes = `bar job-bar ${job.status}${critical ? ' critical' : ''}`;
  const bar = spanBar(job, classes, y + (layout.jobRow - layout.jobBar) / 2, layout.jobBar, x, [
    `${label}: ${job.status}`,
    ...(job.environment ? [`environment ${job.environment.name}${job.environment.url === undefined ? '' : `: ${job.environment.url}`}`] : []),
    ...(critical ? ['on the critical path'] : []),
  ]);
  return (
    `<g class="job" data-job="${escapeHtml(job.id)}" data-status="${job.status}">` +
    `<rect class="row-job" x="0" y="${y}" width="${layout.width}" height="${layout.jobRow}"/>` +
    marker +
    `<text class="job-label" x="24" y="${y + 18}">${escapeHtml(clip(label, 40))}</text>` +
    (bar || skippedText(y + 18)) +
    '</g>'
  );
}

function stepRow(job: JobReport, step: StepReport, y: number, x: (iso: string) => number, failureId: string | undefined): string {
  const bar = spanBar(step, `bar step-bar ${step.status}`, y + (layout.stepRow - layout.stepBar) / 2, layout.stepBar, x, [
    `${cellLabel(job.id, job.matrix)} › ${step.name}: ${step.status}`,
    ...outputLines(step.outputs),
    ...(failureId ? failureLines(step) : []),
  ]);
  // A failed step's bar links to its details (a click); the bar's title shows them on hover.
  const shown = bar && failureId ? `<a class="failure-link" href="#${failureId}">${bar}</a>` : bar;
  return (
    `<g class="step" data-step="${escapeHtml(step.name)}" data-status="${step.status}">` +
    `<text class="step-label" x="40" y="${y + 14}">${escapeHtml(clip(step.name, 40))}</text>` +
    (shown || skippedText(y + 14)) +
    '</g>'
  );
}

/** What a failed step's tooltip adds: the exit code or error, and its last line. */
function failureLines(step: StepReport): string[] {
  const lines = [step.exitCode !== undefined ? `exit code ${step.exitCode ?? 'none (a signal ended it)'}` : `error: ${step.error ?? 'unknown'}`];
  const last = step.lastLines?.at(-1);
  if (last !== undefined) lines.push(last);
  return lines;
}

function failureSection(failures: readonly { readonly id: string; readonly job: JobReport; readonly step: StepReport }[]): string {
  if (failures.length === 0) return '';
  const items = failures.map(({ id, job, step }) => {
    const details = step.error === undefined ? undefined : stepFailureDetails(step.error, step.cause);
    const what = details === undefined ? 'failed' : failureHeadline({ ...details, ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}) });
    const log = step.log === undefined ? '' : `<p>full log: <a href="${escapeHtml(logHref(step.log))}">${escapeHtml(step.log)}</a></p>`;
    const lines = step.lastLines && step.lastLines.length > 0 ? `<pre>${escapeHtml(step.lastLines.join('\n'))}</pre>` : '';
    return (
      `<div class="failure" id="${id}" data-step="${escapeHtml(step.name)}">` +
      `<h3>${escapeHtml(cellLabel(job.id, job.matrix))} › ${escapeHtml(step.name)}</h3>` +
      `<p class="error">${escapeHtml(what)}</p>${lines}${log}</div>`
    );
  });
  return `<section class="failures"><h2>Failures</h2>${items.join('')}</section>`;
}

/** Each job's deployment: environment, status, approval and its URL (a link only when http or https). */
function deploymentSection(jobs: readonly JobReport[]): string {
  const items = jobs.flatMap((job) => {
    const deployment = job.environment;
    if (deployment === undefined) return [];
    const url = deployment.url;
    const link = url === undefined ? '' : /^https?:\/\//i.test(url) ? ` <a class="deployment-url" href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : ` <span class="deployment-url">${escapeHtml(url)}</span>`;
    const approval = deployment.approval === undefined ? '' : ` · ${escapeHtml(deployment.approval.decision)} by ${escapeHtml(deployment.approval.approver)}`;
    return [`<li data-job="${escapeHtml(job.id)}">${escapeHtml(cellLabel(job.id, job.matrix))} → ${escapeHtml(deployment.name)} <span class="run-status">${escapeHtml(job.status)}</span>${link}${approval}</li>`];
  });
  return items.length === 0 ? '' : `<section class="deployments"><h2>Deployments</h2><ul>${items.join('')}</ul></section>`;
}

/** A log path as a link: URLs as they are, a local path as a file: URL. */
function logHref(log: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(log)) return log;
  return `file://${log.split('/').map(encodeURIComponent).join('/')}`;
}

/** A bar for something that ran; '' for what has no times (skipped). */
function spanBar(
  item: { readonly status: string; readonly startedAt?: string; readonly endedAt?: string },
  classes: string,
  y: number,
  height: number,
  x: (iso: string) => number,
  tooltip: readonly string[],
): string {
  if (item.startedAt === undefined || item.endedAt === undefined) return '';
  const x1 = x(item.startedAt);
  const width = Math.max(x(item.endedAt) - x1, layout.minBar);
  const took = formatDuration(Date.parse(item.endedAt) - Date.parse(item.startedAt));
  // The status in words too, so the chart reads without colour.
  const note = item.status === 'succeeded' ? took : `${took} ${item.status}`;
  const title = [...tooltip, `${took} (${item.startedAt} → ${item.endedAt})`].join('\n');
  return (
    `<rect class="${classes}" x="${round(x1)}" y="${y}" width="${round(width)}" height="${height}"` +
    ` data-start="${escapeHtml(item.startedAt)}" data-end="${escapeHtml(item.endedAt)}">` +
    `<title>${escapeHtml(title)}</title></rect>` +
    `<text class="status-text" x="${round(x1 + width + 4)}" y="${y + height - 2}">${escapeHtml(note)}</text>`
  );
}

function skippedText(y: number): string {
  return `<text class="status-text" x="${layout.labelWidth + 6}" y="${y}">skipped</text>`;
}

function outputLines(outputs: Readonly<Record<string, Json>> | undefined): string[] {
  if (!outputs) return [];
  return Object.entries(outputs).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
