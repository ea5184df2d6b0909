// The timeline in a real browser: Debian's chromium, headless. Locally the test skips (saying so)
// when /usr/bin/chromium is missing; under CI (env CI set) it always runs, so a missing browser fails.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../lib/report/build-report';
import { renderTimeline } from '../../lib/report/timeline';
import { EXECUTION_ARN, loadHistory } from './histories';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI;
const reason = skip ? ` (skipped: ${CHROMIUM} not found — apt-get install chromium; under CI this test runs)` : '';

interface Box {
  readonly start: string;
  readonly x: number;
  readonly width: number;
  readonly height: number;
}

describe.skipIf(skip)(`the timeline in headless chromium${reason}`, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-timeline-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['matrix-max-parallel', 'fail-fast-cancelled', 'failed-step-skipped-dependents'])(
    '%s: bars are laid out left to right by start time with real widths, and a screenshot is taken',
    async (name) => {
      const report = buildReport({ workflow: 'deploy-production', executionArn: EXECUTION_ARN, history: loadHistory(name) });
      const file = join(dir, `${name}.html`);
      await writeFile(file, renderTimeline(report));
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(`file://${file}`);

      const boxes = async (selector: string): Promise<Box[]> =>
        page.$$eval(selector, (elements) =>
          elements.map((element) => {
            const box = element.getBoundingClientRect();
            return { start: element.getAttribute('data-start') ?? '', x: box.x, width: box.width, height: box.height };
          }),
        );
      const jobs = await boxes('rect.job-bar');
      const steps = await boxes('rect.step-bar');
      const ran = (list: readonly { startedAt?: string }[]): number => list.filter((item) => item.startedAt !== undefined).length;
      expect(jobs).toHaveLength(ran(report.jobs));
      expect(steps).toHaveLength(report.jobs.reduce((sum, job) => sum + ran(job.steps), 0));
      for (const list of [jobs, steps]) {
        const byStart = [...list].sort((a, b) => a.start.localeCompare(b.start));
        for (const [index, box] of byStart.entries()) {
          expect(box.width).toBeGreaterThan(0);
          expect(box.height).toBeGreaterThan(0);
          if (index > 0) expect(box.x).toBeGreaterThanOrEqual(byStart[index - 1]!.x);
        }
      }
      const screenshot = join(dir, `${name}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
      expect(requests).toStrictEqual([]);
      await page.close();
    },
  );
  it('a failed step shows its error on hover and its details on click; the critical path runs through the failed cell', async () => {
    const report = buildReport({ workflow: 'deploy-production', executionArn: EXECUTION_ARN, history: loadHistory('fail-fast-cancelled') });
    const file = join(dir, 'failure.html');
    await writeFile(file, renderTimeline(report));
    const page = await browser.newPage({ viewport: { width: 1280, height: 400 } });
    await page.goto(`file://${file}`);
    const bar = page.locator('g.step[data-status="failed"] rect.step-bar');
    await bar.hover();
    expect(await bar.locator('title').textContent()).toContain('error: States.TaskFailed');
    await bar.click();
    expect(new URL(page.url()).hash).toBe('#failure-1');
    const details = page.locator('.failure:target');
    await expect.poll(() => details.count()).toBe(1);
    expect(await details.textContent()).toContain('deploy (region=us-east-1) › apply');
    expect(await details.textContent()).toContain('States.TaskFailed: terraform apply: exit code 1');
    expect(await details.isVisible()).toBe(true);
    const critical = await page.$$eval('rect.job-bar.critical', (bars) => bars.map((rect) => rect.closest('g')?.getAttribute('data-status')));
    expect(critical).toStrictEqual(['failed']);
    await page.screenshot({ path: join(dir, 'failure.png'), fullPage: true });
    await page.close();
  });
});
