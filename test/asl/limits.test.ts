import { describe, expect, it } from 'vitest';
import { compileWorkflow, CompileError, compileDeployable } from '../../lib/asl/compile';
import { intrinsicDepth } from '../../lib/asl/intrinsic-depth';
import { checkLimits, MAX_DEFINITION_BYTES, measureDefinition } from '../../lib/asl/limits';
import { mapItemCounts } from '../../lib/asl/history-budget';
import { placeholderRefs } from '../../lib/asl/refs';
import { fitStateName } from '../../lib/asl/state-set';
import type { ParallelState, PassState, TaskState } from '../../lib/asl/types';
import { loadWorkflowText } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';
import { allStates } from './render-helpers';

function load(text: string, file = 'limits.yml') {
  const { workflow, problems } = loadWorkflowText(text, file);
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return workflow;
}

const compile = (text: string) => {
  const workflow = load(text);
  const plan = planWorkflow(workflow);
  return { workflow, plan, ...compileWorkflow(plan, placeholderRefs) };
};

const jobsText = (jobs: string[]): string => `on: workflow_dispatch\njobs:\n${jobs.join('')}`;
const independent = (count: number): string =>
  jobsText(Array.from({ length: count }, (_, index) => `  job${index}:\n    steps:\n      - run: echo ${index}\n`));
const chain = (count: number): string =>
  jobsText(Array.from({ length: count }, (_, index) => `  job${index}:\n${index > 0 ? `    needs: job${index - 1}\n` : ''}    steps:\n      - run: echo ${index}\n`));
const measure = (compiled: ReturnType<typeof compile>) =>
  measureDefinition(compiled.definition, placeholderRefs, new Set(compiled.workflow.jobs.map((job) => job.id)));

describe('state names', () => {
  it('11 and 100 independent jobs render (regression: "Parallel 1: … (+N): merge" was longer than 80 characters)', () => {
    for (const count of [11, 100]) {
      const compiled = compile(independent(count));
      expect(compiled.problems).toEqual([]);
      const names = allStates(compiled.definition).map(([name]) => name);
      expect(new Set(names).size).toBe(names.length);
      expect(Math.max(...names.map((name) => name.length))).toBeLessThanOrEqual(80);
      expect(names).toContain(`Parallel 1: job0, job1, job2, job3, job4, job5, job6, job7, job8 (+${count - 9})`);
    }
  });

  it('shortens a long name deterministically, keeping its start and telling apart names that share it', () => {
    const long = `${'a'.repeat(32)}.${'b'.repeat(32)}: free slot (failed)`;
    expect(fitStateName(long)).toHaveLength(80);
    expect(fitStateName(long)).toBe(fitStateName(long));
    expect(fitStateName(long).startsWith('a'.repeat(32))).toBe(true);
    expect(fitStateName(`${long}!`)).not.toBe(fitStateName(long));
    expect(fitStateName('deploy: start')).toBe('deploy: start');
  });

  it('ids of 32 characters in parallel steps under a max-parallel window stay within 80 characters', () => {
    const job = 'j'.repeat(32);
    const [first, second] = ['s'.repeat(32), 't'.repeat(32)];
    const compiled = compile(
      `on: workflow_dispatch\nmax-parallel: 1\njobs:\n  ${job}:\n    steps:\n      - id: ${first}\n        run: 'true'\n      - id: ${second}\n        parallel: true\n        run: 'true'\n`,
    );
    expect(compiled.problems).toEqual([]);
    expect(measure(compiled).longestName).toHaveLength(80);
    expect(allStates(compiled.definition).map(([name]) => name)).toContain(`${job}.${first}: run`);
  });

  it('a job may be called Failed, Succeeded or Jobs: plumbing states have names no id can take', () => {
    const compiled = compile(jobsText(['Failed', 'Succeeded', 'Jobs'].map((id) => `  ${id}:\n    steps:\n      - run: 'true'\n`)));
    expect(compiled.problems).toEqual([]);
    expect(measure(compiled).duplicateNames).toEqual([]);
  });
});

describe('intrinsic nesting', () => {
  it('counts nested calls, not parentheses in strings', () => {
    expect(intrinsicDepth('$.a')).toBe(0);
    expect(intrinsicDepth("States.Format('{} (x)', States.Array($.a))")).toBe(2);
    expect(intrinsicDepth("States.Format('it\\'s (', $.a)")).toBe(1);
  });

  it('13 parallel steps merge their records in a balanced tree, 4 deep (a left fold nested 12)', () => {
    const steps = Array.from({ length: 13 }, (_, index) => `      - ${index > 0 ? 'parallel: true\n        ' : ''}run: echo ${index}\n`).join('');
    const compiled = compile(`on: workflow_dispatch\njobs:\n  wide:\n    steps:\n${steps}`);
    expect(compiled.problems).toEqual([]);
    expect(measure(compiled).deepestIntrinsic.depth).toBe(4);
    const group = allStates(compiled.definition).find(([name]) => name === 'wide.step-1: parallel steps')![1] as ParallelState;
    expect(group.Branches).toHaveLength(13);
  });

  it('100 independent jobs merge their needs 7 deep', () => {
    expect(measure(compile(independent(100))).deepestIntrinsic.depth).toBe(7);
  });

  it('reports a state nesting more than 10 calls at its step (file:line:col)', () => {
    const compiled = compile(`on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: make\n      - id: ship\n        run: ./ship\n`);
    const run = allStates(compiled.definition).find(([name]) => name === 'build.ship: run')![1] as TaskState;
    run.ResultSelector = { ...run.ResultSelector, 'deep.$': `${'States.Array('.repeat(11)}$.a${')'.repeat(11)}` };
    const problems = checkLimits(compiled.plan, compiled.definition, compiled.history, mapItemCounts(compiled.plan), placeholderRefs);
    expect(problems).toEqual([
      {
        code: 'intrinsic-too-deep',
        location: { file: 'limits.yml', line: 6, column: 9 },
        path: 'jobs.build.steps.ship',
        message: "state 'build.ship: run' nests 11 intrinsic function calls in ResultSelector.deep.$; Step Functions allows 10",
      },
    ]);
  });
});

describe('payload', () => {
  it('"Start run" carries the execution input once: not $$.Execution, which holds it again', () => {
    const start = compile(chain(2)).definition.States['Start run'] as TaskState;
    const payload = start.Parameters!.Payload as Record<string, unknown>;
    expect(payload['input.$']).toBe('$');
    expect(payload.execution).toEqual({ 'Id.$': '$$.Execution.Id', 'Name.$': '$$.Execution.Name', 'StartTime.$': '$$.Execution.StartTime' });
    expect(JSON.stringify(compile(chain(2)).definition)).not.toContain('"$$.Execution"');
  });

  it('parallel step branches end with their records and status only, not the cell data', () => {
    const compiled = compile(`on: workflow_dispatch\njobs:\n  a:\n    steps:\n      - run: one\n      - parallel: true\n        run: two\n`);
    const done = allStates(compiled.definition).find(([name]) => name === 'a.step-2: done')![1] as PassState;
    expect(done.Parameters).toEqual({ 'steps.$': '$.steps', 'status.$': '$.job.status' });
  });

  it('reports a matrix whose cells alone take more than half the payload limit, at its job', () => {
    const values = Array.from({ length: 256 }, (_, index) => `"${'v'.repeat(600)}${index}"`).join(', ');
    const { problems } = compile(`on: workflow_dispatch\njobs:\n  fan:\n    strategy:\n      matrix:\n        target: [${values}]\n    steps:\n      - run: 'true'\n`);
    expect(problems.map((problem) => [problem.code, problem.path, problem.location.line])).toEqual([['payload-too-large', 'jobs.fan', 3]]);
    expect(problems[0]!.message).toMatch(/^state 'fan: matrix' adds 1[0-9]{2},[0-9]{3} bytes of fixed data to the execution's data, more than half of Step Functions' payload limit of 262,144 \(256 KiB\)/);
  });
});

describe('strategy.max-cells (matrices past GitHub\'s 256)', () => {
  const fleet = (cells: number) =>
    `on: workflow_dispatch\njobs:\n  fleet:\n    strategy:\n      max-cells: ${cells}\n      max-parallel: 40\n      matrix:\n        site: [${Array.from({ length: cells }, (_, index) => `c${index}`).join(', ')}]\n    steps:\n      - run: echo deploy\n`;

  it('1,000 cells deploy: the cells run as child executions (a Distributed Map) within the history budget', () => {
    const compiled = compile(fleet(1000));
    expect(compiled.problems).toEqual([]);
    expect(compiled.distributed).toEqual(['fleet']);
    const map = allStates(compiled.definition).find(([name]) => name === 'fleet')![1];
    expect(map).toMatchObject({ Type: 'Map', MaxConcurrency: 40, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } } });
  });

  it('reports cells whose results would not fit the execution\'s data, at the matrix', () => {
    const { problems } = compile(fleet(2500));
    expect(problems.map((problem) => [problem.code, problem.path, problem.location.line])).toEqual([['matrix-payload-too-large', 'jobs.fleet.strategy.matrix', 3]]);
    expect(problems[0]!.message).toBe(
      "jobs.fleet.strategy.matrix: its 2,500 cells and their results take at least 178,891 bytes of the execution's data while the job runs, more than half of Step Functions' payload limit of 262,144 (256 KiB): use fewer cells or shorter values (matrices read from and written to S3 are not supported yet)",
    );
  });
});

describe('definition size', () => {
  it('no longer repeats ancestors: bytes per job stay flat along a chain', () => {
    const per = (count: number) => measure(compile(chain(count))).bytes / count;
    expect(Math.abs(per(200) - per(20)) / per(20)).toBeLessThan(0.02);
  });

  it('rejects a definition over 1 MB at its largest job, naming the limit; cdk synth throws the same problem', () => {
    // A heavy job (a 20 KB script) first, then a chain long enough to pass 1 MB.
    const heavy = `  heavy:\n    steps:\n      - run: echo ${'x'.repeat(20_000)}\n`;
    const compiled = compile(chain(212).replace('jobs:\n', `jobs:\n${heavy}`));
    const { bytes, bytesByJob } = measure(compiled);
    expect(bytes).toBeGreaterThan(MAX_DEFINITION_BYTES);
    expect(compiled.problems).toEqual([
      {
        code: 'definition-too-large',
        location: { file: 'limits.yml', line: 3, column: 3 },
        path: 'jobs.heavy',
        message: `the state machine would be ${bytes.toLocaleString('en-US')} bytes, over Step Functions' limit of 1,048,576 (1 MB); the largest job, 'heavy', takes ${bytesByJob.get('heavy')!.toLocaleString('en-US')}: split the workflow into smaller workflow files, or use fewer jobs and steps`,
      },
    ]);
    expect(() => compileDeployable(compiled.plan, placeholderRefs)).toThrowError(new CompileError(compiled.problems));
    expect(new CompileError(compiled.problems).message).toMatch(/^limits\.yml:3:3 error definition-too-large: the state machine would be /);
  });
});

describe('history', () => {
  it('reports a job whose retries could pass 25,000 events at that job', () => {
    const steps = Array.from({ length: 70 }, (_, index) => `      - run: echo ${index}\n        retry:\n          max-attempts: 100\n`).join('');
    const { problems } = compile(`on: workflow_dispatch\njobs:\n  small:\n    steps:\n      - run: 'true'\n  retrying:\n    steps:\n${steps}`);
    expect(problems.map((problem) => [problem.code, problem.path, `${problem.location.line}:${problem.location.column}`])).toEqual([['history-too-large', 'jobs.retrying', '6:3']]);
    // Each step's task counts its dispatch's Lambda retries (3) and its own (100): 3 × 103 events more.
    expect(problems[0]!.message).toBe(
      "one execution could record up to 22,047 history events (Step Functions stops at 25,000; stepdeploy keeps under 20,000) even with every matrix in child executions; job 'retrying' alone records up to 21,916: split the workflow, or use fewer jobs, steps and retries",
    );
  });
});
