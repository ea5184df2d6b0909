import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDeployable, CompileError, compileProblems, compileWorkflow } from '../../lib/asl/compile';
import { definitionLowerBound, FAR_OVER_BYTES } from '../../lib/asl/definition-bound';
import { measureDefinition, MAX_DEFINITION_BYTES } from '../../lib/asl/limits';
import { jobLabel } from '../../lib/asl/names';
import { placeholderRefs } from '../../lib/asl/refs';
import { loadWorkflowFile, loadWorkflowText } from '../../lib/model/load';
import type { Workflow } from '../../lib/model/workflow';
import { planWorkflow } from '../../lib/plan';

const load = (text: string): Workflow => {
  const { workflow, problems } = loadWorkflowText(text, 'bound.yml');
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return workflow;
};
const exactBytes = (workflow: Workflow): number => {
  const compiled = compileWorkflow(planWorkflow(workflow), placeholderRefs);
  return measureDefinition(compiled.definition, placeholderRefs, new Set(workflow.jobs.map((job) => jobLabel(job.id)))).bytes;
};
const chain = (count: number, script = 'echo'): string =>
  `on: workflow_dispatch\njobs:\n${Array.from({ length: count }, (_, index) => `  job${index}:\n${index > 0 ? `    needs: job${index - 1}\n` : ''}    steps:\n      - run: ${script} ${index}\n`).join('')}`;

/** Shapes the renderer treats differently: matrices (inline and distributed), a general DAG, locks, gates, parallel steps. */
const shapes: Record<string, string> = {
  matrices: `on: workflow_dispatch\njobs:\n${Array.from({ length: 60 }, (_, job) => `  m${job}:\n    strategy:\n      matrix:\n        a: [${Array.from({ length: 16 }, (_, index) => index).join(', ')}]\n        b: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]\n    steps:\n      - run: echo ${job}\n`).join('')}`,
  general: 'on: workflow_dispatch\njobs:\n  a:\n    steps: [{ run: echo a }]\n  b:\n    steps: [{ run: echo b }]\n  c:\n    needs: [a, b]\n    steps: [{ run: echo c }]\n  d:\n    needs: b\n    steps: [{ run: echo d }]\n',
  locks: `on:\n  workflow_dispatch:\n    inputs:\n      target: { type: string, required: true }\nconcurrency: deploy\nmax-parallel: 3\njobs:\n  build:\n    concurrency:\n      group: build-\${{ inputs.target }}\n      queue: max\n    timeout-minutes: 5\n    outputs:\n      v: \${{ steps.v.outputs.v }}\n    steps:\n      - id: v\n        run: echo v=1 >> "$STEPDEPLOY_OUTPUT"\n        retry: { max-attempts: 3 }\n      - run: echo a\n      - run: echo b\n        parallel: true\n  deploy:\n    needs: build\n    if: \${{ always() }}\n    strategy:\n      fail-fast: false\n      max-parallel: 2\n      matrix:\n        region: [eu-west-1, us-east-1]\n    steps:\n      - run: echo \${{ matrix.region }} \${{ needs.build.outputs.v }}\n        continue-on-error: true\n`,
};

describe('the lower bound of a definition size', () => {
  it('never passes the exact size, whatever the shape (examples, fixtures, matrices in child executions)', async () => {
    const root = join(import.meta.dirname, '../..');
    const files = [
      ...readdirSync(join(root, 'examples')).map((name) => join(root, 'examples', name)),
      ...readdirSync(join(root, 'test/asl/fixtures')).map((name) => join(root, 'test/asl/fixtures', name)),
    ].filter((file) => file.endsWith('.yml'));
    const workflows = [...Object.values(shapes).map(load), ...(await Promise.all(files.map((file) => loadWorkflowFile(file)))).flatMap((loaded) => loaded.workflow ?? [])];
    expect(workflows.length).toBeGreaterThan(8);
    expect(compileWorkflow(planWorkflow(workflows[0]!), placeholderRefs).distributed.length).toBeGreaterThan(0);
    for (const workflow of workflows) {
      const bound = definitionLowerBound(planWorkflow(workflow), placeholderRefs)!;
      expect([workflow.name, bound.jobs]).toEqual([workflow.name, workflow.jobs.length]);
      expect([workflow.name, bound.bytes <= exactBytes(workflow)]).toEqual([workflow.name, true]);
    }
  });

  it('is close to the exact size where jobs make up the definition', () => {
    const workflow = load(chain(100));
    const bound = definitionLowerBound(planWorkflow(workflow), placeholderRefs)!;
    expect(bound.bytes / exactBytes(workflow)).toBeGreaterThan(0.9);
  });
});

describe('a definition far over 1 MB', () => {
  it('is refused from its first jobs, at the largest of them, without rendering the whole', () => {
    // Job 3 carries a long script: the largest among the jobs counted.
    const text = chain(600).replace('run: echo 3\n', `run: echo ${'x'.repeat(3000)}\n`);
    const workflow = load(text);
    const plan = planWorkflow(workflow);
    const problems = compileProblems(plan, placeholderRefs);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect({ code: problem!.code, location: problem!.location, path: problem!.path }).toEqual({
      code: 'definition-too-large',
      location: { file: 'bound.yml', line: 14, column: 3 },
      path: 'jobs.job3',
    });
    const [, total, counted, largest] = /^the state machine would be more than ([\d,]+) bytes \(([\d,]+) of its 600 jobs alone take that\), over Step Functions' limit of 1,048,576 \(1 MB\); the largest of them, 'job3', takes ([\d,]+): split the workflow into smaller workflow files, or use fewer jobs and steps$/.exec(problem!.message) ?? [];
    const number = (text: string | undefined) => Number(text?.replaceAll(',', ''));
    expect(number(total)).toBeGreaterThan(FAR_OVER_BYTES);
    expect(number(total)).toBeLessThanOrEqual(exactBytes(workflow));
    expect(number(counted)).toBeLessThan(600);
    expect(number(largest)).toBeGreaterThan(3000);
    expect(() => compileDeployable(plan, placeholderRefs)).toThrowError(new CompileError(problems));
  });

  it('near the limit is measured exactly, as before (the exact message)', () => {
    const plan = planWorkflow(load(chain(230)));
    const exact = compileWorkflow(plan, placeholderRefs).problems;
    expect(exact.map((problem) => problem.code)).toEqual(['definition-too-large', 'history-too-large']);
    expect(exact[0]!.message).toMatch(/^the state machine would be [\d,]+ bytes, over/);
    expect(compileProblems(plan, placeholderRefs)).toEqual(exact);
    expect(exactBytes(load(chain(230)))).toBeGreaterThan(MAX_DEFINITION_BYTES);
  });
});
