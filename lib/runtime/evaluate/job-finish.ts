import { isTruthy, toDisplayString } from '../../expressions';
import { cellContexts, evaluateField, evalStatus } from './contexts';
import type { CellData, JobResult, JobResultWord } from './data';

export interface JobFinishEvent {
  readonly op: 'job.finish';
  readonly job: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly continueOnError: boolean | string;
  /** `environment.url` as written: evaluated after the steps, as GitHub does (it may read steps outputs). */
  readonly environmentUrl?: string;
  readonly context: CellData;
}

/** A cell's result (continue-on-error turns a failure into success) and its evaluated outputs. */
export function jobFinish(event: JobFinishEvent): JobResult & { readonly environmentUrl?: string } {
  const status: JobResultWord = event.context.job?.status ?? 'failure';
  const env = event.context.job?.env ?? event.context.run.env;
  const contexts = cellContexts(event.context, undefined, env);
  const ctx = { contexts, status: evalStatus(status) };
  const where = `jobs.${event.job}`;
  let result = status;
  if (status === 'failure') {
    const cont = event.continueOnError;
    const continues = typeof cont === 'boolean' ? cont : isTruthy(evaluateField(cont, ctx, `${where}.continue-on-error`));
    if (continues) result = 'success';
  }
  const outputs: Record<string, unknown> = {};
  if (status !== 'skipped') {
    for (const [name, template] of Object.entries(event.outputs)) outputs[name] = evaluateField(template, ctx, `${where}.outputs.${name}`);
  }
  if (event.environmentUrl === undefined) return { result, outputs };
  // A job that did not run has no deployment to link to: the URL is empty, as GitHub leaves it.
  const environmentUrl = status === 'skipped' ? '' : toDisplayString(evaluateField(event.environmentUrl, ctx, `${where}.environment.url`));
  return { result, outputs, environmentUrl };
}

export interface JobAggregateEvent {
  readonly op: 'job.aggregate';
  readonly job: string;
  /** In the Map's order; a cell of an ordered Map (job-order.ts) carries its written index. */
  readonly cells: readonly (JobResult & { readonly cell?: number })[];
}

/** A matrix job's result from its cells: any failure fails it; outputs merge in cell order (the written one). */
export function jobAggregate(event: JobAggregateEvent): JobResult {
  const cells = [...event.cells].sort((a, b) => (a.cell ?? 0) - (b.cell ?? 0));
  const results = cells.map((cell) => cell.result);
  const result: JobResultWord = results.includes('failure')
    ? 'failure'
    : results.includes('cancelled')
      ? 'cancelled'
      : results.length > 0 && results.every((word) => word === 'skipped')
        ? 'skipped'
        : 'success';
  const outputs: Record<string, unknown> = {};
  for (const cell of cells) Object.assign(outputs, cell.outputs);
  // Every cell of a job has the same ancestors.
  return { result, outputs, upstream: cells[0]?.upstream ?? 'success' };
}
