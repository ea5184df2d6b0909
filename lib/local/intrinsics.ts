// CloudFormation intrinsic functions, resolved to the fixed local account: enough for what a
// synthesized stepdeploy template uses (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, pseudo parameters).

import type { JsonValue } from '../asl/types';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION, LOCAL_URL_SUFFIX } from './local-arns';

/** A template that cannot run locally; the message names the resource, the path and the rule. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** What `Ref` and `Fn::GetAtt` mean in one template (undefined: not known). */
export interface IntrinsicScope {
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): string | undefined;
}

const pseudoParameters: Readonly<Record<string, string>> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': LOCAL_PARTITION,
  'AWS::URLSuffix': LOCAL_URL_SUFFIX,
  'AWS::StackName': 'stepdeploy-local',
};

/** `Properties.DefinitionString.Fn::Join[1][0]`: how error messages point into a resource. */
const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;

/**
 * Resolves every intrinsic inside `value`. `where` names the resource (for messages); `path` is the
 * property path of `value` inside it.
 */
export function resolveIntrinsics(value: unknown, scope: IntrinsicScope, where: string, path: string): JsonValue {
  const fail = (at: string, rule: string): never => {
    throw new TemplateError(`${where} ${at}: ${rule}`);
  };
  const asString = (resolved: JsonValue, at: string): string =>
    typeof resolved === 'string' ? resolved : typeof resolved === 'number' ? String(resolved) : fail(at, `expected a string, got ${JSON.stringify(resolved)}`);

  const ref = (name: string, at: string): string =>
    pseudoParameters[name] ?? scope.ref(name) ?? fail(at, `cannot resolve Ref '${name}' (no such resource or parameter)`);
  const getAtt = (logicalId: string, attribute: string, at: string): string =>
    scope.getAtt(logicalId, attribute) ??
    fail(at, `cannot resolve Fn::GetAtt '${logicalId}.${attribute}' (unknown resource or attribute not available locally)`);

  const resolve = (node: unknown, at: string): JsonValue => {
    if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
    if (Array.isArray(node)) return node.map((item, index) => resolve(item, childPath(at, index)));
    if (typeof node !== 'object') return fail(at, `unexpected value ${String(node)}`);
    const entries = Object.entries(node as Record<string, unknown>);
    const [first] = entries;
    if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      return resolveFunction(first[0], first[1], childPath(at, first[0]));
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, resolve(child, childPath(at, key))]));
  };

  const resolveFunction = (fn: string, args: unknown, at: string): JsonValue => {
    switch (fn) {
      case 'Ref':
        return ref(asString(resolve(args, at), at), at);
      case 'Fn::GetAtt': {
        const parts = typeof args === 'string' ? args.split('.') : resolve(args, at);
        if (!Array.isArray(parts) || parts.length !== 2) return fail(at, 'Fn::GetAtt takes [LogicalId, Attribute]');
        return getAtt(asString(parts[0] ?? null, at), asString(parts[1] ?? null, at), at);
      }
      case 'Fn::Join': {
        if (!Array.isArray(args) || args.length !== 2) return fail(at, 'Fn::Join takes [separator, [values]]');
        const separator = asString(resolve(args[0], childPath(at, 0)), childPath(at, 0));
        const list = resolve(args[1], childPath(at, 1));
        if (!Array.isArray(list)) return fail(childPath(at, 1), 'Fn::Join needs a list of values');
        return list.map((item, index) => asString(item, childPath(childPath(at, 1), index))).join(separator);
      }
      case 'Fn::Select': {
        if (!Array.isArray(args) || args.length !== 2) return fail(at, 'Fn::Select takes [index, [values]]');
        const index = Number(resolve(args[0], childPath(at, 0)));
        const list = resolve(args[1], childPath(at, 1));
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
          return fail(at, `Fn::Select index ${index} is out of range`);
        }
        return list[index] ?? null;
      }
      case 'Fn::Sub': {
        const [text, variables] = typeof args === 'string' ? [args, {}] : Array.isArray(args) ? [args[0], args[1] ?? {}] : [undefined, {}];
        if (typeof text !== 'string' || typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
          return fail(at, 'Fn::Sub takes a string or [string, {variables}]');
        }
        const values = resolve(variables, childPath(at, 1)) as Record<string, JsonValue>;
        return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          const given = values[name];
          if (given !== undefined) return asString(given, at);
          if (pseudoParameters[name] !== undefined) return pseudoParameters[name];
          const dot = name.indexOf('.');
          return dot > 0 ? getAtt(name.slice(0, dot), name.slice(dot + 1), at) : ref(name, at);
        });
      }
      default:
        return fail(at, `${fn} is not supported by the local engine`);
    }
  };

  return resolve(value, path);
}
