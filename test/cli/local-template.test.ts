// The template `stepdeploy run` executes is synthesized once and kept while nothing it depends on changes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localTemplate, templateKey } from '../../lib/cli/local-template';
import { synthesizeLocalTemplate } from '../../lib/constructs/local-synth';
import type { Workflow } from '../../lib/model/workflow';

const dir = await mkdtemp(join(tmpdir(), 'local-template-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const file = join(dir, 'deploy.yml');
await writeFile(file, 'on: workflow_dispatch\njobs:\n  hello:\n    steps:\n      - run: echo hello\n');
const cacheDir = join(dir, 'cache');
const same = (workflow: Workflow): Workflow => workflow;
const withEnv = (workflow: Workflow): Workflow => ({ ...workflow, env: { ...workflow.env, STAGE: 'beta' } });

describe('the local template cache', () => {
  it('synthesizes once, then returns the same template from the cache; a different model synthesizes again', async () => {
    const first = await localTemplate([file], same, { cacheDir, env: {} });
    expect(first.cached).toBe(false);
    expect(first.template).toEqual((await synthesizeLocalTemplate([file])).template);
    const second = await localTemplate([file], same, { cacheDir, env: {} });
    expect(second).toEqual({ ...first, cached: true });

    const changed = await localTemplate([file], withEnv, { cacheDir, env: {} });
    expect(changed.cached).toBe(false);
    expect(JSON.stringify(changed.template)).toContain('beta');
    // The CDK_* environment is part of the key too.
    expect((await localTemplate([file], same, { cacheDir, env: { CDK_DEFAULT_REGION: 'eu-west-1' } })).cached).toBe(false);
  });

  it('keys on the model, the context and the CDK_* environment only', async () => {
    const { workflows } = await import('../../lib/constructs/load-workflows').then((module) => module.loadWorkflows([file]));
    const key = templateKey(workflows, {}, { HOME: '/a' });
    expect(templateKey(workflows, {}, { HOME: '/b' })).toBe(key);
    expect(templateKey(workflows, { 'stepdeploy:connectionArn': 'x' }, {})).not.toBe(key);
    expect(templateKey(workflows.map(withEnv), {}, {})).not.toBe(key);
  });

  it('returns the loader’s problems and synthesizes nothing', async () => {
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, 'on: workflow_dispatch\njobs:\n  hello:\n    stpes: []\n');
    const result = await localTemplate([broken], same, { cacheDir, env: {} });
    expect(result.template).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
