// The makespan of the N-shaped DAG (a: 3 s, b: 1 s, c needs a and b: 1 s, d needs b: 3 s) next to its
// critical path (4 s): any series-parallel schedule needs 5 s, a layered one 6 s. A ratio near 1 means
// every job started as soon as its own needs had ended. (The order itself is a test: test/e2e/makespan.test.ts.)
// Run: npx tsx bench/makespan.bench.ts
import '../lib/local/polyfills';
import { join } from 'node:path';
import { startLocalWorkflows } from '../test/e2e/local-run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CRITICAL_PATH_MS = 4000;
const local = await startLocalWorkflows([join(import.meta.dirname, '../test/fixtures/e2e-behaviour/n-shape.yml')]);
const { status, report } = await local.finish(local.start('n-shape'));
await local.close();
if (status !== 'SUCCEEDED') throw new Error(`the run ended ${status}`);
const makespan = Date.parse(report.endedAt) - Date.parse(report.startedAt);
console.log(`N-shaped DAG: makespan ${makespan} ms vs critical path ${CRITICAL_PATH_MS} ms → ${(makespan / CRITICAL_PATH_MS).toFixed(2)}× (series-parallel would be ≥ 1.25×, layered 1.50×)`);
