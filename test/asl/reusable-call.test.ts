// A call of a reusable workflow compiled: the called jobs are jobs of the definition (their start
// state names them `<caller> / <job>` for reports), the call's result one evaluate task, and the
// Step Functions limits checked on the expanded workflow.
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import { planWorkflow } from '../../lib/plan';
import { stepNamesOf } from '../../lib/report/step-names';
import { loadMain } from '../model/reusable/memory-repo';
import { stateNamed } from './render-helpers';

const callee = (jobs: number, steps: number): string =>
  'on:\n  workflow_call:\n    outputs:\n      out: { value: "${{ jobs.j0.outputs.o }}" }\njobs:\n' +
  Array.from({ length: jobs }, (_, job) => `  j${job}:\n${job === 0 ? '    outputs: { o: "${{ steps.s0.outputs.o }}" }\n' : '    needs: j0\n'}    steps:\n${Array.from({ length: steps }, (_, step) => `      - id: s${step}\n        run: echo ${step}\n`).join('')}`).join('');

function compile(main: string, called: string) {
  const loaded = loadMain({ '.github/workflows/main.yml': main, '.github/workflows/called.yml': called });
  if (loaded.workflow === undefined) throw new Error(JSON.stringify(loaded.problems));
  return compileWorkflow(planWorkflow(loaded.workflow), placeholderRefs);
}

describe('compiling a call of a reusable workflow', () => {
  const compiled = compile('on: workflow_dispatch\njobs:\n  deploy:\n    uses: ./.github/workflows/called.yml\n  after:\n    needs: deploy\n    steps:\n      - run: echo "${{ needs.deploy.outputs.out }}"\n', callee(2, 1));

  it('renders the called jobs as jobs named for reports, and the call’s result as one evaluate task', () => {
    expect(compiled.problems).toEqual([]);
    expect(Object.keys(compiled.definition.States)).toEqual(['Start run', '__deploy__j0', '__deploy__j1', 'deploy: call result', 'after', 'Finish run', 'Run succeeded?', 'Run succeeded', 'Run failed']);
    expect(stepNamesOf(compiled.definition)).toMatchObject({ __deploy__j0: 'deploy / j0', __deploy__j1: 'deploy / j1' });
    expect(stateNamed(compiled.definition, '__deploy__j1: start')).toMatchObject({
      Comment: 'Called job deploy / j1.',
      Parameters: { Payload: { op: 'job.start', needs: ['__deploy__j0'], gates: [{ needs: [] }] } },
    });
    expect(stateNamed(compiled.definition, 'deploy: call result')).toMatchObject({
      Parameters: {
        Payload: { op: 'call.finish', job: 'deploy', needs: ['__deploy__j0', '__deploy__j1'], jobs: ['__deploy__j0', '__deploy__j1'], cells: [{ needs: [] }], outputs: '[{"out":"${{ needs.__deploy__j0.outputs.o }}"}]', 'context.$': '$' },
      },
      ResultPath: "$.needs['deploy']",
      Next: 'after',
    });
  });

  it('checks the limits on the expanded workflow: a calling matrix multiplies the called jobs', () => {
    const cells = Array.from({ length: 200 }, (_, index) => index).join(', ');
    const big = compile(`on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      fail-fast: false\n      matrix:\n        n: [${cells}]\n    uses: ./.github/workflows/called.yml\n`, callee(3, 8));
    expect(big.problems.map((problem) => problem.code)).toContain('definition-too-large');
  });
});
