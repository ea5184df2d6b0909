// The keys allowed at each place of a workflow file, and the GitHub Actions keys stepdeploy rejects
// on purpose (with the reason and what to do instead). schema/workflow.schema.json is tested against
// these tables so the two cannot drift.

export const allowedKeys = {
  workflow: ['name', 'on', 'env', 'concurrency', 'max-parallel', 'jobs'],
  events: ['workflow_dispatch', 'push', 'schedule'],
  workflowDispatch: ['inputs'],
  input: ['description', 'type', 'required', 'default', 'options'],
  push: ['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore'],
  schedule: ['cron'],
  concurrency: ['group', 'cancel-in-progress', 'queue', 'capacity'],
  job: ['name', 'needs', 'if', 'strategy', 'concurrency', 'environment', 'continue-on-error', 'timeout-minutes', 'env', 'outputs', 'steps'],
  environment: ['name', 'url'],
  strategy: ['matrix', 'fail-fast', 'max-parallel'],
  step: [
    'id', 'name', 'if', 'run', 'uses', 'with', 'shell', 'working-directory', 'env',
    'continue-on-error', 'timeout-minutes', 'parallel', 'retry',
  ],
  lambdaWith: ['function', 'payload'],
  retry: ['max-attempts', 'interval-seconds', 'backoff-rate'],
  /** The protection-rules file next to the workflows (lib/model/environments.ts). */
  rulesFile: ['github-token', 'environments'],
  environmentRules: ['required-reviewers', 'wait-timer', 'branches', 'tags'],
} as const satisfies Record<string, readonly string[]>;

export type KeyPlace = keyof typeof allowedKeys;

const runsElsewhere = "run steps execute in stepdeploy's CodeBuild project (AWS) or as local child processes";

/** GitHub Actions keys with a reason why stepdeploy does not support them. */
export const unsupportedKeys: Partial<Record<KeyPlace, Readonly<Record<string, string>>>> = {
  workflow: {
    'run-name': 'executions are named by stepdeploy (the API or console start names them)',
    permissions: "the state machine's IAM permissions come from the CDK construct, not the workflow file",
    defaults: 'steps always run with bash; set working-directory on each step instead',
  },
  job: {
    'runs-on': runsElsewhere,
    services: `service containers are not available: ${runsElsewhere}`,
    container: `job containers are not available: ${runsElsewhere}`,
    permissions: "the state machine's IAM permissions come from the CDK construct, not the workflow file",
    defaults: 'steps always run with bash; set working-directory on each step instead',
    secrets: 'reusable workflows are not available; reference secrets.<NAME> in the steps that need them',
    uses: 'reusable workflows are not available; copy the jobs into this workflow',
    with: 'reusable workflows are not available; copy the jobs into this workflow',
  },
};

/** GitHub's trigger events; those not in allowedKeys.events are rejected as unsupported, not unknown. */
export const githubEvents = [
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status',
  'discussion', 'discussion_comment', 'fork', 'gollum', 'issue_comment', 'issues', 'label', 'merge_group',
  'milestone', 'page_build', 'public', 'pull_request', 'pull_request_review', 'pull_request_review_comment',
  'pull_request_target', 'push', 'registry_package', 'release', 'repository_dispatch', 'schedule', 'status',
  'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run',
] as const;

export const unsupportedEventReason =
  'stepdeploy starts from workflow_dispatch (console or API), push (GitHub webhook) or schedule';

export const inputTypes = ['string', 'boolean', 'number', 'choice', 'environment'] as const;
export const queueModes = ['single', 'max'] as const;

/** The only action a step may use. */
export const lambdaAction = 'aws/lambda';
