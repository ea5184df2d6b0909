// `stepdeploy run -j JOB` of a job that calls a reusable workflow runs the called jobs (they are the call).
import { describe, expect, it } from 'vitest';
import { selectJobs } from '../../lib/cli/job-selection';
import { loadMain } from '../model/reusable/memory-repo';

describe('-j JOB of a calling job', () => {
  const { workflow } = loadMain({
    '.github/workflows/main.yml': 'on: workflow_dispatch\njobs:\n  setup:\n    steps:\n      - run: echo\n  deploy:\n    needs: setup\n    uses: ./.github/workflows/deploy.yml\n',
    '.github/workflows/deploy.yml': 'on: workflow_call\njobs:\n  one:\n    steps:\n      - run: echo\n  two:\n    needs: one\n    steps:\n      - run: echo\n',
  });

  it('keeps the called jobs, and drops the needs left out from their gates too (they run as if those had succeeded)', () => {
    const selected = selectJobs(workflow!, 'deploy', false);
    expect(selected.jobs.map((job) => [job.id, job.needs, job.gates])).toEqual([
      ['__deploy__one', [], [{ needs: [] }]],
      ['__deploy__two', ['__deploy__one'], [{ needs: [] }]],
      ['deploy', ['__deploy__one', '__deploy__two'], undefined],
    ]);
    expect(selected.jobs.at(-1)?.callResult?.gates).toEqual([{ needs: [] }]);
  });

  it('with its needs, keeps them', () => {
    expect(selectJobs(workflow!, 'deploy', true).jobs.map((job) => job.id)).toEqual(['setup', '__deploy__one', '__deploy__two', 'deploy']);
  });
});
