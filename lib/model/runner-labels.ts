// `runs-on` labels → the CodeBuild environment a job cell's runner gets. Pure data and lookups: the
// validator checks labels against this table, the constructs and the runner use the result for
// StartBuild's imageOverride / computeTypeOverride / environmentTypeOverride.
// Users add or replace labels in cdk.json context `stepdeploy:runnerLabels` (lib/model/project-config.ts).

export type EnvironmentType = 'LINUX_CONTAINER' | 'ARM_CONTAINER' | 'LINUX_LAMBDA_CONTAINER' | 'ARM_LAMBDA_CONTAINER';

export const environmentTypes: readonly EnvironmentType[] = ['LINUX_CONTAINER', 'ARM_CONTAINER', 'LINUX_LAMBDA_CONTAINER', 'ARM_LAMBDA_CONTAINER'];

/** What one StartBuild needs to pick a runner. */
export interface RunnerEnvironment {
  readonly image: string;
  readonly computeType: string;
  readonly environmentType: EnvironmentType;
}

/** A label sets some of the environment's fields; the labels of one `runs-on` together set them all (or the defaults do). */
export type RunnerLabel = Partial<RunnerEnvironment>;

export type RunnerLabelTable = Readonly<Record<string, RunnerLabel>>;

/** CodeBuild's newest curated standard images. Ubuntu: CodeBuild's newest is Ubuntu 22.04; ARM images are Amazon Linux 2023. */
export const codeBuildImages = {
  ubuntu: 'aws/codebuild/standard:7.0',
  arm: 'aws/codebuild/amazonlinux-aarch64-standard:3.0',
  lambda: 'aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs22',
  lambdaArm: 'aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs22',
} as const;

const ubuntu: RunnerLabel = { image: codeBuildImages.ubuntu, environmentType: 'LINUX_CONTAINER' };
const arm: RunnerLabel = { image: codeBuildImages.arm, environmentType: 'ARM_CONTAINER' };

/** The labels every project knows; `stepdeploy:runnerLabels` adds to (or replaces entries of) this table. */
export const defaultRunnerLabels: RunnerLabelTable = {
  'ubuntu-latest': ubuntu,
  'ubuntu-24.04': ubuntu,
  'ubuntu-22.04': ubuntu,
  'ubuntu-latest-arm': arm,
  'ubuntu-24.04-arm': arm,
  'ubuntu-22.04-arm': arm,
  linux: ubuntu,
  x64: { environmentType: 'LINUX_CONTAINER' },
  arm64: { environmentType: 'ARM_CONTAINER' },
  'stepdeploy-small': { computeType: 'BUILD_GENERAL1_SMALL' },
  'stepdeploy-medium': { computeType: 'BUILD_GENERAL1_MEDIUM' },
  'stepdeploy-large': { computeType: 'BUILD_GENERAL1_LARGE' },
  'stepdeploy-xlarge': { computeType: 'BUILD_GENERAL1_XLARGE' },
  // CodeBuild on Lambda starts in seconds (EC2 compute takes tens of seconds): the choice for small jobs.
  lambda: { image: codeBuildImages.lambda, computeType: 'BUILD_LAMBDA_2GB', environmentType: 'LINUX_LAMBDA_CONTAINER' },
  'lambda-arm': { image: codeBuildImages.lambdaArm, computeType: 'BUILD_LAMBDA_2GB', environmentType: 'ARM_LAMBDA_CONTAINER' },
};

/** A job without `runs-on`, and the fields no label of a `runs-on` sets. */
export const defaultRunnerEnvironment: RunnerEnvironment = {
  image: codeBuildImages.ubuntu,
  computeType: 'BUILD_GENERAL1_SMALL',
  environmentType: 'LINUX_CONTAINER',
};

/** The default table with the project's labels over it. */
export function runnerLabelTable(extension: RunnerLabelTable = {}): RunnerLabelTable {
  return { ...defaultRunnerLabels, ...extension };
}

/** Labels match case-insensitively, as on GitHub. */
export function findLabel(table: RunnerLabelTable, label: string): RunnerLabel | undefined {
  const lower = label.toLowerCase();
  const key = Object.keys(table).find((name) => name.toLowerCase() === lower);
  return key === undefined ? undefined : table[key];
}

export type RunnerLookup =
  | { readonly ok: true; readonly environment: RunnerEnvironment }
  | { readonly ok: false; readonly reason: string };

/**
 * The environment for a set of labels: each label sets its fields, two labels may not set one field
 * differently, and what no label sets comes from the default (Ubuntu x86, small). An ARM or Lambda
 * environment type without an image of its own gets that type's curated image.
 */
export function lookUpRunner(labels: readonly string[], table: RunnerLabelTable): RunnerLookup {
  const chosen: { -readonly [K in keyof RunnerEnvironment]?: { value: RunnerEnvironment[K]; label: string } } = {};
  for (const label of labels) {
    const entry = findLabel(table, label);
    if (entry === undefined) return { ok: false, reason: `unknown runner label '${label}' (known labels: ${Object.keys(table).join(', ')})` };
    for (const field of ['image', 'computeType', 'environmentType'] as const) {
      const value = entry[field];
      if (value === undefined) continue;
      const earlier = chosen[field];
      if (earlier !== undefined && earlier.value !== value) {
        return { ok: false, reason: `labels '${earlier.label}' and '${label}' choose different ${fieldNames[field]}s ('${earlier.value}', '${value}')` };
      }
      (chosen as Record<string, { value: string; label: string }>)[field] = { value, label };
    }
  }
  const environmentType = chosen.environmentType?.value ?? defaultRunnerEnvironment.environmentType;
  const environment: RunnerEnvironment = {
    image: chosen.image?.value ?? imageFor(environmentType),
    computeType: chosen.computeType?.value ?? computeTypeFor(environmentType),
    environmentType,
  };
  const mismatch = compatibilityProblem(environment);
  return mismatch === undefined ? { ok: true, environment } : { ok: false, reason: `labels ${labels.map((label) => `'${label}'`).join(', ')}: ${mismatch}` };
}

/** The environment for labels the validator accepted (throws otherwise: a bug, never user input). */
export function runnerEnvironmentFor(labels: readonly string[], table: RunnerLabelTable): RunnerEnvironment {
  const found = lookUpRunner(labels, table);
  if (!found.ok) throw new Error(`runs-on: ${found.reason}`);
  return found.environment;
}

/** A `runs-on` expression and the environment of every label list it may give, keyed by labelsKey(labels). */
export interface RunnerChoice {
  readonly expression: string;
  readonly environments: Readonly<Record<string, RunnerEnvironment>>;
}

/** A label list as one key (labels compare case-insensitively): how a `runs-on` expression's value finds its environment. */
export function labelsKey(labels: readonly string[]): string {
  return JSON.stringify(labels.map((label) => label.toLowerCase()));
}

const fieldNames = { image: 'image', computeType: 'compute type', environmentType: 'environment type' } as const;

function isLambda(type: EnvironmentType): boolean {
  return type === 'LINUX_LAMBDA_CONTAINER' || type === 'ARM_LAMBDA_CONTAINER';
}

function imageFor(type: EnvironmentType): string {
  if (type === 'ARM_CONTAINER') return codeBuildImages.arm;
  if (type === 'LINUX_LAMBDA_CONTAINER') return codeBuildImages.lambda;
  if (type === 'ARM_LAMBDA_CONTAINER') return codeBuildImages.lambdaArm;
  return codeBuildImages.ubuntu;
}

function computeTypeFor(type: EnvironmentType): string {
  return isLambda(type) ? 'BUILD_LAMBDA_2GB' : defaultRunnerEnvironment.computeType;
}

/** CodeBuild refuses Lambda compute types on container environments and the other way round. */
function compatibilityProblem({ computeType, environmentType }: RunnerEnvironment): string | undefined {
  const lambdaCompute = computeType.startsWith('BUILD_LAMBDA_');
  if (lambdaCompute === isLambda(environmentType)) return undefined;
  return `compute type '${computeType}' does not run environment type '${environmentType}' (Lambda compute types need a Lambda environment type and the other way round)`;
}
