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
    const bundles = (await readdir(out)).filter((name) => name.startsWith('asset.'));
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of bundles) expect((await readdir(join(out, bundle)))).toContain('index.mjs');
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
