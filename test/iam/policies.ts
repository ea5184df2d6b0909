// The identity policies of every role a synthesized template makes, resolved to the local account's
// ARNs (the same resolution the local engine gives the resources the calls name).
import { resolveIntrinsics } from '../../lib/local/intrinsics';
import { templateScope } from '../../lib/local/template';

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface RoleStatement {
  /** The policy's logical id (or `<role>.Policies[i]` for an inline one). */
  readonly policy: string;
  readonly index: number;
  readonly statement: IamStatement;
}

export interface RolePolicies {
  readonly statements: readonly RoleStatement[];
  /** Managed policies the template attaches (their contents are not in the template). */
  readonly managedPolicyArns: readonly string[];
}

export interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as { Ref?: unknown }).Ref === 'string' ? (value as { Ref: string }).Ref : undefined;

/** Role logical id → its statements, one entry per role the template makes. */
export function rolePolicies(template: Template): Map<string, RolePolicies> {
  const scope = templateScope(template);
  const roles = new Map<string, { statements: RoleStatement[]; managedPolicyArns: string[] }>();
  const resolve = (value: unknown, where: string): unknown => resolveIntrinsics(value, scope, where, 'Properties');
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const properties = resource.Properties ?? {};
    const inline = (properties['Policies'] as { PolicyDocument: { Statement: unknown[] } }[] | undefined) ?? [];
    const statements = inline.flatMap((policy, p) =>
      policy.PolicyDocument.Statement.map((statement, index) => ({ policy: `${id}.Policies[${p}]`, index, statement: resolve(statement, id) as IamStatement })),
    );
    const managedPolicyArns = ((properties['ManagedPolicyArns'] as unknown[] | undefined) ?? []).map((arn) => String(resolve(arn, id)));
    roles.set(id, { statements, managedPolicyArns });
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const properties = resource.Properties ?? {};
    const document = properties['PolicyDocument'] as { Statement: unknown[] };
    for (const role of (properties['Roles'] as unknown[] | undefined) ?? []) {
      const target = roles.get(refOf(role) ?? '');
      if (target === undefined) throw new Error(`${id}: attached to ${JSON.stringify(role)}, which is no role of this template`);
      document.Statement.forEach((statement, index) => target.statements.push({ policy: id, index, statement: resolve(statement, id) as IamStatement }));
    }
  }
  return roles;
}

/** `Effect Action on Resource` of a statement, for messages and justifications. */
export function describeStatement({ policy, index, statement }: RoleStatement): string {
  const list = (value: string | string[]): string => [value].flat().join(', ');
  return `${policy}[${index}] ${statement.Effect} ${list(statement.Action)} on ${list(statement.Resource)}`;
}
