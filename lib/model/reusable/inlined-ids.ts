import { jobLabel } from '../../asl/names';
import type { ProblemSink } from '../problems';
import { keyPath, type SourceIndex } from '../source-index';
import type { Workflow } from '../workflow';

/**
 * Inlined ids are `__<caller>__<job>`: no user id starts with '__', but two calls can still meet
 * (`a__b` calling `c`, `a` calling `b__c`), as can two long ids' state-name labels. Each clash is
 * reported at the calling job whose jobs came second.
 */
export function checkInlinedIds(workflow: Workflow, index: SourceIndex, sink: ProblemSink): void {
  const seen = new Map<string, string>();
  const labels = new Map<string, string>();
  for (const job of workflow.jobs) {
    if (!job.id.startsWith('__')) continue;
    const caller = workflow.jobs.find((candidate) => !candidate.id.startsWith('__') && candidate.callResult?.jobs.includes(job.id));
    const at = keyPath(keyPath('jobs', caller?.id ?? job.id), 'uses');
    const first = seen.get(job.id.toLowerCase()) ?? labels.get(jobLabel(job.id));
    if (first !== undefined) {
      sink.report('inlined-id-clash', index.valuePos(at), at, `${at}: the called job '${job.label ?? job.id}' would have the id '${job.id}' of '${first}' (or its state-name label); rename the calling job`);
    }
    seen.set(job.id.toLowerCase(), job.label ?? job.id);
    labels.set(jobLabel(job.id), job.label ?? job.id);
  }
}
