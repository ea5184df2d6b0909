import { defaultRunnerLabels } from '../../lib/model/runner-labels';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflowFile, loadWorkflowText } from '../../lib/model/load';
import type { Workflow } from '../../lib/model/workflow';
import { workflowFiles } from '../../lib/constructs/load-workflows';

function load(text: string, file = 'workflows/deploy.yml'): Workflow {
  const result = loadWorkflowText(text, file);
  expect(result.problems).toEqual([]);
  if (!result.workflow) throw new Error('no workflow');
  return result.workflow;
}

const oneJob = 'jobs:\n  build:\n    steps:\n      - run: echo hi\n';

describe('GitHub readings of scalars', () => {
  it("reads needs: ${{ 'build' }} as needs: build (GitHub folds a lone string literal)", () => {
    const workflow = load(`on: workflow_dispatch\n${oneJob}  deploy:\n    needs: \${{ 'build' }}\n    steps:\n      - run: echo hi\n`);
    expect(workflow.jobs[1]?.needs).toEqual(['build']);
  });

  it('warns, without blocking, when text around ${{ }} makes an if always true', () => {
    const text = `on: workflow_dispatch\njobs:\n  build:\n    if: |\n      \${{ false }}\n    steps:\n      - run: echo hi\n        if: "\${{ false }} "\n`;
    const result = loadWorkflowText(text, 'w.yml');
    expect(result.problems).toEqual([]);
    expect(result.workflow).toBeDefined();
    const message = (path: string): string =>
      `${path}: text around \${{ }} (even a space or a block scalar's newline) makes this condition a string, which is always true (as on GitHub); put the whole condition inside one \${{ }} with nothing around it`;
    expect(result.warnings.map((warning) => [warning.code, warning.location.line, warning.location.column, warning.message, warning.severity])).toEqual([
      ['if-always-true', 5, 7, message('jobs.build.if'), 'warning'],
      ["if-always-true", 8, 14, message('jobs.build.steps[0].if'), 'warning'],
    ]);
  });
});

describe('normalization', () => {
  it('applies every default', () => {
    const workflow = load(`on: workflow_dispatch\n${oneJob}`);
    expect(workflow).toEqual({
      name: 'deploy',
      id: 'deploy',
      file: 'workflows/deploy.yml',
      on: { workflowDispatch: { inputs: [] }, schedule: [] },
      env: {},
      defaults: {},
      runnerLabels: defaultRunnerLabels,
      vars: [],
      environments: {},
      githubToken: false,
      jobs: [
        {
          id: 'build',
          runsOn: { labels: [] },
          defaults: {},
          needs: [],
          continueOnError: false,
          timeoutMinutes: 360,
          env: {},
          outputs: {},
          secrets: [],
          vars: [],
          location: { file: 'workflows/deploy.yml', line: 3, column: 3 },
          steps: [
            {
              kind: 'run',
              id: 'step-1',
              hasExplicitId: false,
              parallel: false,
              continueOnError: false,
              env: {},
              run: 'echo hi',
              location: { file: 'workflows/deploy.yml', line: 5, column: 9 },
            },
          ],
        },
      ],
    });
  });

  it('reads on as a name, a list or a mapping', () => {
    expect(load(`on: push\n${oneJob}`).on).toEqual({ push: {}, schedule: [] });
    expect(load(`on: [push, workflow_dispatch]\n${oneJob}`).on).toEqual({ push: {}, workflowDispatch: { inputs: [] }, schedule: [] });
    const on = load(`on:\n  push:\n    branches: main\n    tags: ['v*']\n  schedule:\n    - cron: '0 4 * * *'\n${oneJob}`).on;
    expect(on).toEqual({ push: { branches: ['main'], tags: ['v*'] }, schedule: [{ cron: '0 4 * * *' }] });
  });

  it('reads workflow_dispatch inputs with their types and defaults', () => {
    const workflow = load(
      [
        'on:',
        '  workflow_dispatch:',
        '    inputs:',
        '      version: {required: true, description: Version}',
        '      dry-run: {type: boolean, default: false}',
        '      count: {type: number, default: 3}',
        '      env: {type: choice, options: [staging, production], default: staging}',
        oneJob,
      ].join('\n'),
    );
    expect(workflow.on.workflowDispatch?.inputs).toEqual([
      { id: 'version', type: 'string', required: true, description: 'Version' },
      { id: 'dry-run', type: 'boolean', required: false, default: false },
      { id: 'count', type: 'number', required: false, default: 3 },
      { id: 'env', type: 'choice', required: false, default: 'staging', options: ['staging', 'production'] },
    ]);
  });

  it('turns needs: a into a list and keeps jobs in file order', () => {
    const workflow = load(
      'on: push\njobs:\n  b:\n    needs: a\n    steps: [{run: echo b}]\n  a:\n    steps: [{run: echo a}]\n  c:\n    needs: [a, b]\n    steps: [{run: echo c}]\n',
    );
    expect(workflow.jobs.map((job) => [job.id, job.needs])).toEqual([
      ['b', ['a']],
      ['a', []],
      ['c', ['a', 'b']],
    ]);
  });

  it('reads the short and the long concurrency forms with their defaults', () => {
    expect(load(`on: push\nconcurrency: deploy-\${{ event.ref }}\n${oneJob}`).concurrency).toEqual({
      group: 'deploy-${{ event.ref }}',
      cancelInProgress: false,
      queue: 'single',
      capacity: 1,
    });
    const text = `on: push\nconcurrency:\n  group: db\n  queue: max\n  capacity: 3\n${oneJob}`;
    expect(load(text).concurrency).toEqual({ group: 'db', cancelInProgress: false, queue: 'max', capacity: 3 });
    const cancel = `on: push\nconcurrency:\n  group: db\n  cancel-in-progress: \${{ event.ref == 'main' }}\n${oneJob}`;
    expect(load(cancel).concurrency?.cancelInProgress).toBe("${{ event.ref == 'main' }}");
  });

  it('reads strategy with fail-fast true by default', () => {
    const text = 'on: push\nmax-parallel: 4\njobs:\n  t:\n    strategy:\n      max-parallel: 2\n      matrix:\n        os: [linux, windows]\n        include: [{os: linux, arch: arm}]\n    steps: [{run: echo}]\n';
    const workflow = load(text);
    expect(workflow.maxParallel).toBe(4);
    expect(workflow.jobs[0]?.strategy).toEqual({
      failFast: true,
      maxParallel: 2,
      matrix: { dimensions: { os: ['linux', 'windows'] }, include: [{ os: 'linux', arch: 'arm' }], exclude: [] },
    });
  });

  it('keeps a matrix holding expressions as written, for the job start to expand, with the keys the file names', () => {
    const head = 'on: push\njobs:\n  setup:\n    outputs: {m: x}\n    steps: [{run: echo}]\n  t:\n    needs: setup\n    strategy:\n      matrix:';
    const matrixOf = (body: string) => load(`${head}${body}\n    steps: [{run: echo}]\n`).jobs[1]?.strategy?.matrix;
    expect(matrixOf(' ${{ fromJSON(needs.setup.outputs.m) }}')).toEqual({ kind: 'dynamic', template: '${{ fromJSON(needs.setup.outputs.m) }}' });
    expect(matrixOf('\n        os: ${{ fromJSON(needs.setup.outputs.m) }}\n        arch: [x64, "${{ github.ref }}"]\n        include: [{os: linux, tier: 2}]')).toEqual({
      kind: 'dynamic',
      template: { os: '${{ fromJSON(needs.setup.outputs.m) }}', arch: ['x64', '${{ github.ref }}'], include: [{ os: 'linux', tier: 2 }] },
      keys: ['os', 'arch', 'tier'],
    });
    // An include from an expression may add any key.
    expect(matrixOf('\n        os: [linux]\n        include: ["${{ fromJSON(needs.setup.outputs.m) }}"]')).toEqual({
      kind: 'dynamic',
      template: { os: ['linux'], include: ['${{ fromJSON(needs.setup.outputs.m) }}'] },
    });
  });

  it('reads steps: explicit ids, parallel, retry with ASL defaults, timeouts, env as text', () => {
    const text = [
      'on: push',
      'jobs:',
      '  build:',
      '    timeout-minutes: 30',
      '    continue-on-error: true',
      '    steps:',
      '      - id: compile',
      '        run: make',
      '        shell: bash',
      '        working-directory: src',
      '        timeout-minutes: 5',
      '        env: {RETRIES: 3, DEBUG: true, EMPTY: }',
      '        retry: {max-attempts: 5}',
      '      - run: make test',
      '        parallel: true',
      '        if: always()',
      '        continue-on-error: ${{ event.lenient }}',
    ].join('\n');
    const job = load(text).jobs[0];
    expect(job?.timeoutMinutes).toBe(30);
    expect(job?.continueOnError).toBe(true);
    expect(job?.steps[0]).toMatchObject({
      id: 'compile',
      hasExplicitId: true,
      workingDirectory: 'src',
      timeoutMinutes: 5,
      env: { RETRIES: '3', DEBUG: 'true', EMPTY: '' },
      retry: { maxAttempts: 5, intervalSeconds: 1, backoffRate: 2 },
    });
    expect(job?.steps[1]).toMatchObject({ id: 'step-2', hasExplicitId: false, parallel: true, if: 'always()', continueOnError: '${{ event.lenient }}' });
  });

  it('reads uses: aws/lambda with function and a payload that defaults to {}', () => {
    const text = [
      'on: push',
      'jobs:',
      '  notify:',
      '    steps:',
      '      - uses: aws/lambda',
      '        with:',
      '          function: notifier',
      '          payload: {text: "deployed ${{ event.ref }}", tags: [a, 1, null]}',
      '      - uses: aws/lambda',
      '        with: {function: "arn:aws:lambda:us-east-1:123456789012:function:audit"}',
    ].join('\n');
    const steps = load(text).jobs[0]?.steps;
    expect(steps?.[0]).toMatchObject({ kind: 'lambda', function: 'notifier', payload: { text: 'deployed ${{ event.ref }}', tags: ['a', 1, null] } });
    expect(steps?.[1]).toMatchObject({ kind: 'lambda', function: 'arn:aws:lambda:us-east-1:123456789012:function:audit', payload: {} });
  });

  it('takes the name from name: and the id from the file name, sanitized', () => {
    const workflow = load(`name: Deploy it\non: push\n${oneJob}`, 'some/dir/my deploy_v2.yaml');
    expect(workflow.name).toBe('Deploy it');
    expect(workflow.id).toBe('my-deploy-v2');
    expect(load(`on: push\n${oneJob}`, '__.yml').id).toBe('workflow');
  });

  it('gives no workflow when there is any problem', () => {
    const result = loadWorkflowText(`on: push\nfoo: 1\n${oneJob}`, 'w.yml');
    expect(result.workflow).toBeUndefined();
    expect(result.problems.map((problem) => problem.code)).toEqual(['unknown-key']);
  });

  it('resolves YAML anchors and aliases', () => {
    const text = 'on: push\njobs:\n  a:\n    env: &common {REGION: eu-west-1}\n    steps: [{run: echo a}]\n  b:\n    env: *common\n    steps: [{run: echo b}]\n';
    expect(load(text).jobs.map((job) => job.env)).toEqual([{ REGION: 'eu-west-1' }, { REGION: 'eu-west-1' }]);
  });
});

describe('loadWorkflowFile', () => {
  it('loads a file from disk', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stepdeploy-load-'));
    const path = join(directory, 'release.yml');
    writeFileSync(path, `on: push\n${oneJob}`);
    const result = await loadWorkflowFile(path);
    expect(result.problems).toEqual([]);
    expect(result.workflow?.id).toBe('release');
  });

  it('reports a missing file as a problem, not a throw', async () => {
    const path = join(tmpdir(), 'stepdeploy-no-such-dir', 'missing.yml');
    expect(await loadWorkflowFile(path)).toEqual({
      problems: [
        {
          code: 'file-unreadable',
          location: { file: path, line: 1, column: 1 },
          path: '',
          message: `cannot read workflow file '${path}': no such file`,
        },
      ],
      warnings: [],
    });
  });

  it('reports a directory as unreadable', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stepdeploy-dir-'));
    const result = await loadWorkflowFile(directory);
    expect(result.problems.map((problem) => problem.message)).toEqual([`cannot read workflow file '${directory}': it is a directory`]);
  });
});

describe('secrets, vars and environments', () => {
  it('collects the secret and variable names each job reads, upper-cased', () => {
    const workflow = load(
      [
        'on: workflow_dispatch',
        'env:',
        '  REGION: ${{ vars.region }}',
        'jobs:',
        '  deploy:',
        '    environment: { name: "${{ vars.STAGE }}" }',
        '    steps:',
        '      - env:',
        '          PASSWORD: ${{ secrets.db_password }}',
        '        run: echo ${{ secrets.API_TOKEN }} ${{ vars.REGION }} ${{ vars.HOST }}',
        '  other:',
        '    steps:',
        '      - run: echo hi',
        '',
      ].join('\n'),
    );
    expect(workflow.vars).toEqual(['REGION']);
    expect(workflow.jobs.map((job) => [job.id, job.secrets, job.vars])).toEqual([
      ['deploy', ['API_TOKEN', 'DB_PASSWORD'], ['HOST', 'REGION', 'STAGE']],
      ['other', [], []],
    ]);
    expect(workflow.jobs[0]?.environment).toEqual({ name: '${{ vars.STAGE }}' });
  });

  it('reads environments.yml next to the workflow file, and not as a workflow', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stepdeploy-rules-'));
    writeFileSync(join(directory, 'environments.yml'), 'environments:\n  production:\n    branches: [main]\n    tags: v*\n  staging:\n');
    writeFileSync(join(directory, 'deploy.yml'), 'on: workflow_dispatch\njobs:\n  ship:\n    environment: production\n    steps:\n      - run: echo hi\n');
    const result = await loadWorkflowFile(join(directory, 'deploy.yml'));
    expect(result.problems).toEqual([]);
    expect(result.workflow?.environments).toEqual({
      production: { requiredReviewers: [], waitTimerMinutes: 0, branches: ['main'], tags: ['v*'] },
      staging: { requiredReviewers: [], waitTimerMinutes: 0 },
    });
    expect(await workflowFiles(directory)).toEqual([join(directory, 'deploy.yml')]);
  });

  it('locates a mistake of environments.yml in that file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'stepdeploy-rules-'));
    writeFileSync(join(directory, 'environments.yml'), 'environments:\n  production:\n    wait-timer: -1\n');
    writeFileSync(join(directory, 'deploy.yml'), `on: push\n${oneJob}`);
    const result = await loadWorkflowFile(join(directory, 'deploy.yml'));
    expect(result.workflow).toBeUndefined();
    expect(result.problems.map((problem) => `${problem.location.file}:${problem.location.line}:${problem.location.column} ${problem.message}`)).toContain(
      `${join(directory, 'environments.yml')}:3:17 environments.production.wait-timer: -1 is out of range: a wait timer is a whole number of minutes from 0 to 43,200 (30 days), as on GitHub`,
    );
  });
});

describe('activity triggers', () => {
  it('reads pull_request, pull_request_target, release and repository_dispatch with GitHub defaults', () => {
    const workflow = load(
      `on:\n  pull_request:\n  pull_request_target:\n    types: [closed]\n    branches: [main, 'release/**']\n  release:\n    types: published\n  repository_dispatch:\n${oneJob}`,
    );
    expect(workflow.on.activities).toEqual([
      { event: 'pull_request', types: ['opened', 'synchronize', 'reopened'] },
      { event: 'pull_request_target', types: ['closed'], branches: ['main', 'release/**'] },
      { event: 'release', types: ['published'] },
      { event: 'repository_dispatch' },
    ]);
  });
});

describe('runner-side keys', () => {
  const job = (body: string): string => `on: workflow_dispatch\njobs:\n  build:\n${body}    steps:\n      - run: echo hi\n`;

  it('normalizes runs-on: a label, a list, { labels }, or one expression', () => {
    expect(load(job('    runs-on: ubuntu-latest\n')).jobs[0]?.runsOn).toEqual({ labels: ['ubuntu-latest'] });
    expect(load(job('    runs-on: [ubuntu-latest, stepdeploy-large, ubuntu-latest]\n')).jobs[0]?.runsOn).toEqual({ labels: ['ubuntu-latest', 'stepdeploy-large'] });
    expect(load(job('    runs-on: { labels: [lambda] }\n')).jobs[0]?.runsOn).toEqual({ labels: ['lambda'] });
    const matrix = load(job('    strategy: { matrix: { os: [ubuntu-latest, ubuntu-24.04-arm], include: [{ os: [lambda] }] } }\n    runs-on: ${{ matrix.os }}\n'));
    expect(matrix.jobs[0]?.runsOn).toEqual({ labels: [], expression: '${{ matrix.os }}' });
    const input = 'on:\n  workflow_dispatch:\n    inputs:\n      size: { type: choice, options: [stepdeploy-small, stepdeploy-large] }\njobs:\n  build:\n    runs-on: ${{ inputs.size }}\n    steps:\n      - run: echo hi\n';
    expect(load(input).jobs[0]?.runsOn).toEqual({ labels: [], expression: '${{ inputs.size }}' });
  });

  it('merges defaults.run.working-directory into run steps: the step’s own, else the job’s, else the workflow’s', () => {
    const workflow = load(
      [
        'on: workflow_dispatch',
        'defaults: { run: { shell: bash, working-directory: app } }',
        'jobs:',
        '  a:',
        '    defaults: { run: { working-directory: "svc/${{ matrix.name }}" } }',
        '    strategy: { matrix: { name: [x] } }',
        '    steps:',
        '      - run: echo 1',
        '      - run: echo 2',
        '        working-directory: own',
        '  b:',
        '    steps:',
        '      - run: echo 3',
        '      - uses: aws/lambda',
        '        with: { function: f }',
        '',
      ].join('\n'),
    );
    expect(workflow.defaults).toEqual({ workingDirectory: 'app' });
    expect(workflow.jobs[0]?.defaults).toEqual({ workingDirectory: 'svc/${{ matrix.name }}' });
    const directories = workflow.jobs.flatMap((item) => item.steps.map((step) => (step.kind === 'run' ? step.workingDirectory : step.kind)));
    expect(directories).toEqual(['svc/${{ matrix.name }}', 'own', 'app', 'lambda']);
  });

  it('keeps run-name and permissions as written', () => {
    const workflow = load(
      'on: workflow_dispatch\nrun-name: Deploy ${{ inputs.version }} by ${{ github.actor }}\npermissions: { contents: read, id-token: write }\njobs:\n  build:\n    permissions: read-all\n    steps:\n      - run: echo hi\n'.replace(
        'on: workflow_dispatch',
        'on:\n  workflow_dispatch:\n    inputs:\n      version: { type: string }',
      ),
    );
    expect(workflow.runName).toBe('Deploy ${{ inputs.version }} by ${{ github.actor }}');
    const warned = loadWorkflowText('on: workflow_dispatch\npermissions: { id-token: write }\njobs:\n  build:\n    steps:\n      - run: echo hi\n', 'w.yml');
    expect(warned.workflow).toBeDefined();
    expect(warned.warnings.map((problem) => [problem.code, problem.location.line, problem.location.column, problem.message])).toEqual([
      [
        'permission-without-effect',
        2,
        26,
        "permissions.id-token: write has no effect here: no OIDC token is issued; a step gets AWS credentials from its runner's IAM role (cdk.json stepdeploy:runnerManagedPolicies / stepdeploy:runnerAssumableRoles)",
      ],
    ]);
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.jobs[0]?.permissions).toBe('read-all');
  });

  it('reads github and runner fields where GitHub allows them; runner-only fields only where the runner evaluates them', () => {
    const text = [
      'on: workflow_dispatch',
      'run-name: ${{ github.ref_name }}',
      'env: { SHA: "${{ github.sha }}", OS: "${{ runner.os }}" }',
      'jobs:',
      '  build:',
      '    steps:',
      '      - run: echo ${{ runner.temp }} ${{ github.workspace }} ${{ github.event_name }} ${{ runner.nme }} ${{ github.event_path }}',
      "        if: runner.os == 'Linux'",
      '',
    ].join('\n');
    expect(loadWorkflowText(text, 'w.yml').problems.map((problem) => `${problem.location.line}:${problem.location.column} ${problem.message}`)).toEqual([
      "3:43 env.OS: context 'runner' is not available in workflow run-name, env, concurrency and defaults (available there: inputs, event, execution, github, vars)",
      "7:91 jobs.build.steps[0].run: runner.nme: no such field of the runner context — did you mean 'name'?",
      '7:109 jobs.build.steps[0].run: github.event_path is not available: the runner is not given the trigger payload as a file; read github.event in an expression',
    ]);
  });

  it('accepts actions/checkout with the options that mean what the runner does', () => {
    const text = 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n        with: { fetch-depth: 1, clean: false, persist-credentials: false, path: ./src/, ref: "${{ github.sha }}" }\n';
    const { workflow, problems } = loadWorkflowText(text, 'w.yml');
    expect(problems).toEqual([]);
    expect(workflow?.jobs[0]?.steps[0]).toMatchObject({ kind: 'checkout', action: 'actions/checkout@v4', path: 'src' });
  });
});
