// Calls of another repository's reusable workflow, read as the lock and the cache have it.
import { describe, expect, it } from 'vitest';
import { loadMain } from './memory-repo';

const main = 'on: workflow_dispatch\njobs:\n  deploy:\n    uses: octo/flows/.github/workflows/deploy.yml@v1\n';

describe('a reusable workflow of another repository', () => {
  it('is inlined like one of the repository', () => {
    const loaded = loadMain({ '.github/workflows/main.yml': main }, { 'octo/flows/.github/workflows/deploy.yml@v1': 'on: workflow_call\njobs:\n  go:\n    steps:\n      - run: echo\n' });
    expect(loaded.workflow?.jobs.map((job) => [job.id, job.label, job.location.file])).toEqual([
      ['__deploy__go', 'deploy / go', 'octo/flows@v1/.github/workflows/deploy.yml'],
      ['deploy', undefined, '.github/workflows/main.yml'],
    ]);
  });

  it('is an error naming why when the lock or the cache does not have it', () => {
    expect(loadMain({ '.github/workflows/main.yml': main }).problems.map((problem) => problem.message)).toEqual([
      "jobs.deploy.uses: 'octo/flows/.github/workflows/deploy.yml@v1' is not in the test lock",
    ]);
  });

  it("refuses its calls of `./` workflows (they would be the caller's repository's), and loops through it", () => {
    const nested = loadMain({ '.github/workflows/main.yml': main }, { 'octo/flows/.github/workflows/deploy.yml@v1': 'on: workflow_call\njobs:\n  inner:\n    uses: ./.github/workflows/other.yml\n' });
    expect(nested.problems.map((problem) => [problem.code, problem.message])).toEqual([
      [
        'reusable-workflow-invalid',
        "jobs.deploy.uses: 'octo/flows/.github/workflows/deploy.yml@v1' cannot be called: octo/flows@v1/.github/workflows/deploy.yml:4:11 error unsupported-call: jobs.inner.uses: './.github/workflows/other.yml' is a workflow of the calling workflow's own repository, which is not available yet in a reusable workflow of another repository (octo/flows/.github/workflows/deploy.yml@v1)",
      ],
    ]);
    const loop = loadMain({ '.github/workflows/main.yml': main }, { 'octo/flows/.github/workflows/deploy.yml@v1': 'on: workflow_call\njobs:\n  again:\n    uses: octo/flows/.github/workflows/deploy.yml@v1\n' });
    expect(loop.problems.map((problem) => problem.code)).toEqual(['reusable-workflow-loop']);
  });
});
