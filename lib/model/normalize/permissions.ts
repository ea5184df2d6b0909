import type { SpecNode } from '../../source/tree';
import { permissionScopes } from '../keys';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import type { Permissions } from '../workflow';
import { describe, invalidType } from './read';

const shorthands = ['read-all', 'write-all'] as const;

/**
 * `permissions:` as GitHub defines it, checked and kept. It grants nothing here: no GitHub token is
 * minted, a step may do what the runner's IAM role allows (README, "Permissions").
 */
export function normalizePermissions(node: SpecNode, path: string, sink: ProblemSink): Permissions | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const shorthand = shorthands.find((value) => value === node.value);
    if (shorthand !== undefined) return shorthand;
    sink.report('invalid-permission', node.pos, path, `${path}: ${describe(node)} is not a permission: use read-all, write-all or a mapping of scope → read | write | none`);
    return undefined;
  }
  if (node.kind !== 'map') return invalidType(sink, node, path, 'read-all, write-all or a mapping of scope → read | write | none');
  const permissions: Record<string, 'read' | 'write' | 'none'> = {};
  const scopes = Object.keys(permissionScopes);
  for (const entry of node.entries) {
    const at = keyPath(path, entry.key);
    const allowed = permissionScopes[entry.key];
    if (allowed === undefined) {
      const hint = didYouMean(entry.key, scopes) || `; scopes: ${scopes.join(', ')}`;
      sink.report('invalid-permission', entry.keyPos, at, `${at}: '${entry.key}' is not a GitHub permission scope${hint}`);
      continue;
    }
    const value = entry.value;
    if (value.kind !== 'scalar' || typeof value.value !== 'string' || !allowed.includes(value.value)) {
      sink.report('invalid-permission', value.pos, at, `${at}: ${describe(value)} is not a value of ${entry.key} (${allowed.join(', ')})`);
      continue;
    }
    permissions[entry.key] = value.value as 'read' | 'write' | 'none';
    if (entry.key === 'id-token' && value.value === 'write') {
      const message = `${at}: write has no effect here: no OIDC token is issued; a step gets AWS credentials from its runner's IAM role (cdk.json stepdeploy:runnerManagedPolicies / stepdeploy:runnerAssumableRoles)`;
      sink.warn('permission-without-effect', value.pos, at, message);
    }
  }
  return permissions;
}
