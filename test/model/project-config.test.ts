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

describe('the other stepdeploy:* entries of cdk.json (what the constructs read)', () => {
  const connection = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-0000-4000-8000-000000000000';
  it.each([
    ['"stepdeploy:connectionArn": 5', 'stepdeploy:connectionArn: expected a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>), got 5'],
    [`"stepdeploy:connectionArn": "${connection}"`, "stepdeploy:repository: expected the repository's URL https://github.com/<owner>/<name>, got undefined"],
    ['"stepdeploy:runnerManagedPolicies": ["PowerUserAccess", "arn:aws:s3:::b"]', "stepdeploy:runnerManagedPolicies[1]: 'arn:aws:s3:::b' is neither a managed policy name (e.g. PowerUserAccess) nor a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)"],
    ['"stepdeploy:runnerAssumableRoles": {"role": "x"}', 'stepdeploy:runnerAssumableRoles: {"role":"x"} must be a list of strings (or one comma-separated string)'],
    ['"stepdeploy:heartbeatSeconds": 0', 'stepdeploy:heartbeatSeconds: 0 must be a whole number of seconds from 1 to 3600'],
    ['"stepdeploy:githubApiUrl": "api.github.com"', 'stepdeploy:githubApiUrl: "api.github.com" must be the URL of a GitHub API (https://api.github.com, https://<host>/api/v3)'],
    ['"stepdeploy:secretsPrefix": 5', 'stepdeploy:secretsPrefix: 5 must be a non-empty string'],
    ['"stepdeploy:varsPrefix": ""', 'stepdeploy:varsPrefix: "" must be a non-empty string'],
  ])('refuses %s, at the key, naming it and the rule', (entry, rest) => {
    const text = `{\n  "app": "x",\n  "context": {\n    ${entry}\n  }\n}\n`;
    // A missing key (the repository beside a connection) has no place of its own: the file is named.
    expect(projectConfigFromText(text, 'cdk.json')).toEqual({ file: 'cdk.json', error: `cdk.json: context.${rest}`, ...(rest.startsWith('stepdeploy:repository') ? {} : { line: 4, column: 5 }) });
  });

  it('accepts what the constructs accept (a list as one comma-separated string, a number of seconds as text)', () => {
    const context = {
      'stepdeploy:connectionArn': connection,
      'stepdeploy:repository': 'https://github.com/acme/app.git',
      'stepdeploy:runnerManagedPolicies': 'PowerUserAccess, arn:aws:iam::aws:policy/AWSLambda_FullAccess',
      'stepdeploy:runnerAssumableRoles': ['arn:aws:iam::*:role/cdk-*'],
      'stepdeploy:heartbeatSeconds': '120',
      'stepdeploy:githubApiUrl': 'https://github.example.com/api/v3',
      'stepdeploy:secretsPrefix': 'teams/payments/{workflow}',
    };
    expect(projectConfigFromText(JSON.stringify({ context }), 'cdk.json')).toEqual({ config: { file: 'cdk.json', runnerLabels: defaultRunnerLabels, stepdeployContext: context } });
  });

  it('is a problem of loading the workflow, located at the key in the cdk.json', async () => {
    const dir = await project(`{\n  "app": "x",\n  "context": {\n    "stepdeploy:connectionArn": 5\n  }\n}\n`);
    const cdkJson = join(dir, 'cdk.json');
    expect((await loadWorkflowFile(join(dir, 'workflows', 'nested', 'deploy.yml'))).problems).toEqual([
      {
        code: 'invalid-project-config',
        location: { file: cdkJson, line: 4, column: 5 },
        path: '',
        message: `${cdkJson}: context.stepdeploy:connectionArn: expected a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>), got 5`,
      },
    ]);
  });
});
