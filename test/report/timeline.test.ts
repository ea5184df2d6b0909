import { describe, expect, it } from 'vitest';
import { buildReport } from '../../lib/report/build-report';
import type { RunReport } from '../../lib/report/report';
import { renderTimeline } from '../../lib/report/timeline';
import { EXECUTION_ARN, loadHistory } from './histories';

const reportOf = (name: string): RunReport => buildReport({ workflow: 'deploy-production', executionArn: EXECUTION_ARN, history: loadHistory(name) });

/** The opening tags of the elements with the given class. */
function tagsWithClass(html: string, className: string): string[] {
  return [...html.matchAll(/<[a-z]+ [^>]*class="([^"]*)"[^>]*>/g)]
    .filter((match) => match[1]!.split(' ').includes(className))
    .map((match) => match[0]);
}
const classesOf = (tag: string): string[] => /class="([^"]*)"/.exec(tag)![1]!.split(' ');

describe('renderTimeline', () => {
  it('draws a bar per job or cell and per step that ran, classed by status', () => {
    const report = reportOf('fail-fast-cancelled');
    const html = renderTimeline(report);
    const jobBars = tagsWithClass(html, 'job-bar');
    expect(jobBars.map((tag) => classesOf(tag).filter((name) => name !== 'bar' && name !== 'job-bar' && name !== 'critical'))).toStrictEqual([
      ['succeeded'],
      ['failed'],
      ['cancelled'],
    ]);
    const stepBars = tagsWithClass(html, 'step-bar');
    // verify was skipped: a row without a bar.
    expect(stepBars.map((tag) => classesOf(tag).at(-1))).toStrictEqual(['succeeded', 'failed', 'cancelled']);
    expect(tagsWithClass(html, 'step-label').map((tag) => tag)).toHaveLength(4);
    expect(html).toContain('<g class="step" data-step="verify" data-status="skipped">');
  });

  it('places bars by their times on one scale: start and width in proportion to the run', () => {
    const html = renderTimeline(reportOf('matrix-max-parallel'));
    const bars = tagsWithClass(html, 'job-bar').map((tag) => ({
      x: Number(/ x="([\d.]+)"/.exec(tag)![1]),
      width: Number(/ width="([\d.]+)"/.exec(tag)![1]),
      start: Date.parse(/data-start="([^"]+)"/.exec(tag)![1]!),
      end: Date.parse(/data-end="([^"]+)"/.exec(tag)![1]!),
    }));
    expect(bars).toHaveLength(4);
    // Chart: 780px for the run’s 11.94s, after a 300px label column.
    const scale = 780 / 11_940;
    const t0 = Date.parse('2025-03-04T10:00:00.000Z');
    for (const bar of bars) {
      expect(bar.x).toBeCloseTo(300 + (bar.start - t0) * scale, 0);
      expect(bar.width).toBeCloseTo((bar.end - bar.start) * scale, 0);
    }
  });

  it('has a legend with every status and the critical path, and a time axis from 0s', () => {
    const html = renderTimeline(reportOf('matrix-max-parallel'));
    expect(html).toContain(
      '<ul class="legend"><li><span class="swatch succeeded"></span>succeeded</li><li><span class="swatch failed"></span>failed</li><li><span class="swatch cancelled"></span>cancelled</li><li><span class="swatch skipped"></span>skipped</li><li><span class="swatch critical"></span>critical path</li></ul>',
    );
    const ticks = [...html.matchAll(/<text x="[\d.]+" y="\d+" text-anchor="middle">([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toStrictEqual(['0s', '2s', '4s', '6s', '8s', '10s']);
  });

  it('marks the chain read from the times as the critical path when none is given', () => {
    const html = renderTimeline(reportOf('matrix-max-parallel'));
    const critical = tagsWithClass(html, 'job-bar').map((tag) => classesOf(tag).includes('critical'));
    expect(critical).toStrictEqual([true, true, false, true]);
    expect(tagsWithClass(html, 'critical-marker')).toHaveLength(3);
  });

  it('marks the given critical path instead (job ids: every cell of a matrix job)', () => {
    const html = renderTimeline(reportOf('matrix-max-parallel'), { criticalPath: ['deploy'] });
    const critical = tagsWithClass(html, 'job-bar').map((tag) => classesOf(tag).includes('critical'));
    expect(critical).toStrictEqual([false, true, true, true]);
  });

  it('escapes everything that comes from the run: workflow, matrix values, step names, outputs', () => {
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const report: RunReport = {
      workflow: `w${evil}`,
      execution: EXECUTION_ARN,
      status: 'failed',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:10.000Z',
      jobs: [
        {
          id: 'deploy',
          matrix: { target: evil, 'k<b>': 1 },
          status: 'failed',
          startedAt: '2025-03-04T10:00:01.000Z',
          endedAt: '2025-03-04T10:00:09.000Z',
          steps: [{ name: 'apply', status: 'failed', startedAt: '2025-03-04T10:00:01.000Z', endedAt: '2025-03-04T10:00:09.000Z', outputs: { note: evil } }],
        },
      ],
    };
    const html = renderTimeline(report);
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('k&lt;b&gt;=1');
  });

  it('is one self-contained file: no scripts, nothing fetched; the only links lead to failure details', () => {
    const html = renderTimeline(reportOf('failed-step-skipped-dependents'));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1])).toStrictEqual(['#failure-1']);
    expect(html).toContain('<div class="failure" id="failure-1" data-step="unit"><h3>test › unit</h3><p class="error">States.TaskFailed: Build failed: exit code 1</p></div>');
  });

  it('gives a failed step its exit code, last lines and log link, and its bar a tooltip with them', () => {
    const report = reportOf('failed-step-skipped-dependents');
    const failedJob = report.jobs.find((job) => job.status === 'failed')!;
    const failedStep = { ...failedJob.steps.find((step) => step.status === 'failed')!, exitCode: 2, lastLines: ['npm ERR! test failed', 'exit 2'], log: '/tmp/logs/run 1/test.unit_run.log' };
    const html = renderTimeline({ ...report, jobs: report.jobs.map((job) => (job === failedJob ? { ...job, steps: job.steps.map((step) => (step.status === 'failed' ? failedStep : step)) } : job)) });
    expect(html).toContain('<p class="error">States.TaskFailed: exit code 2</p><pre>npm ERR! test failed\nexit 2</pre><p>full log: <a href="file:///tmp/logs/run%201/test.unit_run.log">/tmp/logs/run 1/test.unit_run.log</a></p>');
    expect(html).toMatch(/<a class="failure-link" href="#failure-1"><rect [^>]*><title>test › unit: failed\nexit code 2\nexit 2\n/);
  });

  it('lists each deployment with its URL (a link only for http and https) and puts it in the job bar’s tooltip', () => {
    const job = (id: string, url: string) => ({
      id,
      status: 'succeeded' as const,
      startedAt: '2025-03-04T10:00:01.000Z',
      endedAt: '2025-03-04T10:00:09.000Z',
      steps: [],
      environment: { name: 'production', url },
    });
    const html = renderTimeline({
      workflow: 'w',
      execution: EXECUTION_ARN,
      status: 'succeeded',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:10.000Z',
      jobs: [job('web', 'https://example.com/?a=1&b=2'), job('odd', 'javascript:alert(1)')],
    });
    expect(html).toContain(
      '<section class="deployments"><h2>Deployments</h2><ul><li data-job="web">web → production <span class="run-status">succeeded</span> <a class="deployment-url" href="https://example.com/?a=1&amp;b=2">https://example.com/?a=1&amp;b=2</a></li>' +
        '<li data-job="odd">odd → production <span class="run-status">succeeded</span> <span class="deployment-url">javascript:alert(1)</span></li></ul></section>',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).toMatch(/<title>web: succeeded\nenvironment production: https:\/\/example.com\/\?a=1&amp;b=2\n/);
  });

  it('renders the same report to the same bytes', () => {
    expect(renderTimeline(reportOf('continue-on-error'))).toBe(renderTimeline(reportOf('continue-on-error')));
  });
});
