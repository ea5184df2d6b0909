// `npm run bench` (full), `npm run bench -- --quick` (≤ 3 minutes on 2 cores) and `--tiny` (the
// harness's own test): runs every bench/*.bench.ts in turn, each in a process of its own, so that one
// bench's leftovers (servers, timers, heap) never colour another's figures. Each writes its section;
// they are merged into bench/results.json (or --out FILE) with the machine they ran on, and printed
// as one table (also written beside the JSON as results.md). Other arguments pick benches by name.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkResults } from './support/schema';
import { formatTable } from './support/table';

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const mode = args.includes('--tiny') ? 'tiny' : args.includes('--quick') ? 'quick' : 'full';
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : join(dir, 'results.json');
const only = args.filter((arg, index) => !arg.startsWith('--') && (outIndex < 0 || index !== outIndex + 1));
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

const sections = mkdtempSync(join(tmpdir(), 'stepdeploy-bench-sections-'));
const machine = {
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model.trim() || 'unknown',
  memory_gb: Number((totalmem() / 2 ** 30).toFixed(1)),
  free_memory_gb_at_start: Number((freemem() / 2 ** 30).toFixed(1)),
  load_average_at_start: loadavg().map((value) => Number(value.toFixed(2))),
  node: process.version,
  platform: `${platform()} ${release()}`,
};
const started = Date.now();
const failed: string[] = [];
const timings: Record<string, number> = {};
for (const bench of benches) {
  const benchStarted = Date.now();
  process.stdout.write(`\n== ${bench} (${mode})\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, bench)], {
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, BENCH_MODE: mode, BENCH_SECTIONS: sections },
  });
  if (result.status !== 0) failed.push(bench);
  timings[bench] = Math.round((Date.now() - benchStarted) / 1000);
}

// A run of some benches (picked by name) keeps the other sections of results of the same mode.
const previous = only.length > 0 && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
const earlier = previous.mode === mode ? previous : {};
const results: Record<string, unknown> = { ...earlier, mode, started_at: new Date(started).toISOString(), elapsed_s: Math.round((Date.now() - started) / 1000), bench_s: timings, machine };
for (const file of readdirSync(sections).sort()) results[basename(file, '.json')] = JSON.parse(readFileSync(join(sections, file), 'utf8'));
rmSync(sections, { recursive: true, force: true });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
const table = formatTable(results);
writeFileSync(join(dirname(out), `${basename(out, '.json')}.md`), `${mode} run, ${results.elapsed_s} s, on ${machine.cpus} × ${machine.cpu_model}, ${machine.memory_gb} GB, Node ${machine.node}, load ${machine.load_average_at_start.join(' ')} at the start\n\n${table}\n`);
console.log(`\n${table}\n\n${mode} run: ${results.elapsed_s} s on ${machine.cpus} × ${machine.cpu_model} (load ${machine.load_average_at_start.join(' ')} at the start); wrote ${out}`);

const problems = checkResults(results);
for (const problem of problems) console.error(`results.json: ${problem}`);
if (failed.length > 0) console.error(`failed: ${failed.join(', ')}`);
process.exit(failed.length === 0 && problems.length === 0 ? 0 : 1);
