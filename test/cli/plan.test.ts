import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCli } from './call-cli';

let dir: string;

const fixtures: Record<string, string> = {
  'deploy.yml': `name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment:
        type: choice
        options: [staging, prod]
        default: staging
      dry-run:
        type: boolean
        default: true
      ticket:
        type: string
max-parallel: 4
jobs:
  build:
    steps:
      - id: compile
        run: make
      - id: unit
        run: make test
      - id: lint
        parallel: true
        run: make lint
  deploy:
    needs: build
    strategy:
      max-parallel: 1
      matrix:
        region: [us-east-1, eu-west-1, ap-south-1]
    steps:
      - id: up
        run: ./deploy.sh
      - id: smoke
        run: ./smoke.sh
  docs:
    needs: build
    steps:
      - run: ./docs.sh
  verify:
    needs: [deploy, docs]
    steps:
      - run: ./verify.sh
`,
  'n-shape.yml': `on: push
jobs:
  api:
    steps: [{ run: make api }]
  db:
    steps: [{ run: make db }]
  app:
    needs: [api, db]
    steps: [{ run: make app }]
  migrate:
    needs: db
    steps: [{ run: make migrate }]
`,
  'quoted.yml': `name: 'Ship "it" \\ now'
on: push
jobs:
  end:
    steps: [{ run: echo done }]
`,
  'dynamic.yml': `on: push
jobs:
  setup:
    outputs: { matrix: '\${{ steps.list.outputs.matrix }}' }
    steps: [{ id: list, run: echo }]
  deploy:
    needs: setup
    strategy:
      max-parallel: 3
      matrix: \${{ fromJSON(needs.setup.outputs.matrix) }}
    steps: [{ run: echo }]
`,
  'runners.yml': `on: push
jobs:
  build:
    runs-on: [ubuntu-24.04-arm, stepdeploy-large]
    steps: [{ run: make }]
  test:
    strategy: { matrix: { runner: [ubuntu-latest, lambda] } }
    runs-on: \${{ matrix.runner }}
    steps: [{ run: make test }]
`,
  'cycle.yml': `on: push
jobs:
  a:
    needs: b
    steps: [{ run: echo a }]
  b:
    needs: a
    steps: [{ run: echo b }]
`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-plan-'));
  for (const [name, text] of Object.entries(fixtures)) await writeFile(join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => callCli(dir, ['plan', ...argv]);

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('stepdeploy plan', () => {
  it('shows inputs, jobs in start order, matrix cells, step groups, shape and critical path', async () => {
    expect(await run('deploy.yml')).toEqual({
      code: 0,
      stderr: '',
      stdout: lines(
        'Plan: Deploy (deploy.yml)',
        '',
        'Inputs:',
        '  environment = staging (default)',
        '  dry-run = true (default)',
        '',
        'Workflow max-parallel: 4 steps and cells at once',
        '',
        'Jobs, in start order:',
        '  1. build',
        '     needs: (none)',
        '     steps: compile -> (unit | lint)',
        '  2. deploy',
        '     needs: build',
        '     matrix: 3 cells, max-parallel 1, fail-fast: true',
        '       region=us-east-1',
        '       region=eu-west-1',
        '       region=ap-south-1',
        '     steps: up -> smoke',
        '  3. docs',
        '     needs: build',
        '     steps: step-1',
        '  4. verify',
        '     needs: deploy, docs',
        '     steps: step-1',
        '',
        'Shape: series-parallel: build -> (deploy | docs) -> verify',
        // build (2 groups) + deploy (one cell, 2 steps) + verify (1 step); the 3 cells one at a time take 6.
        'Critical path (indicative, 1 min per step): build -> deploy -> verify = 5 min',
        'Lower bound on duration (same assumption, with max-parallel limits): 6 min',
        'History: at most 819 events per execution (Step Functions stops at 25,000; budget 20000); runs as one execution',
      ),
    });
  });

  it('shows the CodeBuild environment each runs-on chooses', async () => {
    const { code, stdout } = await run('runners.yml');
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line.includes('runs-on:'));
    expect(lines).toEqual([
      '     runs-on: ubuntu-24.04-arm, stepdeploy-large → aws/codebuild/amazonlinux-aarch64-standard:3.0, BUILD_GENERAL1_LARGE, ARM_CONTAINER',
      '     runs-on: ${{ matrix.runner }}, one of: ubuntu-latest → aws/codebuild/standard:7.0, BUILD_GENERAL1_SMALL, LINUX_CONTAINER; lambda → aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs22, BUILD_LAMBDA_2GB, LINUX_LAMBDA_CONTAINER',
    ]);
  });

  it('shows a dynamic matrix by its expression and the most cells it may expand to, in text and JSON', async () => {
    const { code, stdout } = await run('dynamic.yml');
    expect(code).toBe(0);
    expect(stdout).toContain(
      lines(
        '     matrix: cells known when the job starts (at most 256), max-parallel 3, fail-fast: true',
        '       from ${{ fromJSON(needs.setup.outputs.matrix) }}',
      ),
    );
    // The history estimate counts 256 cells: inline they could pass the budget, so they run as child executions.
    const perCell = Number(/; cells of deploy \((\d+) events per cell\) run as child executions \(Distributed Map\)$/m.exec(stdout)?.[1]);
    expect(256 * perCell).toBeGreaterThan(20_000);
    const json = JSON.parse((await run('dynamic.yml', '--format', 'json')).stdout) as { jobs: { id: string; matrix: unknown }[] };
    expect(json.jobs.find((job) => job.id === 'deploy')?.matrix).toEqual({
      cells: null,
      expression: '${{ fromJSON(needs.setup.outputs.matrix) }}',
      maxCells: 256,
      maxParallel: 3,
      failFast: true,
    });
  });

  it('shows given inputs, converted to their type, next to the defaults', async () => {
    const { code, stdout } = await run('deploy.yml', '--input', 'environment=prod', '--input=ticket=OPS-1=a', '--input', 'dry-run=false');
    expect(code).toBe(0);
    expect(stdout).toContain(lines('Inputs:', '  environment = prod (given)', '  dry-run = false (given)', '  ticket = OPS-1=a (given)', ''));
  });

  it('refuses an unknown input, naming it, exit 2', async () => {
    expect(await run('deploy.yml', '--input', 'enviroment=prod')).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy plan: unknown input 'enviroment' — did you mean 'environment'?\n",
    });
  });

  it('refuses a value that is not one of the choices, and a boolean that is not true or false', async () => {
    expect(await run('deploy.yml', '--input', 'environment=qa', '--input', 'dry-run=yes')).toEqual({
      code: 2,
      stdout: '',
      stderr: lines(
        "stepdeploy plan: input 'environment': 'qa' is not one of staging, prod",
        "stepdeploy plan: input 'dry-run': 'yes' is not a boolean (true or false)",
      ),
    });
  });

  it('refuses --input without NAME=VALUE', async () => {
    expect(await run('deploy.yml', '--input', 'prod')).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy plan: --input 'prod': expected KEY=VALUE\nRun 'stepdeploy plan --help' for usage.\n",
    });
  });

  it('names the N when the job graph is not series-parallel', async () => {
    const { code, stdout } = await run('n-shape.yml');
    expect(code).toBe(0);
    expect(stdout).toContain(
      "\nShape: general (not series-parallel): jobs 'api', 'db', 'app' and 'migrate' form an N: " +
        "'app' comes after 'api' and 'db', 'migrate' after 'db' but not after 'api'\n",
    );
  });

  it('prints a Mermaid flowchart that GitHub renders', async () => {
    expect(await run('deploy.yml', '--format', 'mermaid')).toEqual({
      code: 0,
      stderr: '',
      stdout: lines(
        'flowchart LR',
        '  j1["build"]',
        '  j2["deploy<br/>matrix: 3 cells, max-parallel 1"]',
        '  j3["docs"]',
        '  j4["verify"]',
        '  j1 --> j2',
        '  j1 --> j3',
        '  j2 --> j4',
        '  j3 --> j4',
        '  classDef critical stroke-width:3px',
        '  class j1,j2,j4 critical',
      ),
    });
  });

  it('prints a Graphviz graph', async () => {
    expect(await run('deploy.yml', '--format=dot')).toEqual({
      code: 0,
      stderr: '',
      stdout: lines(
        'digraph "Deploy" {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  "build" [label="build", penwidth=3];',
        '  "deploy" [label="deploy\\nmatrix: 3 cells, max-parallel 1", penwidth=3];',
        '  "docs" [label="docs"];',
        '  "verify" [label="verify", penwidth=3];',
        '  "build" -> "deploy";',
        '  "build" -> "docs";',
        '  "deploy" -> "verify";',
        '  "docs" -> "verify";',
        '}',
      ),
    });
  });

  it('keeps odd names and ids safe in both graph formats', async () => {
    // Mermaid reserves the word 'end'; DOT strings need their quotes and backslashes escaped.
    expect((await run('quoted.yml', '--format', 'mermaid')).stdout).toBe(
      lines('flowchart LR', '  j1["end"]', '  classDef critical stroke-width:3px', '  class j1 critical'),
    );
    expect((await run('quoted.yml', '--format', 'dot')).stdout.split('\n')[0]).toBe('digraph "Ship \\"it\\" \\\\ now" {');
  });

  it('prints a stable JSON document', async () => {
    const { code, stdout } = await run('deploy.yml', '--format', 'json', '--input', 'ticket=OPS-1');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      workflow: { name: 'Deploy', id: 'deploy', file: 'deploy.yml', maxParallel: 4 },
      inputs: [
        { id: 'environment', value: 'staging', source: 'default' },
        { id: 'dry-run', value: true, source: 'default' },
        { id: 'ticket', value: 'OPS-1', source: 'given' },
      ],
      jobs: [
        { id: 'build', needs: [], dependents: ['deploy', 'docs'], matrix: null, stepGroups: [['compile'], ['unit', 'lint']] },
        {
          id: 'deploy',
          needs: ['build'],
          dependents: ['verify'],
          matrix: { cells: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-south-1' }], maxParallel: 1, failFast: true },
          stepGroups: [['up'], ['smoke']],
        },
        { id: 'docs', needs: ['build'], dependents: ['verify'], matrix: null, stepGroups: [['step-1']] },
        { id: 'verify', needs: ['deploy', 'docs'], dependents: [], matrix: null, stepGroups: [['step-1']] },
      ],
      shape: {
        kind: 'series-parallel',
        tree: {
          kind: 'series',
          children: [
            { kind: 'job', id: 'build' },
            { kind: 'parallel', children: [{ kind: 'job', id: 'deploy' }, { kind: 'job', id: 'docs' }] },
            { kind: 'job', id: 'verify' },
          ],
        },
      },
      estimates: { secondsPerStep: 60, criticalPath: { jobs: ['build', 'deploy', 'verify'], seconds: 300 }, makespanLowerBoundSeconds: 360, historyEvents: 819, childExecutions: {} },
    });
    // Stable: the same plan prints byte-identical JSON.
    expect((await run('deploy.yml', '--format', 'json', '--input', 'ticket=OPS-1')).stdout).toBe(stdout);
  });

  it('prints the problems of an invalid workflow as validate does, exit 1', async () => {
    // The validator rejects cycles before planning (the planner assumes a DAG).
    expect(await run('cycle.yml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'cycle.yml:4:12 error needs-cycle: jobs.a.needs: jobs need each other in a cycle: a → b → a\n',
    });
  });

  it('takes exactly one workflow file, exit 2', async () => {
    expect(await run()).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy plan: no workflow file given\nRun 'stepdeploy plan --help' for usage.\n",
    });
    expect((await run('deploy.yml', 'n-shape.yml')).stderr).toBe(
      "stepdeploy plan: plan takes one workflow file, got 2\nRun 'stepdeploy plan --help' for usage.\n",
    );
  });
});
