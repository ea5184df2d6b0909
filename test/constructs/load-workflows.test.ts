// The CDK app deploys one state machine per workflow file, except reusable workflows (only on:
// workflow_call): they are checked and run inside their callers.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows, workflowFiles } from '../../lib/constructs/load-workflows';

describe('loadWorkflows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-load-workflows-'));
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    for (const name of ['main.yml', 'build.yml']) await copyFile(join('test/fixtures/e2e-reusable', name), join(dir, '.github', 'workflows', name));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('leaves out a reusable workflow, which its caller runs inline', async () => {
    const { workflows, problems } = await loadWorkflows(await workflowFiles(join(dir, '.github', 'workflows')));
    expect(problems).toEqual([]);
    expect(workflows.map((workflow) => workflow.id)).toEqual(['main']);
    expect(workflows[0]?.jobs.filter((job) => job.label !== undefined).map((job) => job.label)).toEqual([
      'Build / compile',
      'Build / package',
      'regions (eu-west-1) / compile',
      'regions (eu-west-1) / package',
      'regions (us-east-1) / compile',
      'regions (us-east-1) / package',
    ]);
  });
});
