// Start-up of the CLI, as a person feels it: wall time of whole `stepdeploy` processes next to a bare
// `node -e 0` on the same machine. Targets (issue 15): `validate` of one file ≤ 4× a bare node, a
// one-step `run` ≤ 1.2 s. The validation cache is warmed first (the second run of an unchanged
// workflow is the common case); the cold run is shown too.
// Run: npm run bench -- startup
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { existsSync } from 'node:fs';
import { benchMode, sized } from './support/mode';
import { writeSection } from './support/sections';
import { round } from './support/stats';

// The package's bin (compiled, `npm run build`) and the checkout's (tsx compiles as it loads).
const packageBin = fileURLToPath(new URL('../dist/bin/stepdeploy.js', import.meta.url));
const checkoutBin = fileURLToPath(new URL('../bin/stepdeploy.js', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-startup-'));
const cacheDir = join(dir, 'cache');
await writeFile(join(dir, 'one.yml'), 'on: workflow_dispatch\njobs:\n  hello:\n    steps:\n      - run: echo hello\n');

function wall(args: readonly string[]): number {
  const begin = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: dir, env: { ...process.env, STEPDEPLOY_CACHE_DIR: cacheDir }, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - begin) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rounds = sized({ tiny: 1, quick: 3, full: 7 });
const measure = (args: readonly string[]): number => median(Array.from({ length: rounds }, () => wall(args)));

const bare = measure(['-e', '0']);
const rows: [string, number, string][] = [['node -e 0', bare, '']];
let coldRun: number | undefined;
// Quick and tiny runs time one bin: the package's (what `npx stepdeploy` runs; `npm ci` builds it
// through `prepare`), else the checkout's (tsx compiles as it loads); full ones both.
const allBins = [
  ['checkout', checkoutBin],
  ['package', packageBin],
] as const;
const firstBuilt = [...allBins].reverse().find(([, bin]) => existsSync(bin));
const bins = sized({ tiny: false, quick: false, full: true }) ? allBins : firstBuilt ? [firstBuilt] : [];
const section: Record<string, number | string> = { node_ms: round(bare, 0) };
for (const [kind, bin] of bins) {
  if (!existsSync(bin)) {
    console.log(`(${kind} bin ${bin} not built: npm run build)`);
    continue;
  }
  const cli = (...args: string[]): string[] => [bin, ...args];
  const runArgs = cli('run', 'one.yml', '--logs', join(dir, 'logs'));
  if (coldRun === undefined && benchMode !== 'tiny') {
    coldRun = wall(runArgs); // empty validation cache
  }
  let timed;
  try {
    // Tiny runs (the harness's test) time validate alone: a run would cost the test seconds.
    timed = benchMode === 'tiny' ? { validate: measure(cli('validate', 'one.yml')) } : { version: measure(cli('--version')), validate: measure(cli('validate', 'one.yml')), plan: measure(cli('plan', 'one.yml')), run: measure(runArgs) };
  } catch (error) {
    // A stale dist/ (built from older sources) must not hide the checkout's figures.
    console.log(`(${kind} bin failed: ${(error as Error).message}; npm run build)`);
    section[`${kind}_error`] = (error as Error).message;
    continue;
  }
  const labels: Record<string, [string, string]> = {
    version: ['stepdeploy --version', ''],
    validate: ['stepdeploy validate one.yml', 'target ≤ 4×'],
    plan: ['stepdeploy plan one.yml', ''],
    run: ['stepdeploy run one.yml (1 step)', 'target ≤ 1200 ms'],
  };
  for (const [command, ms] of Object.entries(timed)) rows.push([`${kind}: ${labels[command]![0]}`, ms, labels[command]![1]]);
  for (const [command, ms] of Object.entries(timed)) section[`${kind}_${command}_ms`] = round(ms, 0);
  section[`${kind}_validate_x_node`] = round(timed.validate / bare);
}
await rm(dir, { recursive: true, force: true });

console.log(`median of ${rounds} runs each, wall time of the whole process:`);
for (const [name, ms, note] of rows) {
  console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / bare).toFixed(1).padStart(5)}× node${note ? `   (${note})` : ''}`);
}
if (coldRun !== undefined) section.cold_run_ms = round(coldRun, 0);
section.bin = bins[0]?.[0] ?? 'none';
writeSection('startup', section);
if (coldRun !== undefined) console.log(`${'first run, cold validation cache'.padEnd(44)} ${coldRun.toFixed(0).padStart(6)} ms  (the ASL is validated once)`);
