// The `stepdeploy:*` context keys of cdk.json other than the runner labels, and their rules, in one
// place: loading a workflow checks the cdk.json above it with them (a mistake is a located
// `invalid-project-config` problem of `validate`, `run` and `dev`, not an error in the middle of a
// synthesis), and the constructs read the same keys with the same rules (values given with
// `cdk synth -c` reach only them).

import { SECRETS_PREFIX_CONTEXT, VARS_PREFIX_CONTEXT } from './store-names';

export const CONNECTION_CONTEXT = 'stepdeploy:connectionArn';
export const REPOSITORY_CONTEXT = 'stepdeploy:repository';
/** Names or ARNs of managed policies attached to the runner role. */
export const RUNNER_MANAGED_POLICIES = 'stepdeploy:runnerManagedPolicies';
/** ARNs (or patterns with `*`) of roles the runner may `sts:AssumeRole`, e.g. CDK's bootstrap roles. */
export const RUNNER_ASSUMABLE_ROLES = 'stepdeploy:runnerAssumableRoles';
export const HEARTBEAT_CONTEXT = 'stepdeploy:heartbeatSeconds';
export const GITHUB_API_URL_CONTEXT = 'stepdeploy:githubApiUrl';

/** A context value that breaks its rule: `at` is the key (with an index into a list), `rule` what is wrong. */
export class ContextMistake {
  constructor(
    readonly key: string,
    readonly at: string,
    readonly rule: string,
  ) {}

  /** How the constructs word it (they see the merged context, not a file). */
  get message(): string {
    return `cdk.json context ${this.at}: ${this.rule}`;
  }
}

export interface ConnectedRepository {
  readonly connectionArn: string;
  /** https://github.com/<owner>/<name> */
  readonly url: string;
}

const connectionArn = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
const repositoryUrl = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The connection and repository, both or neither. */
export function connectedRepository(arn: unknown, url: unknown): ConnectedRepository | undefined | ContextMistake {
  if (arn === undefined && url === undefined) return undefined;
  if (typeof arn !== 'string' || !connectionArn.test(arn)) {
    const rule = `expected a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>), got ${JSON.stringify(arn)}`;
    return new ContextMistake(CONNECTION_CONTEXT, CONNECTION_CONTEXT, rule);
  }
  const cleaned = typeof url === 'string' ? url.replace(/\.git$/, '').replace(/\/$/, '') : url;
  if (typeof cleaned !== 'string' || !repositoryUrl.test(cleaned)) {
    return new ContextMistake(REPOSITORY_CONTEXT, REPOSITORY_CONTEXT, `expected the repository's URL https://github.com/<owner>/<name>, got ${JSON.stringify(url)}`);
  }
  return { connectionArn: arn, url: cleaned };
}

const policyArn = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const policyName = /^[\w+=,.@/-]{1,128}$/;
const roleArn = /^arn:aws[a-z-]*:iam::(\d{12}|\*):role\/[\w+=,.@/*-]+$/;

/** A context value as a list: a JSON array from cdk.json, or a comma-separated string from `-c`. */
function contextList(key: string, value: unknown): string[] | ContextMistake {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
    return new ContextMistake(key, key, `${JSON.stringify(value)} must be a list of strings (or one comma-separated string)`);
  }
  return items;
}

/** The managed policies attached to the runner role (a name or a policy ARN each). */
export function runnerManagedPolicies(value: unknown): string[] | ContextMistake {
  const list = contextList(RUNNER_MANAGED_POLICIES, value);
  if (list instanceof ContextMistake) return list;
  const index = list.findIndex((entry) => !policyArn.test(entry) && !(policyName.test(entry) && !entry.startsWith('arn:')));
  if (index < 0) return list;
  const rule = `'${list[index]}' is neither a managed policy name (e.g. PowerUserAccess) nor a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)`;
  return new ContextMistake(RUNNER_MANAGED_POLICIES, `${RUNNER_MANAGED_POLICIES}[${index}]`, rule);
}

/** The roles the runner may assume (role ARNs, `*` allowed in the account and the name). */
export function runnerAssumableRoles(value: unknown): string[] | ContextMistake {
  const list = contextList(RUNNER_ASSUMABLE_ROLES, value);
  if (list instanceof ContextMistake) return list;
  const index = list.findIndex((entry) => !roleArn.test(entry));
  if (index < 0) return list;
  const rule = `'${list[index]}' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME; '*' may stand in ACCOUNT and NAME)`;
  return new ContextMistake(RUNNER_ASSUMABLE_ROLES, `${RUNNER_ASSUMABLE_ROLES}[${index}]`, rule);
}

/** A run step's HeartbeatSeconds: a whole number of seconds from 1 to 3600 (a string from `-c`). */
export function heartbeatSeconds(value: unknown): number | undefined | ContextMistake {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    return new ContextMistake(HEARTBEAT_CONTEXT, HEARTBEAT_CONTEXT, `${JSON.stringify(value)} must be a whole number of seconds from 1 to 3600`);
  }
  return seconds;
}

/** A text value (a name prefix, a URL): a non-empty string. */
export function contextText(key: string, value: unknown, pattern?: { readonly test: RegExp; readonly rule: string }): string | undefined | ContextMistake {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') return new ContextMistake(key, key, `${JSON.stringify(value)} must be a non-empty string`);
  if (pattern !== undefined && !pattern.test.test(value)) return new ContextMistake(key, key, `${JSON.stringify(value)} ${pattern.rule}`);
  return value;
}

export const githubApiUrl = (value: unknown): string | undefined | ContextMistake =>
  contextText(GITHUB_API_URL_CONTEXT, value, { test: /^https?:\/\/[^\s/]+(\/\S*)?$/, rule: 'must be the URL of a GitHub API (https://api.github.com, https://<host>/api/v3)' });

/** The first mistake among a cdk.json's `stepdeploy:*` context entries (the runner labels have their own reader). */
export function contextMistake(context: Readonly<Record<string, unknown>>): ContextMistake | undefined {
  const results: unknown[] = [
    connectedRepository(context[CONNECTION_CONTEXT], context[REPOSITORY_CONTEXT]),
    runnerManagedPolicies(context[RUNNER_MANAGED_POLICIES]),
    runnerAssumableRoles(context[RUNNER_ASSUMABLE_ROLES]),
    heartbeatSeconds(context[HEARTBEAT_CONTEXT]),
    githubApiUrl(context[GITHUB_API_URL_CONTEXT]),
    contextText(SECRETS_PREFIX_CONTEXT, context[SECRETS_PREFIX_CONTEXT]),
    contextText(VARS_PREFIX_CONTEXT, context[VARS_PREFIX_CONTEXT]),
  ];
  return results.find((result): result is ContextMistake => result instanceof ContextMistake);
}
