import { describe, expect, it } from 'vitest';
import { githubRunContext } from '../../lib/runtime/github-context';
import { githubEnvironment, githubFromRunnerVariable, runnerArch, runnerContext } from '../../lib/runtime/github-environment';

const sha = 'd'.repeat(40);
const push = { trigger: 'push', ref: 'refs/heads/main', after: sha, repository: 'acme/site', pusher: { name: 'grace' } };
const github = githubRunContext({ event: push, source: {}, workflowName: 'Deploy', executionName: 'delivery-1' });
const runner = { name: 'stepdeploy-local', arch: 'ARM64' as const, workspace: '/w/ws', temp: '/w/tmp', toolCache: '/w/tools' };

describe('githubEnvironment', () => {
  it("sets GitHub's default variables of a step from the run, the job and the runner", () => {
    expect(githubEnvironment(github, 'deploy', runner)).toEqual({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: 'grace',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_BASE_REF: '',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
      GITHUB_HEAD_REF: '',
      GITHUB_JOB: 'deploy',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_PROTECTED: 'false',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_REPOSITORY: 'acme/site',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_RETENTION_DAYS: '90',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_ID: 'delivery-1',
      GITHUB_RUN_NUMBER: '1',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: sha,
      GITHUB_TRIGGERING_ACTOR: 'grace',
      GITHUB_WORKFLOW: 'Deploy',
      GITHUB_WORKFLOW_SHA: sha,
      GITHUB_WORKSPACE: '/w/ws',
      RUNNER_ARCH: 'ARM64',
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_NAME: 'stepdeploy-local',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: '/w/tmp',
      RUNNER_TOOL_CACHE: '/w/tools',
    });
  });

  it('gives the runner context and maps architectures', () => {
    expect(runnerContext(runner)).toEqual({ name: 'stepdeploy-local', os: 'Linux', arch: 'ARM64', temp: '/w/tmp', tool_cache: '/w/tools', environment: 'self-hosted', debug: '' });
    expect([runnerArch('x64'), runnerArch('arm64'), runnerArch('ARM_CONTAINER'), runnerArch('LINUX_LAMBDA_CONTAINER')]).toEqual(['X64', 'ARM64', 'ARM64', 'X64']);
  });
});

describe('githubFromRunnerVariable', () => {
  it('reads the run’s github context the start runner passed, and says plainly when it is missing', () => {
    expect(githubFromRunnerVariable(JSON.stringify(github))).toEqual(github);
    expect(() => githubFromRunnerVariable(undefined)).toThrow('STEPDEPLOY_GITHUB is not set: the start runner state passes the run’s github context');
    expect(() => githubFromRunnerVariable('{"ref":"x"}')).toThrow('STEPDEPLOY_GITHUB is not a github context: {"ref":"x"}');
  });
});
