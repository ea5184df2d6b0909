// Where a workflow's secrets and vars live in AWS: Secrets Manager and SSM Parameter Store, one
// naming scheme for both, at workflow and at environment level (an environment's value wins):
//
//   secrets  stepdeploy/<workflow>/<NAME>     stepdeploy/<workflow>/env/<environment>/<NAME>
//   vars    /stepdeploy/<workflow>/<NAME>    /stepdeploy/<workflow>/env/<environment>/<NAME>
//
// (a Parameter Store name with slashes must start with one). The prefixes can be changed with the
// cdk.json context keys `stepdeploy:secretsPrefix` and `stepdeploy:varsPrefix`, where `{workflow}`
// stands for the workflow id.

export interface StoreNames {
  /** Secrets Manager prefix of the workflow, without a trailing slash. */
  readonly secrets: string;
  /** Parameter Store prefix of the workflow, without a trailing slash. */
  readonly parameters: string;
}

export const SECRETS_PREFIX_CONTEXT = 'stepdeploy:secretsPrefix';
export const VARS_PREFIX_CONTEXT = 'stepdeploy:varsPrefix';
const defaultSecretsPrefix = 'stepdeploy/{workflow}';
const defaultVarsPrefix = '/stepdeploy/{workflow}';

/** The prefixes of one workflow; `overrides` are the cdk.json context values (with `{workflow}`). */
export function storeNames(workflowId: string, overrides: { readonly secrets?: string; readonly parameters?: string } = {}): StoreNames {
  const fill = (pattern: string): string => pattern.replaceAll('{workflow}', workflowId).replace(/\/+$/, '');
  return { secrets: fill(overrides.secrets ?? defaultSecretsPrefix), parameters: fill(overrides.parameters ?? defaultVarsPrefix) };
}

/** The names to look a value up under, most specific first: the environment's, then the workflow's. */
export function lookupNames(prefix: string, name: string, environment: string | undefined): string[] {
  const own = `${prefix}/${name}`;
  return environment === undefined ? [own] : [`${prefix}/env/${environment}/${name}`, own];
}
