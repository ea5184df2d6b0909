import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import type { MapState } from '../../lib/asl/types';
import { windowModes } from '../../lib/asl/window-plan';
import { loadWorkflowText } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';
import { allStates } from './render-helpers';

function planOf(text: string) {
  const { workflow, problems } = loadWorkflowText(text, 'window.yml');
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return planWorkflow(workflow);
}

const matrix = (id: string, cells: number, extra = '') =>
  `  ${id}:\n${extra}    strategy:\n      matrix:\n        n: [${Array.from({ length: cells }, (_, i) => i).join(', ')}]\n    steps:\n      - run: echo 1\n      - run: echo 2\n`;
const plain = (id: string, extra = '') => `  ${id}:\n${extra}    steps:\n      - run: echo 1\n`;
const workflow = (window: number, jobs: string[]) => `on: workflow_dispatch\nmax-parallel: ${window}\njobs:\n${jobs.join('')}`;

const modes = (text: string) => Object.fromEntries(windowModes(planOf(text), planOf(text).workflow.maxParallel));

/** Slot states (coordinator acquire/release of the window) by name, and Map limits by job. */
function rendered(text: string) {
  const { definition } = compileWorkflow(planOf(text), placeholderRefs);
  const states = allStates(definition);
  const slots = states.map(([name]) => name).filter((name) => name.endsWith(': slot') || name.includes(': free slot'));
  const maps = Object.fromEntries(states.filter(([, state]) => state.Type === 'Map').map(([name, state]) => [name, (state as MapState).MaxConcurrency]));
  return { slots: slots.sort(), maps };
}

describe('the workflow window, where the definition can express it', () => {
  it('asks nothing of the coordinator when no more steps can run at once than the window allows', () => {
    const text = workflow(4, [matrix('deploy', 4), plain('notify')].map((job, i) => (i === 1 ? plain('notify', '    needs: deploy\n') : job)));
    expect(modes(text)).toEqual({ deploy: { kind: 'free' }, notify: { kind: 'free' } });
    expect(rendered(text)).toEqual({ slots: [], maps: { deploy: undefined } });
  });

  it('a matrix that overlaps no other job keeps to the window by its Map’s MaxConcurrency (the smaller of the two limits)', () => {
    const text = workflow(3, [plain('build'), matrix('deploy', 8, '    needs: build\n'), matrix('verify', 6, '    needs: deploy\n').replace('matrix:', 'max-parallel: 2\n      matrix:')]);
    expect(modes(text)).toEqual({ build: { kind: 'free' }, deploy: { kind: 'map', maxConcurrency: 3 }, verify: { kind: 'free' } });
    expect(rendered(text)).toEqual({ slots: [], maps: { deploy: 3, verify: 2 } });
  });

  it('jobs that may overlap and exceed the window together take slots: one per cell whose steps run one at a time', () => {
    const text = workflow(2, [matrix('a', 2), plain('b'), plain('c', '    needs: [a, b]\n')]);
    expect(modes(text)).toEqual({ a: { kind: 'slots', perStep: false }, b: { kind: 'slots', perStep: false }, c: { kind: 'free' } });
    expect(rendered(text).slots).toEqual(['a: free slot', 'a: slot', 'b: free slot', 'b: slot']);
  });

  it('a cell with parallel steps takes a slot per step (holding one while waiting for more could deadlock)', () => {
    const wide = `  wide:\n    steps:\n      - run: echo 1\n      - run: echo 2\n        parallel: true\n      - run: echo 3\n        parallel: true\n`;
    const text = workflow(2, [wide]);
    expect(modes(text)).toEqual({ wide: { kind: 'slots', perStep: true } });
    expect(rendered(text).slots).toEqual(['wide.step-1: free slot', 'wide.step-1: free slot (failed)', 'wide.step-1: slot', 'wide.step-2: free slot', 'wide.step-2: free slot (failed)', 'wide.step-2: slot', 'wide.step-3: free slot', 'wide.step-3: free slot (failed)', 'wide.step-3: slot']);
  });

  it('a max-parallel given as an expression cannot carry the window too: its cells take slots', () => {
    const text = workflow(2, [matrix('deploy', 5).replace('matrix:', 'max-parallel: ${{ inputs.width }}\n      matrix:')]).replace(
      'on: workflow_dispatch',
      'on:\n  workflow_dispatch:\n    inputs:\n      width: { type: number, default: 3 }',
    );
    expect(modes(text)).toEqual({ deploy: { kind: 'slots', perStep: false } });
  });

  it('a DAG with an N is bounded by the sum of its jobs', () => {
    const n = [plain('a'), plain('b'), plain('c', '    needs: [a, b]\n'), plain('d', '    needs: b\n')];
    expect(Object.values(modes(workflow(4, n))).map((mode) => mode.kind)).toEqual(['free', 'free', 'free', 'free']);
    expect(Object.values(modes(workflow(3, n))).map((mode) => mode.kind)).toEqual(['slots', 'slots', 'slots', 'slots']);
  });
});
