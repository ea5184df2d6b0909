// Valid workflows of every shape the limits care about, as fast-check arbitraries: wide (up to 100
// independent jobs), deep (chains up to 500), general DAGs, matrices with concurrency groups (some
// built at run time from a setup job's JSON outputs, whole or per dimension), long parallel step
// groups, ids of up to 32 characters, and calls of reusable workflows (once or per matrix cell,
// nested up to three levels, the called workflow's output read by a later job). Every step is a
// no-op (`true`), and every concurrency group is unique to one matrix cell of one workflow, so any
// of them runs to success.
import fc from 'fast-check';
import { stringify } from 'yaml';

export interface GeneratedWorkflow {
  readonly shape: 'wide' | 'deep' | 'dag' | 'matrix' | 'steps' | 'long-ids' | 'call';
  /** The workflow file's text, for a file named `<name>.yml`. */
  text(name: string): string;
  /** The reusable workflows it calls: path in the repository (`.github/workflows/…`) → text. */
  called(name: string): Readonly<Record<string, string>>;
  readonly jobs: number;
  readonly cells: number;
  /** Step runs of one execution (each step once per cell): what a local run costs. */
  readonly stepRuns: number;
}

interface JobSpec {
  readonly needs: readonly number[];
  readonly steps: readonly { readonly parallel: boolean; readonly retries: number }[];
  readonly matrix?: {
    readonly dimensions: readonly number[];
    readonly maxParallel?: number;
    readonly failFast: boolean;
    /** From the `setup` job's outputs: the whole matrix, or each dimension. */
    readonly dynamic?: 'whole' | 'per-key';
  };
  readonly lock?: { readonly queue: 'single' | 'max'; readonly capacity: number; readonly cancel: boolean };
}

interface Shape {
  readonly shape: GeneratedWorkflow['shape'];
  readonly jobs: readonly JobSpec[];
  readonly idLength: number;
  readonly maxParallel?: number;
  readonly workflowLock: boolean;
}

/** A valid id of exactly `length` characters (at least enough for the index) for item `index`. */
function id(prefix: string, index: number, length: number): string {
  const tail = `${index}`;
  return `${prefix}${'_'.repeat(Math.max(0, length - prefix.length - tail.length))}${tail}`;
}

const oneStep = [{ parallel: false, retries: 0 }];
/** Mostly small, sometimes up to `max`: big workflows cost seconds each to check. */
const size = (small: number, max: number) => fc.oneof({ arbitrary: fc.integer({ min: 1, max: small }), weight: 6 }, { arbitrary: fc.integer({ min: small + 1, max }), weight: 1 });
const steps = (max: number) => fc.array(fc.record({ parallel: fc.boolean(), retries: fc.constantFrom(0, 0, 0, 2) }), { minLength: 1, maxLength: max });

const wide = size(12, 100).map((count): Shape => ({ shape: 'wide', jobs: Array.from({ length: count }, () => ({ needs: [], steps: oneStep })), idLength: 0, workflowLock: false }));
const deep = size(12, 500).map((count): Shape => ({
  shape: 'deep',
  jobs: Array.from({ length: count }, (_, index) => ({ needs: index === 0 ? [] : [index - 1], steps: oneStep })),
  idLength: 0,
  workflowLock: false,
}));
const dag = fc.integer({ min: 2, max: 15 }).chain((count) =>
  fc
    .tuple(...Array.from({ length: count }, (_, index) => fc.subarray(Array.from({ length: index }, (_, need) => need), { maxLength: Math.min(3, index) })), steps(4))
    .map(([...parts]): Shape => {
      const stepList = parts.pop() as JobSpec['steps'];
      return { shape: 'dag', jobs: (parts as number[][]).map((needs) => ({ needs, steps: stepList })), idLength: 0, workflowLock: false };
    }),
);
const matrixJob = fc.record({
  needs: fc.constant([] as number[]),
  steps: steps(5),
  matrix: fc.record({
    dimensions: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    maxParallel: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    failFast: fc.boolean(),
    dynamic: fc.constantFrom(undefined, undefined, 'whole' as const, 'per-key' as const),
  }),
  lock: fc.option(fc.record({ queue: fc.constantFrom('single' as const, 'max' as const), capacity: fc.integer({ min: 1, max: 3 }), cancel: fc.boolean() }), { nil: undefined }),
});
const matrix = fc.tuple(fc.array(matrixJob, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined })).map(
  ([jobs, chained, maxParallel]): Shape => ({
    shape: 'matrix',
    jobs: jobs.map((job, index) => ({ ...job, needs: chained && index > 0 ? [index - 1] : [] })),
    idLength: 0,
    ...(maxParallel === undefined ? {} : { maxParallel }),
    workflowLock: chained,
  }),
);
const longGroups = fc.array(fc.integer({ min: 2, max: 40 }), { minLength: 1, maxLength: 3 }).map(
  (groups): Shape => ({
    shape: 'steps',
    jobs: groups.map((group) => ({ needs: [], steps: Array.from({ length: group + 1 }, (_, index) => ({ parallel: index > 1, retries: 0 })) })),
    idLength: 0,
    workflowLock: false,
  }),
);
const longIds = fc.tuple(fc.integer({ min: 20, max: 32 }), fc.integer({ min: 1, max: 4 }), steps(6), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined })).map(
  ([idLength, count, stepList, maxParallel]): Shape => ({
    shape: 'long-ids',
    jobs: Array.from({ length: count }, (_, index) => ({ needs: index > 0 ? [index - 1] : [], steps: stepList })),
    idLength,
    ...(maxParallel === undefined ? {} : { maxParallel }),
    workflowLock: false,
  }),
);

/** A caller: a setup job, a job calling a reusable workflow (of `levels` nested calls, maybe per cell of a matrix), a job reading its output. */
interface CallShape {
  readonly shape: 'call';
  /** Jobs of each called workflow (a chain), from the outermost; the last job of a level calls the next level. */
  readonly levels: readonly number[];
  readonly cells: number;
}

const calls = fc
  .record({ levels: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), cells: fc.constantFrom(1, 1, 2, 3) })
  .map((call): CallShape => ({ shape: 'call', ...call }));

const callJobs = (call: CallShape): number => call.cells * call.levels.reduce((sum, jobs) => sum + jobs, 0) + 2;

const plain: fc.Arbitrary<GeneratedWorkflow> = fc
  .oneof(wide, deep, dag, matrix, longGroups, longIds)
  .map((shape) => ({
    shape: shape.shape,
    text: (name: string) => render(shape, name),
    called: () => ({}),
    jobs: shape.jobs.length + (hasSetup(shape) ? 1 : 0),
    cells: shape.jobs.reduce((sum, job) => sum + cellsOf(job), 0) + (hasSetup(shape) ? 1 : 0),
    stepRuns: shape.jobs.reduce((sum, job) => sum + cellsOf(job) * job.steps.length, 0) + (hasSetup(shape) ? 1 : 0),
  }));

export const workflowArbitrary: fc.Arbitrary<GeneratedWorkflow> = fc.oneof({ arbitrary: plain, weight: 6 }, { arbitrary: calls, weight: 1 }).map((shape) =>
  'text' in shape
    ? shape
    : { shape: 'call', text: (name: string) => renderCaller(shape, name), called: (name: string) => renderCalled(shape, name), jobs: callJobs(shape), cells: callJobs(shape), stepRuns: callJobs(shape) },
);

const calledPath = (name: string, level: number): string => `.github/workflows/${name}-level-${level}.yml`;

function renderCaller(call: CallShape, name: string): string {
  const values = Array.from({ length: call.cells }, (_, cell) => `c${cell}`);
  const workflow = {
    name,
    on: { workflow_dispatch: null },
    jobs: {
      setup: { outputs: { tag: '${{ steps.t.outputs.tag }}' }, steps: [{ id: 't', run: 'echo tag=t1 >> "$GITHUB_OUTPUT"' }] },
      call: {
        needs: 'setup',
        ...(call.cells > 1 ? { strategy: { 'fail-fast': false, matrix: { cell: values } } } : {}),
        uses: `./${calledPath(name, 0)}`,
        with: { tag: call.cells > 1 ? '${{ needs.setup.outputs.tag }}-${{ matrix.cell }}' : '${{ needs.setup.outputs.tag }}' },
        secrets: 'inherit',
      },
      after: { needs: 'call', if: "needs.call.result == 'success'", steps: [{ run: 'test -n "$OUT"', env: { OUT: '${{ needs.call.outputs.out }}' } }] },
    },
  };
  return stringify(workflow, { lineWidth: 0 });
}

/** Level n: a chain of jobs, the first writing the output `out` from the input `tag`; then a job calling level n + 1 (if any). */
function renderCalled(call: CallShape, name: string): Record<string, string> {
  const files: Record<string, string> = {};
  call.levels.forEach((count, level) => {
    const jobs: Record<string, unknown> = {};
    for (let job = 0; job < count; job++) {
      const body: Record<string, unknown> = job === 0 ? { outputs: { out: '${{ steps.o.outputs.out }}' } } : { needs: `job${job - 1}` };
      jobs[`job${job}`] = { ...body, steps: [job === 0 ? { id: 'o', run: 'echo "out=$TAG" >> "$GITHUB_OUTPUT"', env: { TAG: '${{ inputs.tag }}' } } : { run: 'true' }] };
    }
    if (level + 1 < call.levels.length) jobs.deeper = { needs: `job${count - 1}`, uses: `./${calledPath(name, level + 1)}`, with: { tag: '${{ inputs.tag }}' } };
    const workflow = { on: { workflow_call: { inputs: { tag: { type: 'string', required: true } }, outputs: { out: { value: '${{ jobs.job0.outputs.out }}' } } } }, jobs };
    files[calledPath(name, level)] = stringify(workflow, { lineWidth: 0 });
  });
  return files;
}

function cellsOf(job: JobSpec): number {
  return job.matrix?.dimensions.reduce((product, values) => product * values, 1) ?? 1;
}

/** Dynamic matrices read the outputs of one `setup` job that every one of them needs. */
const hasSetup = (shape: Shape): boolean => shape.jobs.some((job) => job.matrix?.dynamic !== undefined);

const dimensionsOf = (matrix: NonNullable<JobSpec['matrix']>): Record<string, string[]> =>
  Object.fromEntries(matrix.dimensions.map((values, dim) => [`d${dim}`, Array.from({ length: values }, (_v, value) => `v${value}`)]));

/** The setup job: as JSON, each whole dynamic matrix (`m<job>`) and each dimension given alone (`m<job>_d<n>`). */
function setupJob(shape: Shape): Record<string, unknown> {
  const outputs: Record<string, string> = {};
  shape.jobs.forEach((job, index) => {
    if (job.matrix?.dynamic === undefined) return;
    const dims = dimensionsOf(job.matrix);
    if (job.matrix.dynamic === 'whole') outputs[`m${index}`] = JSON.stringify(dims);
    else for (const [dim, values] of Object.entries(dims)) outputs[`m${index}_${dim}`] = JSON.stringify(values);
  });
  const script = Object.entries(outputs).map(([key, json]) => `echo '${key}=${json}' >> "$GITHUB_OUTPUT"`).join('\n');
  return { outputs: Object.fromEntries(Object.keys(outputs).map((key) => [key, `\${{ steps.list.outputs.${key} }}`])), steps: [{ id: 'list', run: script }] };
}

function render(shape: Shape, name: string): string {
  const jobIds = shape.jobs.map((_job, index) => id('job', index, shape.idLength));
  const jobs: Record<string, unknown> = {};
  if (hasSetup(shape)) jobs.setup = setupJob(shape);
  shape.jobs.forEach((job, index) => {
    const body: Record<string, unknown> = {};
    const needs = [...(job.matrix?.dynamic === undefined ? [] : ['setup']), ...job.needs.map((need) => jobIds[need])];
    if (needs.length > 0) body.needs = needs;
    if (job.matrix !== undefined) {
      const dims = dimensionsOf(job.matrix);
      const output = (key: string) => `\${{ fromJSON(needs.setup.outputs.${key}) }}`;
      const matrix =
        job.matrix.dynamic === 'whole'
          ? output(`m${index}`)
          : job.matrix.dynamic === 'per-key'
            ? Object.fromEntries(Object.keys(dims).map((dim) => [dim, output(`m${index}_${dim}`)]))
            : dims;
      body.strategy = { matrix, 'fail-fast': job.matrix.failFast, ...(job.matrix.maxParallel === undefined ? {} : { 'max-parallel': job.matrix.maxParallel }) };
      if (job.lock !== undefined) {
        // One group per cell of this workflow: no run waits on, supersedes or cancels another.
        const group = `${name}-${jobIds[index]}-${Object.keys(dims).map((dim) => `\${{ matrix.${dim} }}`).join('-')}`;
        // queue: max keeps every pending run, so it never comes with cancel-in-progress.
        body.concurrency = { group, 'cancel-in-progress': job.lock.cancel && job.lock.queue === 'single', queue: job.lock.queue, capacity: job.lock.capacity };
      }
    }
    body.steps = job.steps.map((step, stepIndex) => ({
      ...(shape.idLength > 0 ? { id: id('step', stepIndex, shape.idLength) } : {}),
      ...(step.parallel && stepIndex > 0 ? { parallel: true } : {}),
      run: 'true',
      ...(step.retries > 0 ? { retry: { 'max-attempts': step.retries + 1, 'interval-seconds': 1 } } : {}),
    }));
    jobs[jobIds[index]!] = body;
  });
  const workflow: Record<string, unknown> = { name, on: { workflow_dispatch: null } };
  if (shape.maxParallel !== undefined) workflow['max-parallel'] = shape.maxParallel;
  if (shape.workflowLock) workflow.concurrency = { group: `${name}-run` };
  workflow.jobs = jobs;
  return stringify(workflow, { lineWidth: 0 });
}
