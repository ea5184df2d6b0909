// The remote actions asset: locked actions copied from the cache at synth, the runner project told
// where it is, the buildspec unpacking it, the runner role reading that object only.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsAsset, remoteActionsOf } from '../../lib/constructs/actions-asset';
import { assumedRolesOf } from '../../lib/constructs/assumed-roles';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { formatLock } from '../../lib/model/actions/lock';
import { loadWorkflowFile } from '../../lib/model/load';

const SHA = 'b2'.repeat(20);
const DIGEST = `sha256:${'c3'.repeat(32)}`;

describe('the actions asset', () => {
  let dir: string;
  let cache: string;
  const previous = process.env.STEPDEPLOY_CACHE_DIR;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-actions-asset-'));
    cache = join(dir, 'cache');
    process.env.STEPDEPLOY_CACHE_DIR = cache;
    const action = join(cache, 'actions', 'octo', 'hello', SHA);
    await mkdir(action, { recursive: true });
    await writeFile(join(action, 'action.yml'), 'name: hello\nruns:\n  using: node20\n  main: index.js\n');
    await writeFile(join(action, 'index.js'), 'console.log("hi")\n');
    await writeFile(join(action, '.stepdeploy-digest'), `${DIGEST}\n`);
    const credentials = join(cache, 'actions', 'aws-actions', 'configure-aws-credentials', SHA);
    await mkdir(credentials, { recursive: true });
    await writeFile(join(credentials, 'action.yml'), 'name: c\ninputs:\n  role-to-assume: {}\n  aws-region: { required: true }\nruns:\n  using: node20\n  main: dist/index.js\n  post: dist/cleanup/index.js\n');
    await writeFile(join(credentials, '.stepdeploy-digest'), `${DIGEST}\n`);
    const inner = join(cache, 'actions', 'octo', 'inner', SHA);
    await mkdir(inner, { recursive: true });
    await writeFile(join(inner, 'action.yml'), 'name: inner\nruns:\n  using: node20\n  main: index.js\n');
    await writeFile(join(inner, '.stepdeploy-digest'), `${DIGEST}\n`);
    // A composite of the repository using a remote action that no workflow step names itself.
    await mkdir(join(dir, 'wrap'));
    await writeFile(join(dir, 'wrap', 'action.yml'), 'name: wrap\nruns:\n  using: composite\n  steps:\n    - uses: octo/inner@v1\n');
    await writeFile(
      join(dir, 'stepdeploy.lock.json'),
      formatLock({
        'octo/hello@v1': { action: 'octo/hello', ref: 'v1', sha: SHA, digest: DIGEST },
        'octo/inner@v1': { action: 'octo/inner', ref: 'v1', sha: SHA, digest: DIGEST },
        'aws-actions/configure-aws-credentials@v4': { action: 'aws-actions/configure-aws-credentials', ref: 'v4', sha: SHA, digest: DIGEST },
      }),
    );
    await writeFile(join(dir, 'remote.yml'), 'on: workflow_dispatch\njobs:\n  hi:\n    steps:\n      - uses: octo/hello@v1\n      - uses: ./wrap\n');
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.STEPDEPLOY_CACHE_DIR;
    else process.env.STEPDEPLOY_CACHE_DIR = previous;
    await rm(dir, { recursive: true, force: true });
  });

  it('is unpacked by the runner project, which may read that one object', async () => {
    const { workflow, problems } = await loadWorkflowFile(join(dir, 'remote.yml'));
    expect(problems).toEqual([]);
    expect(remoteActionsOf([workflow!])).toEqual([
      { action: 'octo/hello', sha: SHA },
      { action: 'octo/inner', sha: SHA },
    ]);
    const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
    const template = Template.fromStack(new StepDeployStack(app, 'ActionsTest', { workflows: [workflow!] }));
    // The composite step's dispatch payload gives the runner the commit of the action it uses (the runner has no lock).
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machines)).toContain(JSON.stringify(JSON.stringify({ nested: [{ action: 'octo/inner', ref: 'v1', sha: SHA }] }).slice(1, -1)).slice(1, -1));
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: { EnvironmentVariables: Match.arrayWith([Match.objectLike({ Name: 'STEPDEPLOY_RUNNER_ACTIONS' }), { Name: 'STEPDEPLOY_RUNNER_ACTIONS_DIR', Type: 'PLAINTEXT', Value: '/tmp/stepdeploy-actions' }]) },
      Source: { BuildSpec: Match.stringLikeRegexp('unzip -q -o /tmp/stepdeploy-actions.zip -d \\\\"/tmp/stepdeploy-actions\\\\"') },
    });
    const policies = template.findResources('AWS::IAM::Policy');
    const reads = Object.values(policies).flatMap((policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement.filter((statement) => statement.Action === 's3:GetObject'),
    );
    // The runner bundle's object and the actions' object, each by its own key.
    expect(reads).toHaveLength(2);
    expect(JSON.stringify(reads)).not.toContain('"*"');
  });

  it('holds the locked commits copied from the cache, as <owner>/<repo>/<sha>/', () => {
    const app = new App({ outdir: join(dir, 'out') });
    const asset = actionsAsset(new Stack(app, 'Bundled'), 'Actions', [{ action: 'octo/hello', sha: SHA }], join(cache, 'actions'));
    return readFile(join(app.outdir, asset.assetPath, 'octo', 'hello', SHA, 'action.yml'), 'utf8').then((text) => expect(text).toContain('main: index.js'));
  });

  it("refuses a workflow whose composite's remote action is not locked; grants the role a composite's configure-aws-credentials is given literally, warns about one it is not", async () => {
    await mkdir(join(dir, 'creds'));
    const steps = [
      '    - uses: aws-actions/configure-aws-credentials@v4',
      '      with: { role-to-assume: "${{ inputs.role }}", aws-region: eu-west-1 }',
      '    - uses: aws-actions/configure-aws-credentials@v4',
      '      with: { role-to-assume: "${{ format(\'{0}-ro\', inputs.role) }}", aws-region: eu-west-1 }',
      '    - uses: octo/unlocked@v3',
      '    - uses: ./creds-inner',
    ];
    // Two deep: the inner composite's role comes from its input's literal default.
    await mkdir(join(dir, 'creds-inner'));
    await writeFile(
      join(dir, 'creds-inner', 'action.yml'),
      'name: inner\ninputs:\n  name: { default: ci-reader }\nruns:\n  using: composite\n  steps:\n    - uses: aws-actions/configure-aws-credentials@v4\n      with: { role-to-assume: "${{ inputs.name }}", aws-region: eu-west-1 }\n',
    );
    await writeFile(join(dir, 'creds', 'action.yml'), `name: creds\ninputs:\n  role: {}\nruns:\n  using: composite\n  steps:\n${steps.join('\n')}\n`);
    await writeFile(join(dir, 'creds.yml'), 'on: workflow_dispatch\njobs:\n  hi:\n    steps:\n      - uses: ./creds\n        with: { role: "arn:aws:iam::123456789012:role/composite" }\n');
    const { workflow, warnings } = await loadWorkflowFile(join(dir, 'creds.yml'));
    expect(warnings.map((warning) => `${warning.location.line}:${warning.location.column} ${warning.code}: ${warning.message}`)).toEqual([
      "5:15 assumed-role-expression: jobs.hi.steps[0].uses: './creds': ./creds/action.yml: runs.steps[1].with.role-to-assume: the runner assumes this role with its own credentials and may assume only roles named literally (in a workflow step's with:, or in a composite action of the repository as its with: or its input's default) or listed in cdk.json's stepdeploy:runnerAssumableRoles: list every role this can give there",
      "5:15 action-not-locked: jobs.hi.steps[0].uses: './creds': ./creds/action.yml: runs.steps[2].uses: 'octo/unlocked@v3' is not in stepdeploy.lock.json yet, so its inputs are not checked; `stepdeploy actions update` (or the next `stepdeploy run` or `cdk synth`) fetches and locks it",
    ]);
    expect(assumedRolesOf([workflow!])).toEqual([{ arn: 'arn:aws:iam::123456789012:role/composite' }, { name: 'ci-reader' }]);
    expect(() => remoteActionsOf([workflow!])).toThrow(`${join(dir, 'creds.yml')}: jobs.hi.steps.step-1: './creds' uses 'octo/unlocked@v3', which is not in stepdeploy.lock.json: run \`stepdeploy actions update\` before synth`);
  });

  it('refuses a workflow whose remote action is not locked', async () => {
    await writeFile(join(dir, 'other.yml'), 'on: workflow_dispatch\njobs:\n  hi:\n    steps:\n      - uses: octo/other@v2\n');
    const { workflow } = await loadWorkflowFile(join(dir, 'other.yml'));
    expect(() => remoteActionsOf([workflow!])).toThrow(`${join(dir, 'other.yml')}: jobs.hi.steps.step-1: 'octo/other@v2' is not in stepdeploy.lock.json: run \`stepdeploy actions update\` before synth`);
  });

  it('lets the runner assume exactly the roles configure-aws-credentials steps name literally, and warns about an expression', async () => {
    const steps = [
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with: { role-to-assume: "arn:aws:iam::123456789012:role/deployer", aws-region: eu-west-1 }',
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with: { role-to-assume: ci-reader, aws-region: eu-west-1 }',
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with: { role-to-assume: "arn:aws:iam::123456789012:role/${{ inputs.env }}", aws-region: eu-west-1 }',
    ];
    await writeFile(join(dir, 'roles.yml'), `on:\n  workflow_dispatch:\n    inputs: { env: { type: string } }\njobs:\n  deploy:\n    steps:\n${steps.join('\n')}\n`);
    const { workflow, problems, warnings } = await loadWorkflowFile(join(dir, 'roles.yml'));
    expect(problems).toEqual([]);
    expect(warnings.map((warning) => `${warning.code} ${warning.location.line}:${warning.location.column}`)).toEqual(['assumed-role-expression 12:33']);
    const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
    const template = Template.fromStack(new StepDeployStack(app, 'RolesTest', { workflows: [workflow!] }));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Effect: 'Allow',
            Resource: ['arn:aws:iam::123456789012:role/deployer', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/ci-reader']] }],
          },
        ]),
      },
    });
  });
});
