// The job runner's costs on the local engine (issue 9): builds per execution, and per run step the
// state transitions, Lambda calls and DynamoDB operations, next to the per-step-build design it
// replaced; and the step → step latency (one step's script ends → the next one's starts), median of N.
// DynamoDB operations are counted by a proxy in front of the engine's dynalite that every client —
// the in-process handlers, the engine's own, the runner processes — talks to.
// Run: npx tsx bench/runner.bench.ts
import '../lib/local/polyfills';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { request as httpRequest, createServer } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalWorkflows } from '../test/e2e/local-run';
import { sized } from './support/mode';
import { writeSection } from './support/sections';
import { round } from './support/stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const STEPS = sized({ tiny: 4, quick: 20, full: 20 });
const REGIONS = sized({ tiny: 2, quick: 5, full: 5 });
const DEPLOY_STEPS = 3;

async function workflows(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-bench-runner-'));
  const chain = join(dir, 'chain.yml');
  // Each step writes when its script started and ended (ns): the gaps are the step → step latency.
  const step = (index: number) => `      - id: s${index}\n        run: |\n          echo "start=$(date +%s%N)" >> "$GITHUB_OUTPUT"\n          echo "end=$(date +%s%N)" >> "$GITHUB_OUTPUT"`;
  await writeFile(chain, `name: chain\non: workflow_dispatch\njobs:\n  chain:\n    steps:\n${Array.from({ length: STEPS }, (_, index) => step(index)).join('\n')}\n`);
  const deploy = join(dir, 'deploy.yml');
  const regions = Array.from({ length: REGIONS }, (_, index) => `r${index}`).join(', ');
  const steps = Array.from({ length: DEPLOY_STEPS }, (_, index) => `      - run: echo step ${index} in $REGION\n        env: { REGION: "\${{ matrix.region }}" }`).join('\n');
  await writeFile(deploy, `name: deploy\non: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      matrix:\n        region: [${regions}]\n    steps:\n${steps}\n`);
  return [chain, deploy];
}

/** A counting HTTP proxy in front of dynalite: operations by X-Amz-Target. */
async function countingProxy(target: string): Promise<{ endpoint: string; counts: Map<string, number>; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? 'unknown').split('.').pop()!;
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, counts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

interface Costs {
  readonly transitions: number;
  readonly lambdaCalls: number;
  readonly builds: number;
  readonly runSteps: number;
}

/** From a history: state transitions (states entered), Lambda tasks, builds started, run steps. */
function costs(history: readonly HistoryEvent[]): Costs {
  const scheduled = history.filter((event) => event.type === 'TaskScheduled').map((event) => event.taskScheduledEventDetails!);
  return {
    transitions: history.filter((event) => event.type?.endsWith('StateEntered')).length,
    lambdaCalls: scheduled.filter((task) => task.resourceType === 'lambda').length,
    builds: scheduled.filter((task) => task.resourceType === 'codebuild').length,
    runSteps: scheduled.filter((task) => task.resource === 'invoke.waitForTaskToken' && task.parameters?.includes('"op":"step"')).length,
  };
}

const [chainFile, deployFile] = await workflows();
const local = await startLocalWorkflows([chainFile!, deployFile!]);
const proxy = await countingProxy(local.engine.endpoints.dynamodb);
// Every client is made lazily from this object (handlers, the engine's own, each runner's environment).
(local.engine.endpoints as { dynamodb: string }).dynamodb = proxy.endpoint;

const measure = async (workflow: string) => {
  proxy.counts.clear();
  const { status, report, history } = await local.finish(local.start(workflow));
  if (status !== 'SUCCEEDED') throw new Error(`${workflow} ended ${status}`);
  return { report, history, dynamodb: new Map(proxy.counts), cost: costs(history) };
};

const chain = await measure('chain');
const steps = chain.report.jobs[0]!.steps;
const gaps = steps.slice(1).map((step, index) => (Number(step.outputs!.start) - Number(steps[index]!.outputs!.end)) / 1e6);
const deploy = await measure('deploy');
await proxy.close();
await local.close();

const section: Record<string, unknown> = { step_gap_median_ms: round(median(gaps), 1) };
const perStep = (value: number, cost: Costs) => (value / cost.runSteps).toFixed(2);
console.log(`step → step latency (script end → next script start, ${gaps.length} gaps): median ${median(gaps).toFixed(0)} ms, min ${Math.min(...gaps).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms`);
for (const [name, run] of [
  [`chain (1 job, ${STEPS} steps)`, chain],
  [`deploy (${REGIONS} regions × ${DEPLOY_STEPS} steps)`, deploy],
] as const) {
  const { cost } = run;
  // The per-step-build design had the same states minus start runner and stop runner per cell, no
  // dispatch Lambda, no runner DynamoDB traffic, and one build per run step.
  const cells = cost.builds;
  const before = { transitions: cost.transitions - 2 * cells, lambdaCalls: cost.lambdaCalls - cost.runSteps, builds: cost.runSteps };
  console.log(`\n${name}: ${cost.runSteps} run steps in ${cells} cells`);
  console.log(`  builds per execution:        before ${before.builds}, after ${cost.builds}`);
  console.log(`  state transitions per step:  before ${perStep(before.transitions, cost)}, after ${perStep(cost.transitions, cost)} (execution total ${before.transitions} → ${cost.transitions})`);
  console.log(`  Lambda calls per step:       before ${perStep(before.lambdaCalls, cost)}, after ${perStep(cost.lambdaCalls, cost)}`);
  console.log(`  DynamoDB operations:         ${[...run.dynamodb].map(([operation, count]) => `${operation} ${count}`).join(', ')} (all of them: ${sum(run.dynamodb)}; before: none for steps)`);
  const protocol = (run.dynamodb.get('PutItem') ?? 0) + (run.dynamodb.get('DeleteItem') ?? 0);
  section[name.split(' ')[0]!] = { run_steps: cost.runSteps, builds: cost.builds, transitions_per_step: round(cost.transitions / cost.runSteps), lambda_calls_per_step: round(cost.lambdaCalls / cost.runSteps), dynamodb_writes_per_step: round(protocol / cost.runSteps) };
  console.log(`  DynamoDB per step:           writes ${(protocol / cost.runSteps).toFixed(2)}, polls ${((run.dynamodb.get('Query') ?? 0) / cost.runSteps).toFixed(2)} (before: 0)`);
}
writeSection('runner', section);
