// The fields of GitHub's `github` and `runner` contexts: which ones a run fills (lib/runtime/github-context.ts)
// and why the others are not there. The validator reports a field that is not filled, with the reason,
// instead of letting it evaluate to an empty string; the README's table is this list.

/** Supported fields: what the value is here. */
export const githubFields: Readonly<Record<string, string>> = {
  sha: 'the commit the run checks out: the pushed SHA, `--ref`, or HEAD of the working copy',
  ref: 'refs/heads/<branch> or refs/tags/<tag> of that commit',
  ref_name: 'the branch or tag name',
  ref_type: 'branch or tag',
  repository: 'owner/name',
  repository_owner: 'the owner part of repository',
  actor: 'who started the run: the pusher; for other starts `source.actor` of the execution input (`stepdeploy run` and `start`: the local user), else empty',
  triggering_actor: 'same as actor',
  event_name: 'push, schedule or workflow_dispatch (API, console, `stepdeploy run`)',
  event: 'the trigger payload: the push detail for a push (ref, before, after, repository, pusher, headCommit), else the execution input’s event',
  run_id: 'the execution name (unique per state machine)',
  run_number: '1: Step Functions keeps no per-workflow counter',
  run_attempt: '1: an execution is never re-run in place',
  workflow: 'the workflow name',
  workflow_sha: 'same as sha',
  job: 'the job id',
  server_url: 'https://github.com',
  api_url: 'https://api.github.com',
  graphql_url: 'https://api.github.com/graphql',
  workspace: 'the job cell runner’s workspace folder ($GITHUB_WORKSPACE)',
  head_ref: "a pull request's head branch; '' for other events",
  base_ref: "a pull request's base branch; '' for other events",
  env: 'the $GITHUB_ENV file of the step',
  path: 'the $GITHUB_PATH file of the step',
  retention_days: '90, as GitHub’s default (nothing is uploaded here)',
  ref_protected: 'false: branch protection is not looked up',
  action: "the step's id (`step-<n>` for a step without one; GitHub says `__run`)",
};

/** GitHub fields that a run does not fill, with the reason. */
export const unsupportedGithubFields: Readonly<Record<string, string>> = {
  token: 'no GitHub token is minted: a step may do what its runner’s IAM role allows',
  repository_id: 'the numeric repository id is not known to the CodeConnections source or a local repository',
  repository_owner_id: 'numeric owner ids are not known here',
  actor_id: 'numeric user ids are not known here',
  repositoryUrl: 'use server_url and repository',
  workflow_ref: 'a deployed workflow is a state machine, not a file at a path of the repository',
  secret_source: 'secrets are not available in expressions here',
  event_path: 'the runner is not given the trigger payload as a file; read github.event in an expression',
  action_path: 'only JavaScript and composite actions have one (not available)',
  action_ref: 'only actions have one (not available)',
  action_repository: 'only actions have one (not available)',
  action_status: 'only composite actions have one (not available)',
};

/** `runner` context fields: all filled. */
export const runnerFields: Readonly<Record<string, string>> = {
  name: 'the runner’s name: its CodeBuild build id (`<project>:<uuid>`; locally the engine’s build id of the same shape)',
  os: 'Linux',
  arch: 'X64 or ARM64: the runner’s machine (the runs-on image in AWS, the local machine locally)',
  temp: 'a folder of its own for every job cell ($RUNNER_TEMP)',
  tool_cache: 'a folder for tools ($RUNNER_TOOL_CACHE), empty on a fresh runner',
  environment: "'self-hosted': GitHub's word for every runner it does not host (CodeBuild's own GitHub Actions runners register as self-hosted too)",
  debug: "'' (no debug logging mode)",
};

/** github fields that only the job cell's runner knows (its folders and files). */
export const githubRunnerFields: readonly string[] = ['workspace', 'env', 'path', 'action'];

/** runner fields that only the runner knows; `os`, `environment` and `debug` are the same on every runner. */
export const runnerOnlyRunnerFields: readonly string[] = ['name', 'arch', 'temp', 'tool_cache'];

/** The runner fields every runner has alike: any expression may read them (the evaluate function too). */
export const constantRunnerContext: Readonly<Record<string, string>> = { os: 'Linux', environment: 'self-hosted', debug: '' };
