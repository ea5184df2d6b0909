// `uses: ./path` at validate: the action's metadata read from the repository, inputs checked the way
// GitHub's runner treats them (warnings), refused kinds located at the step.
import { describe, expect, it } from 'vitest';
import { parseActionMetadata, inputVariable } from '../../lib/model/actions/metadata';
import { parseActionReference } from '../../lib/model/actions/reference';
import { loadWorkflowText } from '../../lib/model/load';
import { formatProblem } from '../../lib/model/problem';

const file = 'test/fixtures/workflows/actions.yml';
const load = (steps: string) => loadWorkflowText(`on: workflow_dispatch\njobs:\n  deploy:\n    steps:\n${steps}`, file);

describe('action steps at validate', () => {
  it('reads the action from the repository and warns, as GitHub does, about unexpected and missing required inputs at the with: key', () => {
    const { workflow, problems, warnings } = load(
      ['      - id: hello', '        uses: ./test/fixtures/actions/greet', '        with:', '          Greeting: Hi', '          colour: blue', ''].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([
      `${file}:6:15 warning local-action-pre: jobs.deploy.steps[0].uses: 'pre' execution is not supported for local action from './test/fixtures/actions/greet' (as on GitHub: runs.pre of a local action never runs)`,
      `${file}:7:9 warning unexpected-action-input: jobs.deploy.steps[0].with: Unexpected input(s) 'colour', valid inputs are ['who', 'greeting', 'speed limit', 'repository', 'fail'] (as GitHub warns: the action gets them as INPUT_ variables all the same)`,
      `${file}:7:9 warning missing-action-input: jobs.deploy.steps[0].with: input 'who' of './test/fixtures/actions/greet' is required and has no default; set it under with: (GitHub does not enforce required inputs: the action reads an empty value)`,
    ]);
    expect(workflow?.jobs[0]?.steps[0]).toMatchObject({ kind: 'action', uses: './test/fixtures/actions/greet', path: 'test/fixtures/actions/greet', with: { Greeting: 'Hi', colour: 'blue' }, hasPost: true });
  });

  it('locates a missing required input at uses: when there is no with:, and passes numbers and booleans as strings', () => {
    const { warnings } = load('      - uses: ./test/fixtures/actions/greet\n');
    expect(warnings.map((warning) => `${warning.code} ${warning.location.line}:${warning.location.column}`)).toEqual(['local-action-pre 5:15', 'missing-action-input 5:15']);
    const typed = load('      - uses: ./test/fixtures/actions/greet\n        with: { who: 5, fail: false, greeting: }\n');
    expect(typed.workflow?.jobs[0]?.steps[0]).toMatchObject({ with: { who: '5', fail: 'false', greeting: '' } });
  });

  it('warns about an old Node.js version and lets a secret reach an input only as exactly ${{ secrets.NAME }}', () => {
    const old = load('      - uses: ./test/fixtures/actions/old-node\n');
    expect(old.problems).toEqual([]);
    expect(old.warnings.map((warning) => warning.message)).toEqual([
      "jobs.deploy.steps[0].uses: './test/fixtures/actions/old-node': ./test/fixtures/actions/old-node/action.yml:4:10: runs.using: 'node16' is no longer available; the action runs on the runner's Node.js (as GitHub runs it on node20 or later)",
    ]);
    expect(old.workflow?.jobs[0]?.steps[0]).toMatchObject({ hasPost: false });
    const secret = load('      - uses: ./test/fixtures/actions/greet\n        with: { who: "${{ secrets.NAME }}", greeting: "x${{ secrets.OTHER }}" }\n');
    expect(secret.problems.map((problem) => problem.code)).toEqual(['secret-expression']);
    expect(secret.problems[0]?.path).toBe('jobs.deploy.steps[0].with.greeting');
  });
});

describe('composite actions at validate', () => {
  it('accepts a composite wrapping a JavaScript action (whose post it inherits) and names every mistake of a bad one', () => {
    const wrap = load('      - uses: ./test/fixtures/actions/wrap\n        with: { who: Kay }\n');
    expect(wrap.problems).toEqual([]);
    expect(wrap.workflow?.jobs[0]?.steps[0]).toMatchObject({ kind: 'action', hasPost: true });
    const bad = load('      - uses: ./test/fixtures/actions/bad-composite\n');
    const prefix = "jobs.deploy.steps[0].uses: './test/fixtures/actions/bad-composite' cannot be used: ./test/fixtures/actions/bad-composite/action.yml:";
    expect(bad.problems.map((problem) => problem.message.replace(prefix, ''))).toEqual([
      "4:3: outputs.nothing.value: a composite action's output needs a value (an expression over its steps' outputs)",
      "9:7: runs.steps[0].shell: a composite action's run step needs shell: bash (GitHub requires shell here)",
      "10:12: runs.steps[1].run: the context 'matrix' is not available in a composite action here (the runner evaluates it: inputs, steps, env, github, job)",
      "11:14: runs.steps[1].shell: only shell: bash runs here, got 'pwsh'",
      "12:13: runs.steps[2].uses: 'actions/checkout@v4' is not supported: stepdeploy's checkout is a step of its own, not an action it runs; check out in the workflow before the step that uses this composite action",
      '14:12: runs.steps[3].run: ${{ inputs.count }} is used in bash arithmetic ($(( ))), where bash evaluates the value as code; set it through env: and check it is a number first',
      "16:13: runs.steps[5].uses: 'docker://alpine' is not supported: a Docker image action: the runner has no Docker daemon to start the container",
      "17:13: runs.steps[6].uses: 'aws/lambda' is not supported: aws/lambda is a step of stepdeploy's own (a Lambda invocation by the state machine), not an action the runner runs; call it from the workflow",
    ]);
  });
});

describe('action metadata', () => {
  it('reads inputs, outputs and how a JavaScript action runs', () => {
    const text = 'name: a\ninputs:\n  x: { required: true, default: 3 }\n  y:\noutputs: { out: { description: o } }\nruns:\n  using: node24\n  main: dist/index.js\n  post: dist/post.js\n  post-if: success()\n';
    expect(parseActionMetadata(text, 'a/action.yml')).toEqual({
      metadata: {
        file: 'a/action.yml',
        name: 'a',
        inputs: [{ id: 'x', required: true, default: '3' }, { id: 'y', required: false }],
        outputs: ['out'],
        runs: { using: 'node', version: 'node24', main: 'dist/index.js', post: 'dist/post.js', postIf: 'success()' },
      },
      problems: [],
      warnings: [],
    });
  });

  it('names the rule for an unknown runs.using', () => {
    const { problems } = parseActionMetadata('name: a\nruns:\n  using: node8\n  main: x.js\n', 'a/action.yml');
    expect(problems.map(formatProblem)).toEqual(["a/action.yml:3:10 error invalid-action: runs.using: 'node8' is not a Node.js version GitHub runs actions on (node12, node16, node20, node24)"]);
    expect(parseActionMetadata('name: a\nruns:\n  using: java\n', 'a/action.yml').problems.map((problem) => problem.message)).toEqual([
      "runs.using: expected node20, node24, composite or docker, got 'java'",
    ]);
  });

  it("mangles input names as GitHub's runner does", () => {
    expect(inputVariable('speed limit')).toBe('INPUT_SPEED_LIMIT');
    expect(inputVariable('aws-region')).toBe('INPUT_AWS-REGION');
  });

  it('tells references apart', () => {
    expect(parseActionReference('./a/./b/')).toEqual({ kind: 'local', path: 'a/b' });
    expect(parseActionReference('aws-actions/configure-aws-credentials@v4')).toEqual({ kind: 'remote', owner: 'aws-actions', repo: 'configure-aws-credentials', path: '', ref: 'v4' });
    expect(parseActionReference('github/codeql-action/init@v3')).toEqual({ kind: 'remote', owner: 'github', repo: 'codeql-action', path: 'init', ref: 'v3' });
    expect(parseActionReference('docker://alpine')).toEqual({ kind: 'docker', image: 'alpine' });
    expect(parseActionReference('./a/../../b')).toEqual({ problem: 'a local action is a folder under the repository root: no ..' });
    expect(parseActionReference('actions/checkout')).toMatchObject({ problem: expect.stringContaining("'owner/repo[/path]@ref'") });
  });
});
