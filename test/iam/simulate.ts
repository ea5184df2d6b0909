// Evaluates calls against a role's identity policies with an offline IAM policy simulator
// (@cloud-copilot/iam-simulate): the same evaluation logic as AWS (explicit deny, allow, implicit deny).
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { LOCAL_ACCOUNT } from '../../lib/local/local-arns';
import { UNMAPPED, type AwsCall } from '../../lib/local/aws-calls';
import { rolePolicies, type RoleStatement, type Template } from './policies';
import { serviceCalls } from './service-calls';

export interface Verdict {
  readonly call: AwsCall;
  /** `Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`, or why it could not be evaluated. */
  readonly result: string;
}

/** Calls that IAM decides alike: the same role, action and resource, partition keys of the same kind (`lock#…`). */
export const callKey = (call: AwsCall): string => {
  const keys = call.context?.['dynamodb:LeadingKeys'];
  const kinds = keys === undefined ? '' : ` keys ${[...new Set([keys].flat().map((key) => key.replace(/#.*$/s, '#…')))].sort().join(',')}`;
  return `${call.role} ${call.action} ${call.resource}${kinds}`;
};

/** One entry per distinct (role, action, resource), in a stable order. */
export function distinctCalls(calls: Iterable<AwsCall>): AwsCall[] {
  const byKey = new Map<string, AwsCall>();
  for (const call of calls) if (!byKey.has(callKey(call))) byKey.set(callKey(call), call);
  return [...byKey.values()].sort((a, b) => callKey(a).localeCompare(callKey(b)));
}

export async function evaluateCall(call: AwsCall, statements: readonly RoleStatement[]): Promise<string> {
  if (call.action === UNMAPPED || call.resource === UNMAPPED || call.resource === '') return `not evaluated: no IAM form known for this call`;
  const response = await runSimulation(
    {
      identityPolicies: [{ name: call.role, policy: { Version: '2012-10-17', Statement: statements.map((entry) => entry.statement) } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: call.action,
        principal: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${call.role}`,
        resource: { accountId: LOCAL_ACCOUNT, resource: call.resource },
        contextVariables: Object.fromEntries(Object.entries(call.context ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : [...value]])),
      },
    },
    {},
  );
  if (response.resultType === 'error') return `not evaluated: ${JSON.stringify(response.errors)}`;
  return response.overallResult;
}

export async function evaluateCalls(calls: readonly AwsCall[], roles: ReturnType<typeof rolePolicies>): Promise<Verdict[]> {
  return Promise.all(
    calls.map(async (call) => {
      const role = roles.get(call.role);
      return { call, result: role === undefined ? `not evaluated: role '${call.role}' is not in the template` : await evaluateCall(call, role.statements) };
    }),
  );
}

/** The recorded calls plus what services call on the roles' behalf, each evaluated once. */
export async function checkTemplateIam(template: Template, recorded: Iterable<AwsCall>): Promise<{ verdicts: Verdict[]; denied: Verdict[] }> {
  const verdicts = await evaluateCalls(distinctCalls([...recorded, ...serviceCalls(template)]), rolePolicies(template));
  return { verdicts, denied: verdicts.filter((verdict) => verdict.result !== 'Allowed') };
}

export const formatVerdict = ({ call, result }: Verdict): string => `${callKey(call)} (${call.by}): ${result}`;
