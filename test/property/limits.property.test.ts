// validate accepts ⇒ plan, render and synth succeed within every Step Functions limit, and the
// workflow runs. 200 workflows generated with a fixed seed (test/property/workflow-arbitrary.ts):
// each is validated and compiled as `stepdeploy validate` does; the accepted ones are synthesized in
// a few stacks (the real template and the definitions in it are measured), and 30+ small ones run
// on one local engine.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import validateAsl from 'asl-validator';
import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { HISTORY_BUDGET } from '../../lib/asl/history-budget';
import { jobLabel } from '../../lib/asl/names';
import { MAX_DEFINITION_BYTES, MAX_PAYLOAD_BYTES, measureDefinition, type DefinitionMeasure } from '../../lib/asl/limits';
import { MAX_INTRINSIC_DEPTH } from '../../lib/asl/merge';
import { placeholderRefs } from '../../lib/asl/refs';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { oversizedTemplates } from '../../lib/constructs/template-budget';
import { loadWorkflowText } from '../../lib/model/load';
import type { Workflow } from '../../lib/model/workflow';
import { planWorkflow } from '../../lib/plan';
import { startLocalWorkflows } from '../e2e/local-run';
import { workflowArbitrary, type GeneratedWorkflow } from './workflow-arbitrary';

const SEED = 20_261_201;
const RUNS = 200;
const LIMIT_CODES = new Set(['definition-too-large', 'history-too-large', 'intrinsic-too-deep', 'payload-too-large', 'state-name-too-long', 'duplicate-state-name']);

interface Accepted {
  readonly name: string;
  readonly text: string;
  readonly generated: GeneratedWorkflow;
  readonly workflow: Workflow;
  readonly bytes: number;
}

const accepted: Accepted[] = [];
const rejected: string[] = [];
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function expectWithinLimits(measure: DefinitionMeasure, where: string): void {
  expect([where, measure.bytes <= MAX_DEFINITION_BYTES]).toEqual([where, true]);
  expect([where, measure.longestName.length <= 80, measure.duplicateNames]).toEqual([where, true, []]);
  expect([where, measure.deepestIntrinsic.depth <= MAX_INTRINSIC_DEPTH]).toEqual([where, true]);
  expect([where, measure.largestStaticData.bytes <= MAX_PAYLOAD_BYTES / 2]).toEqual([where, true]);
}

describe(`${RUNS} generated workflows (seed ${SEED})`, () => {
  it('validate accepts ⇒ plan and render stay within every limit; what it rejects is a located limit problem', () => {
    let index = 0;
    fc.assert(
      fc.property(workflowArbitrary, (generated) => {
        const name = `p${String(index++).padStart(3, '0')}`;
        const file = `${name}.yml`;
        const text = generated.text(name);
        const called = generated.called(name);
        const loaded = loadWorkflowText(text, file, { workflows: { read: (path) => (called[path] === undefined ? undefined : { file: path, text: called[path]! }) } });
        expect([generated.shape, loaded.problems]).toEqual([generated.shape, []]);
        const plan = planWorkflow(loaded.workflow!);
        const compiled = compileWorkflow(plan, placeholderRefs);
        const lines = text.split('\n').length;
        for (const problem of compiled.problems) {
          expect([problem.code, LIMIT_CODES.has(problem.code)]).toEqual([problem.code, true]);
          expect(problem.location.file).toBe(file);
          expect(problem.location.line >= 1 && problem.location.line <= lines && problem.location.column >= 1).toBe(true);
          expect(problem.path).toMatch(/^jobs\./);
        }
        if (compiled.problems.length > 0) {
          rejected.push(`${generated.shape} ${generated.jobs} jobs: ${compiled.problems.map((problem) => problem.code).join(', ')}`);
          return;
        }
        const measure = measureDefinition(compiled.definition, placeholderRefs, new Set(loaded.workflow!.jobs.map((job) => jobLabel(job.id))));
        expectWithinLimits(measure, file);
        expect(compiled.history.events).toBeLessThanOrEqual(HISTORY_BUDGET);
        for (const events of Object.values(compiled.history.children)) expect(events).toBeLessThanOrEqual(HISTORY_BUDGET);
        // asl-validator costs a third of a second a call: every eighth workflow.
        if (index % 8 === 1) {
          const asl = validateAsl(structuredClone(compiled.definition), { checkPaths: true, checkArn: false });
          expect([file, asl.errorsText()]).toEqual([file, '']);
        }
        accepted.push({ name, text, generated, workflow: loaded.workflow!, bytes: measure.bytes });
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(accepted.length + rejected.length).toBe(RUNS);
    // Only the biggest shapes (chains of hundreds of jobs) pass a limit: the property is not vacuous.
    expect(accepted.length).toBeGreaterThanOrEqual(RUNS * 0.9);
    for (const shape of ['wide', 'deep', 'dag', 'matrix', 'steps', 'long-ids', 'call']) expect(accepted.some((one) => one.generated.shape === shape)).toBe(true);
    for (const form of ['fromJSON(needs.setup.outputs.m', 'd0: ${{ fromJSON(']) expect(accepted.some((one) => one.text.includes(form))).toBe(true);
  }, 300_000);

  it('the accepted ones synthesize: templates under 1 MB, every definition in them within the limits', () => {
    expect(accepted.length).toBeGreaterThan(0);
    // A few stacks of up to ~600 KB of definitions each (past the template budget they nest).
    const batches: Accepted[][] = [[]];
    let bytes = 0;
    for (const one of accepted) {
      if (bytes + one.bytes > 600_000 && batches.at(-1)!.length > 0) {
        batches.push([]);
        bytes = 0;
      }
      batches.at(-1)!.push(one);
      bytes += one.bytes;
    }
    let machines = 0;
    for (const [index, batch] of batches.entries()) {
      const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
      const stack = new StepDeployStack(app, `Property${index}`, { workflows: batch.map((one) => one.workflow) });
      // Every template (the stack's and any nested one's) under CloudFormation's 1 MB.
      expect(oversizedTemplates(app.synth())).toEqual([]);
      expect(stack.workflows).toHaveLength(batch.length);
      stack.workflows.forEach((deployed, at) => {
        const { workflow } = batch[at]!;
        // The definition as synthesized, with the stack's references to the runtime in it.
        expectWithinLimits(measureDefinition(deployed.compiled.definition, stack.runtime.refs, new Set(workflow.jobs.map((job) => jobLabel(job.id)))), workflow.id);
        machines++;
      });
    }
    expect(machines).toBe(accepted.length);
  }, 300_000);

  it('30 of them run to success on one local engine, with no-op steps', async () => {
    // Dynamic matrices are picked on purpose (the smallest three): which generated workflows are small
    // enough to run shifts whenever validation's limits move, and they must stay covered.
    const dynamic = (one: Accepted): boolean => one.text.includes('fromJSON(needs.setup.outputs.');
    const fits = (one: Accepted): boolean => one.generated.jobs <= 6 && one.generated.stepRuns <= 12;
    const smallestDynamic = accepted
      .filter((one) => dynamic(one) && one.generated.jobs <= 6)
      .sort((a, b) => a.generated.stepRuns - b.generated.stepRuns)
      .slice(0, 3);
    // Calls of reusable workflows too (the three smallest), whose called files sit in the folder's .github/workflows.
    const smallestCalls = accepted.filter((one) => one.generated.shape === 'call').sort((a, b) => a.generated.stepRuns - b.generated.stepRuns).slice(0, 3);
    const small = [...smallestDynamic, ...smallestCalls, ...accepted.filter((one) => fits(one) && !dynamic(one) && one.generated.shape !== 'call')].slice(0, 30);
    expect(small.length).toBeGreaterThanOrEqual(30);
    expect(smallestDynamic).toHaveLength(3);
    expect(smallestCalls).toHaveLength(3);
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-property-'));
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    for (const one of small) {
      await writeFile(join(dir, `${one.name}.yml`), one.text);
      for (const [path, text] of Object.entries(one.generated.called(one.name))) await writeFile(join(dir, path), text);
    }
    const local = await startLocalWorkflows(small.map((one) => join(dir!, `${one.name}.yml`)), { sourceDir: dir });
    try {
      const results: [string, string, string?][] = [];
      // Fifteen at a time: enough to overlap, not enough to drown a loaded machine in processes.
      for (let at = 0; at < small.length; at += 15) {
        const wave = small.slice(at, at + 15);
        const ended = await Promise.all(wave.map((one) => local.finish(local.start(one.name))));
        ended.forEach((end, index) => results.push([wave[index]!.name, end.status, end.cause]));
      }
      expect(results.filter(([, status]) => status !== 'SUCCEEDED')).toEqual([]);
      expect(results).toHaveLength(small.length);
    } finally {
      await local.close();
    }
  }, 300_000);
});
