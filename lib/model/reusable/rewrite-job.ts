// Every expression-bearing field of a job, rewritten (lib/model/reusable/rewrite.ts): the fields
// are listed here one by one, as lib/model/validate/expression-fields.ts lists them for the checks.

import type { CallGate, Job, Json, Step, Strategy } from '../workflow';
import { isDynamicMatrix } from '../workflow';
import { rewriteCondition, rewriteTemplate, type Rewrites } from './rewrite';

export function rewriteJob(job: Job, rewrites: Rewrites): Job {
  const text = (value: string): string => rewriteTemplate(value, rewrites);
  const flag = (value: boolean | string): boolean | string => (typeof value === 'string' ? text(value) : value);
  const map = (record: Readonly<Record<string, string>>): Record<string, string> => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, text(value)]));
  const gate = (value: CallGate): CallGate => ({ needs: value.needs.map((id) => renamed(id, rewrites)), ...(value.if !== undefined && { if: rewriteCondition(value.if, rewrites) }) });
  return {
    ...job,
    ...(job.name !== undefined && { name: text(job.name) }),
    runsOn: { ...job.runsOn, ...(job.runsOn.expression !== undefined && { expression: text(job.runsOn.expression) }) },
    defaults: { ...(job.defaults.workingDirectory !== undefined && { workingDirectory: text(job.defaults.workingDirectory) }) },
    needs: job.needs.map((id) => renamed(id, rewrites)),
    ...(job.if !== undefined && { if: rewriteCondition(job.if, rewrites) }),
    ...(job.strategy !== undefined && { strategy: rewriteStrategy(job.strategy, rewrites) }),
    ...(job.concurrency !== undefined && { concurrency: { ...job.concurrency, group: text(job.concurrency.group), cancelInProgress: flag(job.concurrency.cancelInProgress) } }),
    ...(job.environment !== undefined && { environment: { name: text(job.environment.name), ...(job.environment.url !== undefined && { url: text(job.environment.url) }) } }),
    continueOnError: flag(job.continueOnError),
    env: map(job.env),
    outputs: map(job.outputs),
    steps: job.steps.map((step) => rewriteStep(step, rewrites)),
    ...(job.callResult !== undefined && {
      callResult: { jobs: job.callResult.jobs.map((id) => renamed(id, rewrites)), outputs: job.callResult.outputs.map(map), gates: job.callResult.gates.map(gate) },
    }),
    ...(job.gates !== undefined && { gates: job.gates.map(gate) }),
  };
}

/** A job id after the rename (ids of the caller's own jobs stay). */
export function renamed(id: string, rewrites: Rewrites): string {
  return rewrites.needs?.get(id.toLowerCase()) ?? id;
}

function rewriteStrategy(strategy: Strategy, rewrites: Rewrites): Strategy {
  const text = (value: string): string => rewriteTemplate(value, rewrites);
  const expressions = strategy.expressions;
  return {
    ...strategy,
    matrix: isDynamicMatrix(strategy.matrix) ? { ...strategy.matrix, template: rewriteJson(strategy.matrix.template, rewrites) } : strategy.matrix,
    ...(expressions !== undefined && {
      expressions: {
        ...(expressions.failFast !== undefined && { failFast: text(expressions.failFast) }),
        ...(expressions.maxParallel !== undefined && { maxParallel: text(expressions.maxParallel) }),
      },
    }),
  };
}

function rewriteJson(value: Json, rewrites: Rewrites): Json {
  if (typeof value === 'string') return rewriteTemplate(value, rewrites);
  if (Array.isArray(value)) return value.map((item: Json) => rewriteJson(item, rewrites));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteJson(item as Json, rewrites)]));
  return value;
}

function rewriteStep(step: Step, rewrites: Rewrites): Step {
  const text = (value: string): string => rewriteTemplate(value, rewrites);
  const base = {
    ...(step.name !== undefined && { name: text(step.name) }),
    ...(step.if !== undefined && { if: rewriteCondition(step.if, rewrites) }),
    env: Object.fromEntries(Object.entries(step.env).map(([key, value]) => [key, text(value)])),
    continueOnError: typeof step.continueOnError === 'string' ? text(step.continueOnError) : step.continueOnError,
  };
  switch (step.kind) {
    case 'run':
      return { ...step, ...base, run: text(step.run), writtenRun: step.writtenRun ?? step.run, ...(step.workingDirectory !== undefined && { workingDirectory: text(step.workingDirectory) }) };
    case 'action':
      return { ...step, ...base, with: Object.fromEntries(Object.entries(step.with).map(([key, value]) => [key, text(value)])) };
    case 'lambda':
      return { ...step, ...base, function: text(step.function), payload: rewriteJson(step.payload, rewrites) };
    case 'checkout':
      return { ...step, ...base };
  }
}
