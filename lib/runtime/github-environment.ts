// GitHub's default environment variables of a job cell's steps (`GITHUB_*`, `RUNNER_*`, `CI`), from
// the run's github context, the job and the runner's own folders. Pure: the job runner sets these for
// every step, with the per-step files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY)
// and GITHUB_ACTION on top (lib/runner). The README lists what GitHub sets that is not set here.

import { constantRunnerContext } from '../model/github-context';
import type { GithubRunContext } from './github-context';

/** What the runner knows about itself. */
export interface RunnerDescription {
  /** CodeBuild's build id in AWS, `stepdeploy-local` locally. */
  readonly name: string;
  readonly arch: 'X64' | 'ARM64';
  /** The cell's workspace ($GITHUB_WORKSPACE) and the runner's temp and tool folders. */
  readonly workspace: string;
  readonly temp: string;
  readonly toolCache: string;
}

/** `process.arch` / CodeBuild's environment type → GitHub's RUNNER_ARCH. */
export function runnerArch(arch: string): 'X64' | 'ARM64' {
  return arch === 'arm64' || arch.startsWith('ARM') ? 'ARM64' : 'X64';
}

/** The variables for every step of the cell. `job` is the job id. */
export function githubEnvironment(github: GithubRunContext, job: string, runner: RunnerDescription): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: github.actor,
    GITHUB_API_URL: github.api_url,
    GITHUB_BASE_REF: github.base_ref,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_GRAPHQL_URL: github.graphql_url,
    GITHUB_HEAD_REF: github.head_ref,
    GITHUB_JOB: job,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_REF_PROTECTED: String(github.ref_protected),
    GITHUB_REF_TYPE: github.ref_type,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_RETENTION_DAYS: String(github.retention_days),
    GITHUB_RUN_ATTEMPT: String(github.run_attempt),
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_NUMBER: String(github.run_number),
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_SHA: github.sha,
    GITHUB_TRIGGERING_ACTOR: github.triggering_actor,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_WORKFLOW_SHA: github.workflow_sha,
    GITHUB_WORKSPACE: runner.workspace,
    RUNNER_ARCH: runner.arch,
    RUNNER_ENVIRONMENT: constantRunnerContext.environment!,
    RUNNER_NAME: runner.name,
    RUNNER_OS: constantRunnerContext.os!,
    RUNNER_TEMP: runner.temp,
    RUNNER_TOOL_CACHE: runner.toolCache,
  };
}

/** The `runner` context of a cell, as expressions read it. */
export function runnerContext(runner: RunnerDescription): Record<string, string> {
  return { ...constantRunnerContext, name: runner.name, arch: runner.arch, temp: runner.temp, tool_cache: runner.toolCache };
}

/**
 * The run's github context from the runner's `STEPDEPLOY_GITHUB` variable (the start runner passes
 * `run.github` as JSON); a missing or malformed value is a wiring bug, said plainly.
 */
export function githubFromRunnerVariable(value: string | undefined): GithubRunContext {
  if (value === undefined) throw new Error('STEPDEPLOY_GITHUB is not set: the start runner state passes the run’s github context');
  const parsed = JSON.parse(value) as unknown;
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { sha?: unknown }).sha !== 'string') {
    throw new Error(`STEPDEPLOY_GITHUB is not a github context: ${value.slice(0, 200)}`);
  }
  return parsed as GithubRunContext;
}
