// A calling job's reusable workflow inlined into the caller's job graph: ids no user job can have,
// the called jobs' own needs kept, the caller's needs and if: as a gate, with: and secrets: written
// into the called jobs' expressions, the calling job left as the call's result.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../lib/model/workflow';
import { loadMain } from './memory-repo';

const build = `
on:
  workflow_call:
    inputs:
      target: { type: string, required: true }
      shards: { type: number, default: 2 }
      dry: { type: boolean }
      label: { type: string }
    secrets:
      token:
    outputs:
      artifact: { value: "\${{ jobs.package.outputs.name }}" }
env:
  STAGE: \${{ inputs.target }}
jobs:
  compile:
    steps:
      - run: echo "\${{ inputs.target }} \${{ inputs.shards }} \${{ inputs.dry }} [\${{ inputs.label }}]"
        env:
          TOKEN: \${{ secrets.token }}
          OTHER: \${{ secrets.OTHER }}
  package:
    needs: compile
    if: needs.compile.result == 'success'
    outputs:
      name: \${{ steps.p.outputs.name }}
    steps:
      - id: p
        run: echo "name=\${{ inputs.target }}" >> "$GITHUB_OUTPUT"
`;

function jobs(main: string, callee = build): Map<string, Job> {
  const loaded = loadMain({ '.github/workflows/main.yml': main, '.github/workflows/build.yml': callee });
  if (loaded.workflow === undefined) throw new Error(JSON.stringify(loaded.problems));
  return new Map(loaded.workflow.jobs.map((job) => [job.id, job]));
}

describe('inlining a reusable workflow', () => {
  const inlined = jobs(`
on: workflow_dispatch
jobs:
  setup:
    outputs: { v: "\${{ steps.s.outputs.v }}" }
    steps: [{ id: s, run: echo }]
  build:
    name: Build it
    needs: setup
    if: github.ref == 'refs/heads/main'
    uses: ./.github/workflows/build.yml
    with:
      target: web-\${{ needs.setup.outputs.v }}
    secrets:
      token: \${{ secrets.DEPLOY_TOKEN }}
  after:
    needs: build
    steps: [{ run: "echo \${{ needs.build.outputs.artifact }}" }]
`);

  it('names the called jobs __<caller>__<job>, labelled <caller name> / <job>, keeping their needs and adding the caller’s', () => {
    expect([...inlined.keys()]).toEqual(['setup', '__build__compile', '__build__package', 'build', 'after']);
    expect(inlined.get('__build__compile')).toMatchObject({ label: 'Build it / compile', needs: ['setup'] });
    expect(inlined.get('__build__package')).toMatchObject({ label: 'Build it / package', needs: ['__build__compile', 'setup'], if: "needs.__build__compile.result == 'success'" });
  });

  it('gates every called job with the caller’s needs and if:', () => {
    const gate = { needs: ['setup'], if: "github.ref == 'refs/heads/main'" };
    expect(inlined.get('__build__compile')?.gates).toEqual([gate]);
    expect(inlined.get('__build__package')?.gates).toEqual([gate]);
  });

  it('writes with: values (typed, defaults, empty values by type) and passed secrets into the expressions; a secret not passed is empty', () => {
    const [step] = inlined.get('__build__compile')!.steps;
    expect(step).toMatchObject({
      run: 'echo "${{ (format(\'web-{0}\', (needs.setup.outputs.v))) }} ${{ (2) }} ${{ (false) }} [${{ (\'\') }}]"',
      env: { TOKEN: '${{ secrets.DEPLOY_TOKEN }}', OTHER: "${{ '' }}" },
    });
    expect(inlined.get('__build__compile')).toMatchObject({ secrets: ['DEPLOY_TOKEN'], env: { STAGE: "${{ (format('web-{0}', (needs.setup.outputs.v))) }}" } });
  });

  it('leaves the calling job as the call’s result: needs of the call and every called job, outputs over their new ids', () => {
    const call = inlined.get('build')!;
    expect(call).toMatchObject({ steps: [], needs: ['setup', '__build__compile', '__build__package'], outputs: { artifact: '' } });
    expect(call.if).toBeUndefined();
    expect(call.callResult).toEqual({
      jobs: ['__build__compile', '__build__package'],
      outputs: [{ artifact: '${{ needs.__build__package.outputs.name }}' }],
      gates: [{ needs: ['setup'], if: "github.ref == 'refs/heads/main'" }],
    });
    expect(inlined.get('after')?.needs).toEqual(['build']);
  });

  it('keeps every secret with secrets: inherit', () => {
    const inherited = jobs(`
on: workflow_dispatch
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with: { target: web }
    secrets: inherit
`);
    expect(inherited.get('__build__compile')).toMatchObject({ secrets: ['OTHER', 'TOKEN'], steps: [{ env: { TOKEN: '${{ secrets.token }}', OTHER: '${{ secrets.OTHER }}' } }] });
  });

  it('calls the workflow once per cell of a written-out matrix, the cell’s values written into with:', () => {
    const cells = jobs(`
on: workflow_dispatch
jobs:
  regions:
    strategy:
      fail-fast: false
      matrix:
        region: [eu-west-1, us-west-2]
    uses: ./.github/workflows/build.yml
    with: { target: "\${{ matrix.region }}" }
`);
    expect([...cells.keys()]).toEqual(['__regions_0__compile', '__regions_0__package', '__regions_1__compile', '__regions_1__package', 'regions']);
    expect(cells.get('__regions_1__compile')).toMatchObject({ label: 'regions (us-west-2) / compile', gates: [{ needs: [] }] });
    expect(cells.get('__regions_1__package')?.steps[0]).toMatchObject({ run: 'echo "name=${{ ((\'us-west-2\')) }}" >> "$GITHUB_OUTPUT"' });
    expect(cells.get('regions')?.callResult?.outputs).toEqual([{ artifact: '${{ needs.__regions_0__package.outputs.name }}' }, { artifact: '${{ needs.__regions_1__package.outputs.name }}' }]);
    expect(cells.get('regions')?.strategy).toBeUndefined();
  });

  it('nests: a called workflow that calls another is inlined with both gates, outermost first', () => {
    const files = {
      '.github/workflows/main.yml': 'on: workflow_dispatch\njobs:\n  outer:\n    uses: ./.github/workflows/middle.yml\n    with: { who: top }\n',
      '.github/workflows/middle.yml': 'on:\n  workflow_call:\n    inputs:\n      who: { type: string }\njobs:\n  first:\n    steps: [{ run: echo }]\n  inner:\n    needs: first\n    if: inputs.who == \'top\'\n    uses: ./.github/workflows/leaf.yml\n    with: { name: "${{ inputs.who }}" }\n',
      '.github/workflows/leaf.yml': 'on:\n  workflow_call:\n    inputs:\n      name: { type: string }\njobs:\n  say:\n    steps: [{ run: "echo ${{ inputs.name }}" }]\n',
    };
    const loaded = loadMain(files);
    const byId = new Map(loaded.workflow!.jobs.map((job) => [job.id, job]));
    expect([...byId.keys()]).toEqual(['__outer__first', '__outer____inner__say', '__outer__inner', 'outer']);
    expect(byId.get('__outer____inner__say')).toMatchObject({
      label: 'outer / inner / say',
      needs: ['__outer__first'],
      gates: [{ needs: [] }, { needs: ['__outer__first'], if: "('top') == 'top'" }],
      steps: [{ run: "echo ${{ ((('top'))) }}" }],
    });
    expect(byId.get('__outer__inner')?.callResult?.jobs).toEqual(['__outer____inner__say']);
    expect(byId.get('outer')?.callResult?.jobs).toEqual(['__outer__first', '__outer____inner__say', '__outer__inner']);
  });

  it('allows ten levels of workflows (the caller and nine reusable ones)', () => {
    const files: Record<string, string> = { '.github/workflows/main.yml': 'on: workflow_dispatch\njobs:\n  down:\n    uses: ./.github/workflows/level-1.yml\n' };
    for (let level = 1; level < 9; level++) files[`.github/workflows/level-${level}.yml`] = `on: workflow_call\njobs:\n  down:\n    uses: ./.github/workflows/level-${level + 1}.yml\n`;
    files['.github/workflows/level-9.yml'] = 'on: workflow_call\njobs:\n  leaf:\n    steps: [{ run: echo }]\n';
    const loaded = loadMain(files);
    expect(loaded.problems).toEqual([]);
    expect(loaded.workflow?.jobs.find((job) => job.steps.length > 0)?.label).toBe(`${'down / '.repeat(9)}leaf`);
  });
});
