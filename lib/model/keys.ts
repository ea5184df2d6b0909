// The keys allowed at each place of a workflow file, and the GitHub Actions keys stepdeploy rejects
// on purpose (with the reason and what to do instead). schema/workflow.schema.json is tested against
// these tables so the two cannot drift.

export const allowedKeys = {
  workflow: ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'max-parallel', 'jobs'],
  events: ['workflow_dispatch', 'push', 'schedule', 'pull_request', 'pull_request_target', 'release', 'repository_dispatch', 'workflow_run', 'workflow_call'],
  workflowDispatch: ['inputs'],
  input: ['description', 'type', 'required', 'default', 'options'],
  workflowCall: ['inputs', 'secrets', 'outputs'],
  callInput: ['description', 'type', 'required', 'default'],
  callSecret: ['description', 'required'],
  callOutput: ['description', 'value'],
  push: ['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore'],
  schedule: ['cron'],
  pullRequest: ['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore'],
  activityTypes: ['types'],
  workflowRun: ['workflows', 'types', 'branches', 'branches-ignore'],
  concurrency: ['group', 'cancel-in-progress', 'queue', 'capacity'],
  job: [
    'name', 'runs-on', 'permissions', 'needs', 'if', 'strategy', 'concurrency', 'environment', 'continue-on-error', 'timeout-minutes', 'env',
    'defaults', 'outputs', 'steps', 'uses', 'with', 'secrets',
  ],
  defaults: ['run'],
  defaultsRun: ['shell', 'working-directory'],
  runsOn: ['labels'],
  environment: ['name', 'url'],
  strategy: ['matrix', 'fail-fast', 'max-parallel', 'max-cells'],
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
  job: {
    services: `service containers are not available: ${runsElsewhere}`,
    container: `job containers are not available: ${runsElsewhere}`,
  },
  runsOn: {
    group: 'runner groups are GitHub-hosted; a job runs on a CodeBuild runner chosen by its labels',
  },
};

/** The keys of a job that calls a reusable workflow (GitHub's list). */
export const callJobKeys = ['name', 'uses', 'with', 'secrets', 'needs', 'if', 'permissions', 'strategy', 'concurrency'] as const;

/** GitHub's input types of `on.workflow_call.inputs`. */
export const callInputTypes = ['string', 'number', 'boolean'] as const;

/** GitHub's trigger events; those not in allowedKeys.events are rejected as unsupported, not unknown. */
export const githubEvents = [
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status',
  'discussion', 'discussion_comment', 'fork', 'gollum', 'issue_comment', 'issues', 'label', 'merge_group',
  'milestone', 'page_build', 'public', 'pull_request', 'pull_request_review', 'pull_request_review_comment',
  'pull_request_target', 'push', 'registry_package', 'release', 'repository_dispatch', 'schedule', 'status',
  'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run',
] as const;

export const unsupportedEventReason =
  'stepdeploy starts from workflow_dispatch (console or API), schedule, workflow_run, or the GitHub webhook events push, pull_request, pull_request_target, release and repository_dispatch (and workflow_call, when another workflow calls it)';

/** GitHub's activity types of each activity event (what `types:` may list); repository_dispatch takes any. */
export const activityTypes = {
  pull_request: [
    'assigned', 'unassigned', 'labeled', 'unlabeled', 'opened', 'edited', 'closed', 'reopened', 'synchronize',
    'converted_to_draft', 'ready_for_review', 'locked', 'unlocked', 'review_requested', 'review_request_removed',
    'auto_merge_enabled', 'auto_merge_disabled', 'milestoned', 'demilestoned', 'enqueued', 'dequeued',
  ],
  release: ['published', 'unpublished', 'created', 'edited', 'deleted', 'prereleased', 'released'],
  workflow_run: ['completed', 'requested', 'in_progress'],
} as const;

/** GitHub's default types of a pull_request(_target) trigger without `types`. */
export const defaultPullRequestTypes = ['opened', 'synchronize', 'reopened'] as const;

export const inputTypes = ['string', 'boolean', 'number', 'choice', 'environment'] as const;
export const queueModes = ['single', 'max'] as const;

/** The Lambda action (`uses: aws/lambda`). */
export const lambdaAction = 'aws/lambda';

/** `uses: actions/checkout@<any ref>`: the runner's checkout of the run's commit. */
export const checkoutAction = 'actions/checkout';

/** A remote action like any other, whose `role-to-assume` the runner role is granted (lib/constructs/assumed-roles.ts). */
export const configureAwsCredentialsAction = 'aws-actions/configure-aws-credentials';

/** GitHub's `permissions:` scopes and the values each takes. */
export const permissionScopes: Readonly<Record<string, readonly string[]>> = {
  actions: ['read', 'write', 'none'],
  attestations: ['read', 'write', 'none'],
  checks: ['read', 'write', 'none'],
  contents: ['read', 'write', 'none'],
  deployments: ['read', 'write', 'none'],
  discussions: ['read', 'write', 'none'],
  'id-token': ['write', 'none'],
  issues: ['read', 'write', 'none'],
  models: ['read', 'none'],
  packages: ['read', 'write', 'none'],
  pages: ['read', 'write', 'none'],
  'pull-requests': ['read', 'write', 'none'],
  'repository-projects': ['read', 'write', 'none'],
  'security-events': ['read', 'write', 'none'],
  statuses: ['read', 'write', 'none'],
};
