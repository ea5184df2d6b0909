import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflowFile } from '../../lib/model/load';
import { findProjectConfig, projectConfigFromText, projectContext } from '../../lib/model/project-config';
import { defaultRunnerLabels } from '../../lib/model/runner-labels';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function project(cdkJson: unknown | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepdeploy-config-'));
  dirs.push(dir);
  await mkdir(join(dir, 'workflows', 'nested'), { recursive: true });
  if (cdkJson !== undefined) await writeFile(join(dir, 'cdk.json'), typeof cdkJson === 'string' ? cdkJson : JSON.stringify(cdkJson));
  const workflow = 'on: workflow_dispatch\njobs:\n  build:\n    runs-on: [gpu-box]\n    steps:\n      - run: echo hi\n';
  await writeFile(join(dir, 'workflows', 'nested', 'deploy.yml'), workflow);
  return dir;
}

const gpu = { 'gpu-box': { image: 'my/gpu:1', computeType: 'BUILD_GENERAL1_LARGE' } };

describe('runner labels from cdk.json (stepdeploy:runnerLabels)', () => {
  it('reads the closest cdk.json above the workflow: a label it adds validates', async () => {
    const dir = await project({ app: 'x', context: { 'stepdeploy:runnerLabels': gpu, '@aws-cdk/core:someFlag': true } });
    const file = join(dir, 'workflows', 'nested', 'deploy.yml');
    const found = await findProjectConfig(file);
    expect(found).toEqual({ config: { file: join(dir, 'cdk.json'), runnerLabels: { ...defaultRunnerLabels, ...gpu }, stepdeployContext: { 'stepdeploy:runnerLabels': gpu } } });
    // What a local run synthesizes with: the stepdeploy entries only, not CDK's own flags.
    expect(await projectContext(file)).toEqual({ 'stepdeploy:runnerLabels': gpu });
    const loaded = await loadWorkflowFile(file);
    expect(loaded.problems).toEqual([]);
    expect(loaded.workflow?.jobs[0]?.runsOn).toEqual({ labels: ['gpu-box'] });
    expect(loaded.workflow?.runnerLabels['gpu-box']).toEqual(gpu['gpu-box']);
  });

  it('without the context the label is unknown, a located error naming the known labels', async () => {
    const dir = await project({ app: 'x' });
    const loaded = await loadWorkflowFile(join(dir, 'workflows', 'nested', 'deploy.yml'));
    const known = Object.keys(defaultRunnerLabels).join(', ');
    expect(loaded.problems.map((problem) => [problem.code, problem.location.line, problem.location.column, problem.message])).toEqual([
      ['unknown-runner-label', 4, 15, `jobs.build.runs-on: unknown runner label 'gpu-box' (known labels: ${known})`],
    ]);
  });

  it('reports a malformed entry at the cdk.json, naming the entry and the rule', async () => {
    const dir = await project({ context: { 'stepdeploy:runnerLabels': { 'gpu-box': { image: 'x', environmentType: 'WINDOWS' } } } });
    const loaded = await loadWorkflowFile(join(dir, 'workflows', 'nested', 'deploy.yml'));
    expect(loaded.problems).toEqual([
      {
        code: 'invalid-project-config',
        location: { file: join(dir, 'cdk.json'), line: 1, column: 1 },
        path: '',
        message: `${join(dir, 'cdk.json')}: context.stepdeploy:runnerLabels.gpu-box.environmentType: 'WINDOWS' is not one of LINUX_CONTAINER, ARM_CONTAINER, LINUX_LAMBDA_CONTAINER, ARM_LAMBDA_CONTAINER`,
      },
    ]);
  });

  it.each([
    ['[1]', ': expected an object of label → { image, computeType, environmentType }'],
    ['{"self-hosted": {"image": "x"}}', ".self-hosted: 'self-hosted' cannot be a runner label"],
    ['{"a": "x"}', '.a: expected an object with image, computeType and/or environmentType'],
    ['{"a": {"size": "big"}}', '.a.size: unknown field (fields: image, computeType, environmentType)'],
    ['{"a": {}}', '.a: sets nothing (fields: image, computeType, environmentType)'],
    ['{"a": {"image": ""}}', '.a.image: expected a non-empty string'],
    ['{"a": {"computeType": "large"}}', ".a.computeType: 'large' is not a CodeBuild compute type (e.g. BUILD_GENERAL1_LARGE, BUILD_LAMBDA_4GB)"],
  ])('refuses stepdeploy:runnerLabels %s', (labels, rest) => {
    const text = `{"context": {"stepdeploy:runnerLabels": ${labels}}}`;
    expect(projectConfigFromText(text, 'cdk.json')).toEqual({ file: 'cdk.json', error: `cdk.json: context.stepdeploy:runnerLabels${rest}` });
  });

  it('refuses a cdk.json that is not JSON', () => {
    expect(projectConfigFromText('{', 'cdk.json')).toEqual({ file: 'cdk.json', error: expect.stringMatching(/^cdk\.json: not valid JSON \(/) });
  });
});
