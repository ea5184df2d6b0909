import type { StepPaths } from '../normalize/job';
import type { ProblemSink } from '../problems';
import type { SourceIndex } from '../source-index';
import type { Workflow } from '../workflow';

/** What a semantic check reads: the normalized workflow, and the spec positions to point at. */
export interface CheckInput {
  readonly workflow: Workflow;
  readonly index: SourceIndex;
  readonly stepPaths: StepPaths;
  readonly sink: ProblemSink;
}

/** Job ids as written in the file (also those whose body could not be normalized). */
export function writtenJobIds(index: SourceIndex): string[] {
  const jobs = index.node('jobs');
  return jobs?.kind === 'map' ? [...new Set(jobs.entries.map((entry) => entry.key))] : [];
}
