// A calling job's called workflow, inlined into the caller's job graph, as GitHub runs it: the called
// jobs keep their needs, matrices, concurrency and steps, under ids no user job can have (`__<caller>__<job>`;
// ids starting with '__' are reserved), each gated by the call (the caller's needs and if:), and named
// `<caller> / <job>` in progress and reports. The calling job stays, as the call's result: it needs every
// called job, runs no steps, and gives dependents `needs.<caller>.result` and `.outputs` (lib/asl/call-result.ts).
// A caller with a (written-out) matrix calls the workflow once per cell: the jobs are inlined once per
// cell (`__<caller>_<n>__<job>`), the cell's values written into the caller's with: and if:.

import { hasExpression } from '../../expressions';
import { expandMatrix, type MatrixCell } from '../matrix';
import { canonicalName } from '../secret-refs';
import { isDynamicMatrix, type CallGate, type Job, type Json, type ReusableCall, type Workflow } from '../workflow';
import { literalText, RewriteError, rewriteCondition, rewriteTemplate, templateAsExpression, type Rewrites } from './rewrite';
import { rewriteJob } from './rewrite-job';

/** Called workflows by the id of the job that calls them (each already inlined itself). */
export type Callees = ReadonlyMap<string, Workflow>;

/** `refused` is told of each call whose expressions cannot be followed (RewriteError), by the calling job's id. */
export function inlineCalls(workflow: Workflow, callees: Callees, refused: (job: string, reason: string) => void): Workflow {
  const jobs = workflow.jobs.flatMap((job) => {
    const callee = callees.get(job.id);
    if (job.uses === undefined || callee === undefined) return [job];
    try {
      return inlineCall(job, job.uses, callee);
    } catch (error) {
      if (!(error instanceof RewriteError)) throw error;
      refused(job.id, error.message);
      return [job];
    }
  });
  return { ...workflow, jobs };
}

function inlineCall(caller: Job, call: ReusableCall, callee: Workflow): Job[] {
  const matrix = caller.strategy?.matrix;
  const cells: (MatrixCell | undefined)[] = matrix !== undefined && !isDynamicMatrix(matrix) ? expandMatrix(matrix) : [undefined];
  const inlined: Job[] = [];
  const outputs: Record<string, string>[] = [];
  const gates: CallGate[] = [];
  cells.forEach((cell, index) => {
    const prefix = cell === undefined ? `__${caller.id}__` : `__${caller.id}_${index}__`;
    const ids = new Map(callee.jobs.map((job) => [job.id.toLowerCase(), `${prefix}${job.id}`]));
    const inCell: Rewrites = cell === undefined ? {} : { matrix: cell };
    const gate: CallGate = { needs: caller.needs, ...(caller.if !== undefined && { if: rewriteCondition(caller.if, inCell) }) };
    gates.push(gate);
    const rewrites: Rewrites = { needs: ids, jobs: ids, inputs: inputExpressions(call, callee, inCell), ...secretRewrites(call) };
    const calleeEnv = Object.fromEntries(Object.entries(callee.env).map(([name, value]) => [name, rewriteTemplate(value, rewrites)]));
    const callerLabel = `${shownName(caller)}${cell === undefined ? '' : ` (${Object.values(cell).map(displayValue).join(', ')})`}`;
    for (const job of callee.jobs) {
      const rewritten = rewriteJob(job, rewrites);
      inlined.push({
        ...rewritten,
        id: ids.get(job.id.toLowerCase())!,
        label: `${callerLabel} / ${shownName(job)}`,
        githubJob: job.githubJob ?? job.id,
        needs: [...new Set([...rewritten.needs, ...caller.needs])],
        gates: [gate, ...(rewritten.gates ?? [])],
        // The called workflow's own env is its jobs' (the caller's is not passed, as on GitHub); jobs it called itself never had it.
        env: job.gates === undefined ? { ...calleeEnv, ...rewritten.env } : rewritten.env,
        secrets: passedSecrets(job.secrets, call),
        // Its own, its workflow's, and the caller's (read by the gate's if: and the with: values written in).
        vars: [...new Set([...job.vars, ...callee.vars, ...caller.vars])].sort(),
      });
    }
    const declared = callee.on.workflowCall?.outputs ?? {};
    outputs.push(Object.fromEntries(Object.entries(declared).map(([name, value]) => [name, rewriteTemplate(value, rewrites)])));
  });
  const { uses: _uses, strategy: _strategy, if: _if, ...rest } = caller;
  const result: Job = {
    ...rest,
    needs: [...new Set([...caller.needs, ...inlined.map((job) => job.id)])],
    outputs: Object.fromEntries(Object.keys(callee.on.workflowCall?.outputs ?? {}).map((name) => [name, ''])),
    callResult: { jobs: inlined.map((job) => job.id), outputs, gates },
  };
  return [...inlined, result];
}

/** Input id → the expression its value is: the caller's with: (its matrix cell written in), else the default, else the type's empty value. */
function inputExpressions(call: ReusableCall, callee: Workflow, inCell: Rewrites): Map<string, string> {
  const expressions = new Map<string, string>();
  for (const input of callee.on.workflowCall?.inputs ?? []) {
    const given = Object.entries(call.with).find(([id]) => id.toLowerCase() === input.id.toLowerCase())?.[1];
    const value = given ?? input.default;
    const empty = input.type === 'boolean' ? 'false' : input.type === 'number' ? '0' : "''";
    const expression =
      value === undefined ? empty : typeof value === 'string' ? (value.includes('${{') ? templateAsExpression(rewriteTemplate(value, inCell)) : typedLiteral(value, input.type)) : literalText(value);
    expressions.set(input.id.toLowerCase(), expression);
  }
  return expressions;
}

/** A plain with: text of a number or boolean input was checked at validate (lib/model/reusable/check-call.ts). */
function typedLiteral(value: string, type: 'string' | 'number' | 'boolean'): string {
  if (type === 'number') return literalText(Number(value));
  if (type === 'boolean') return literalText(value === 'true');
  return literalText(value);
}

/** `secrets: inherit` keeps every `secrets.<NAME>`; a map renames the passed ones and empties the rest. */
function secretRewrites(call: ReusableCall): Pick<Rewrites, 'secrets'> {
  if (call.secrets === 'inherit') return {};
  const passed = new Map<string, string>();
  for (const [id, text] of Object.entries(call.secrets)) passed.set(id.toLowerCase(), `secrets.${secretName(text)}`);
  return { secrets: passed };
}

function passedSecrets(names: readonly string[], call: ReusableCall): string[] {
  if (call.secrets === 'inherit') return [...names];
  const byId = new Map(Object.entries(call.secrets).map(([id, text]) => [canonicalName(id), secretName(text)]));
  return [...new Set(names.flatMap((name) => (name === 'GITHUB_TOKEN' ? [name] : byId.has(name) ? [byId.get(name)!] : [])))].sort();
}

/** `${{ secrets.NAME }}` → NAME (upper-case), as lib/model/normalize/reusable-call.ts accepted it. */
function secretName(text: string): string {
  return canonicalName(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/.exec(text)![1]!);
}

/** How GitHub shows a job: its name when it is plain text, else its id (a called job: as its own call named it). */
function shownName(job: Job): string {
  return job.label ?? (job.name !== undefined && !hasExpression(job.name) ? job.name : job.id);
}

function displayValue(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
