// A calling job against the workflow it calls: its with: against on.workflow_call.inputs (known,
// typed, required ones given), its secrets: against on.workflow_call.secrets, and what stepdeploy
// cannot run yet refused with the reason.

import { hasExpression } from '../../expressions';
import type { ProblemSink } from '../problems';
import { keyPath, type SourceIndex } from '../source-index';
import { didYouMean } from '../suggest';
import { isDynamicMatrix, type Job, type Workflow } from '../workflow';

export function checkCall(job: Job, callee: Workflow, index: SourceIndex, sink: ProblemSink): void {
  const call = job.uses!;
  const declared = callee.on.workflowCall!;
  const jobPath = keyPath('jobs', job.id);
  const withPath = keyPath(jobPath, 'with');
  const usesPath = keyPath(jobPath, 'uses');
  const named = `the called workflow ${call.uses}`;
  const ids = declared.inputs.map((input) => input.id);
  for (const [id, value] of Object.entries(call.with)) {
    const at = keyPath(withPath, id);
    const input = declared.inputs.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (input === undefined) {
      const hint = didYouMean(id, ids) || (ids.length === 0 ? ' (it declares no inputs)' : ` (inputs: ${ids.join(', ')})`);
      sink.report('unknown-call-input', index.keyPos(at), at, `${at}: ${named} declares no input '${id}' under on.workflow_call.inputs${hint}`);
      continue;
    }
    if (typeof value === 'string' && hasExpression(value)) continue;
    if (input.type !== 'string' && typeof value !== input.type) {
      const shown = typeof value === 'string' ? `'${value}'` : String(value);
      sink.report('invalid-call-input', index.valuePos(at), at, `${at}: expected a ${input.type} (input '${input.id}' of ${call.uses} is ${input.type}), got ${shown}`);
    }
  }
  const given = new Set(Object.keys(call.with).map((id) => id.toLowerCase()));
  const withAt = index.node(withPath) === undefined ? usesPath : withPath;
  for (const input of declared.inputs) {
    if (!input.required || input.default !== undefined || given.has(input.id.toLowerCase())) continue;
    sink.report('missing-call-input', index.keyPos(withAt), withAt, `${withAt}: input '${input.id}' of ${call.uses} is required (on.workflow_call.inputs.${input.id}.required) and has no default`);
  }
  checkSecrets(job, callee, index, sink);
  checkCallerStrategy(job, index, sink);
  for (const key of ['concurrency', 'max-parallel'] as const) {
    if ((key === 'concurrency' ? callee.concurrency : callee.maxParallel) === undefined) continue;
    const message = `${usesPath}: ${call.uses} has a workflow-level ${key}, which a called workflow cannot have yet in stepdeploy; put it on its jobs (concurrency) or on the calling workflow`;
    sink.report('unsupported-call', index.valuePos(usesPath), usesPath, message);
  }
}

function checkSecrets(job: Job, callee: Workflow, index: SourceIndex, sink: ProblemSink): void {
  const call = job.uses!;
  if (call.secrets === 'inherit') return;
  const declared = callee.on.workflowCall!.secrets;
  const secretsPath = keyPath(keyPath('jobs', job.id), 'secrets');
  const ids = declared.map((secret) => secret.id);
  for (const id of Object.keys(call.secrets)) {
    if (declared.some((secret) => secret.id.toLowerCase() === id.toLowerCase())) continue;
    const at = keyPath(secretsPath, id);
    const hint = didYouMean(id, ids) || (ids.length === 0 ? ' (it declares no secrets)' : ` (secrets: ${ids.join(', ')})`);
    sink.report('unknown-call-secret', index.keyPos(at), at, `${at}: ${call.uses} declares no secret '${id}' under on.workflow_call.secrets${hint}`);
  }
  const passed = new Set(Object.keys(call.secrets).map((id) => id.toLowerCase()));
  const at = index.node(secretsPath) === undefined ? keyPath(keyPath('jobs', job.id), 'uses') : secretsPath;
  for (const secret of declared) {
    if (!secret.required || passed.has(secret.id.toLowerCase())) continue;
    sink.report('missing-call-secret', index.keyPos(at), at, `${at}: secret '${secret.id}' of ${call.uses} is required (on.workflow_call.secrets.${secret.id}.required): pass it (${secret.id}: \${{ secrets.NAME }}) or write secrets: inherit`);
  }
}

/** A matrix of the caller is expanded when the workflow is inlined, one call per cell, each run to its end. */
function checkCallerStrategy(job: Job, index: SourceIndex, sink: ProblemSink): void {
  const strategy = job.strategy;
  if (strategy === undefined) return;
  const at = keyPath(keyPath('jobs', job.id), 'strategy');
  const refuse = (path: string, rule: string): void => sink.report('unsupported-call-strategy', index.keyPos(path), path, `${path}: ${rule}`);
  if (isDynamicMatrix(strategy.matrix)) refuse(keyPath(at, 'matrix'), 'a matrix with expressions on a job that calls a reusable workflow is not available yet: write the matrix out (each cell calls the workflow once)');
  if (index.node(keyPath(at, 'max-parallel')) !== undefined) refuse(keyPath(at, 'max-parallel'), 'max-parallel on a job that calls a reusable workflow is not available yet: the calls of all cells run at once');
  if (strategy.failFast && !isDynamicMatrix(strategy.matrix)) {
    refuse(index.node(keyPath(at, 'fail-fast')) === undefined ? at : keyPath(at, 'fail-fast'), "fail-fast on a job that calls a reusable workflow is not available yet: each cell's call runs to its end; write fail-fast: false");
  }
}
