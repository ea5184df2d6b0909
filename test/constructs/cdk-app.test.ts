// `npx cdk synth` as a user runs it: the CDK CLI, bin/stepdeploy-app.ts, Lambda bundles made by the
// local esbuild (no Docker), offline.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('npx cdk synth', () => {
  it('makes one state machine per workflow in the configured folder, with bundled runtime functions', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stepdeploy-cdk-'));
    await run('npx', ['cdk', 'synth', '--quiet', '--output', out], { cwd: root, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    const template = JSON.parse(await readFile(join(out, 'StepDeploy.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };
    const machines = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
    const examples = (await readdir(join(root, 'examples'))).filter((name) => name.endsWith('.yml'));
    expect(machines.map((machine) => machine.Metadata?.['stepdeploy:workflow']).sort()).toEqual(examples.map((name) => name.replace(/\.yml$/, '')).sort());
    const assets = (await readdir(out)).filter((name) => name.startsWith('asset.'));
    const runnerBundles = assets.filter((name) => name.endsWith('.mjs'));
    const functionBundles = assets.filter((name) => !name.endsWith('.mjs'));
    expect(functionBundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of functionBundles) expect((await readdir(join(out, bundle)))).toContain('index.mjs');
    // The runner program, one file: it loads and, given no identity, says what is missing.
    expect(runnerBundles).toHaveLength(1);
    const started = await run('node', [join(out, runnerBundles[0]!)], { env: { PATH: process.env.PATH ?? '' } }).catch((error: { code: number; stderr: string }) => error);
    expect(started).toMatchObject({ code: 1, stderr: 'stepdeploy runner: STEPDEPLOY_RUNNER_ID is not set (the start runner state and the runner project set it)\n' });
  }, 600_000);
});

describe('the CDK app and Step Functions limits', () => {
  it('refuses a workflow over a limit before bundling anything, with the line validate prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-cdk-limits-'));
    const steps = Array.from({ length: 70 }, () => '      - run: ./flaky\n        retry:\n          max-attempts: 100\n').join('');
    await writeFile(join(dir, 'retries.yml'), `on: workflow_dispatch\njobs:\n  retrying:\n    steps:\n${steps}`);
    const failure = (await run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'bin', 'stepdeploy-app.ts')], {
      cwd: dir,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ 'stepdeploy:workflowsDir': dir }), CDK_OUTDIR: join(dir, 'out') },
    }).catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(new RegExp(`^${dir.replaceAll('/', '\\/')}\\/retries\\.yml:3:3 error history-too-large: one execution could record up to 21,[0-9]{3} history events`));
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
