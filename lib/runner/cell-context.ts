// What a runner knows about its cell that expressions and GitHub's default variables read: the run's
// github context (the start runner's STEPDEPLOY_GITHUB), the job id and the runner's own folders and
// machine. One place computes them for CodeBuild and the local engine alike.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateTemplate, ExpressionError, toDisplayString } from '../expressions';
import type { GithubRunContext } from '../runtime/github-context';
import { githubEnvironment, githubFromRunnerVariable, runnerArch, runnerContext, type RunnerDescription } from '../runtime/github-environment';
import { GITHUB_VARIABLE } from '../asl/runner-context-seams';
import { RunnerVariables, type RunnerIdentity } from './identity';

export interface CellContext {
  readonly github: GithubRunContext;
  /** The job's id (GITHUB_JOB, github.job). */
  readonly job: string;
  readonly runner: RunnerDescription;
}

/** The step a context is for: GITHUB_ACTION / github.action and its file commands. */
export interface StepFacts {
  readonly step: string;
  readonly envFile: string;
  readonly pathFile: string;
}

/** Makes the runner's temp and tool folders under `root` and reads the run's github context from `env`. */
export async function createCellContext(env: Readonly<Record<string, string | undefined>>, identity: RunnerIdentity, root: string): Promise<CellContext> {
  const temp = join(root, 'temp');
  const toolCache = join(root, 'tool-cache');
  await Promise.all([mkdir(temp, { recursive: true }), mkdir(toolCache, { recursive: true })]);
  return {
    github: githubFromRunnerVariable(env[GITHUB_VARIABLE]),
    job: env[RunnerVariables.jobId] ?? identity.job,
    runner: { name: identity.buildId, arch: runnerArch(process.arch), workspace: identity.workspace, temp, toolCache },
  };
}

/** GitHub's default variables of every step of the cell (CI, GITHUB_*, RUNNER_*), without the per-step ones. */
export function cellVariables(cell: CellContext): Record<string, string> {
  return githubEnvironment(cell.github, cell.job, cell.runner);
}

/** The per-step variables GitHub sets besides the file commands. */
export function stepVariables(step: StepFacts): Record<string, string> {
  return { GITHUB_ACTION: step.step };
}

/** The contexts a runner-evaluated expression reads (lib/model/runner-side.ts): github (without event) and runner. */
export function runnerSideContexts(cell: CellContext, step: StepFacts): Record<string, unknown> {
  return {
    github: { ...cell.github, job: cell.job, workspace: cell.runner.workspace, env: step.envFile, path: step.pathFile, action: step.step },
    runner: runnerContext(cell.runner),
  };
}

export class RunnerExpressionError extends Error {
  override readonly name = 'RunnerExpressionError';
}

/** Evaluates the step's runner-side env templates; a failure names the variable and the template. */
export function evaluateRunnerEnv(templates: Readonly<Record<string, string>>, contexts: Record<string, unknown>): { Name: string; Value: string }[] {
  return Object.entries(templates).map(([name, template]) => {
    try {
      return { Name: name, Value: toDisplayString(evaluateTemplate(template, { contexts })) };
    } catch (error) {
      if (error instanceof ExpressionError) throw new RunnerExpressionError(`${name}: ${error.message} in '${template}'`);
      throw error;
    }
  });
}
