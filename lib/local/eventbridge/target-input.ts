// What a rule target receives: the whole event, a constant (`Input`), one part of the event
// (`InputPath`) or a transformed event (`InputTransformer`). Read and checked once from the template,
// applied to each matching event.

import type { JsonValue } from '../../asl/types';
import { resolveIntrinsics, TemplateError, type IntrinsicScope } from '../intrinsics';
import { parseEventPath, valueAt, type EventPath } from './event-path';
import { transformInput, type InputTransformer, type MatchedRule } from './input-transformer';

export type TargetInput =
  | { readonly kind: 'event' }
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'path'; readonly path: EventPath }
  | { readonly kind: 'transformer'; readonly transformer: InputTransformer };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a target's input settings; `where` names the rule resource and `at` the target's path in it. */
export function readTargetInput(target: Readonly<Record<string, unknown>>, scope: IntrinsicScope, where: string, at: string): TargetInput {
  const fail = (path: string, rule: string): never => {
    throw new TemplateError(`${where} ${at}.${path}: ${rule}`);
  };
  const given = ['Input', 'InputPath', 'InputTransformer'].filter((key) => target[key] !== undefined);
  if (given.length > 1) fail(given[1]!, `a target takes at most one of Input, InputPath and InputTransformer (got ${given.join(', ')})`);
  const path = (text: JsonValue, property: string): EventPath => {
    if (typeof text !== 'string') return fail(property, 'expected a JSON path string');
    const parsed = parseEventPath(text);
    return 'error' in parsed ? fail(property, parsed.error) : parsed.path;
  };

  if (target['Input'] !== undefined) {
    const text = resolveIntrinsics(target['Input'], scope, where, `${at}.Input`);
    if (typeof text !== 'string') return fail('Input', 'expected a JSON text');
    try {
      return { kind: 'constant', value: JSON.parse(text) as JsonValue };
    } catch {
      return fail('Input', `not valid JSON: ${text}`);
    }
  }
  if (target['InputPath'] !== undefined) {
    return { kind: 'path', path: path(resolveIntrinsics(target['InputPath'], scope, where, `${at}.InputPath`), 'InputPath') };
  }
  if (target['InputTransformer'] !== undefined) {
    const transformer = resolveIntrinsics(target['InputTransformer'], scope, where, `${at}.InputTransformer`);
    if (!isRecord(transformer)) return fail('InputTransformer', 'expected an object');
    const template = transformer['InputTemplate'];
    if (typeof template !== 'string' || template === '') return fail('InputTransformer.InputTemplate', 'expected a non-empty string');
    const pathsMap = transformer['InputPathsMap'] ?? {};
    if (!isRecord(pathsMap)) return fail('InputTransformer.InputPathsMap', 'expected an object of name → JSON path');
    const paths: Record<string, EventPath> = {};
    for (const [name, value] of Object.entries(pathsMap)) {
      if (name.toLowerCase().startsWith('aws.')) fail(`InputTransformer.InputPathsMap.${name}`, "names starting with 'aws.' are reserved by EventBridge");
      paths[name] = path(value, `InputTransformer.InputPathsMap.${name}`);
    }
    return { kind: 'transformer', transformer: { pathsMap: paths, template } };
  }
  return { kind: 'event' };
}

/** The payload the target gets for this event (a copy: targets never share the event object). */
export function targetPayload(event: Record<string, unknown>, input: TargetInput, rule: MatchedRule, ingestionTime: string): unknown {
  switch (input.kind) {
    case 'event':
      return structuredClone(event);
    case 'constant':
      return structuredClone(input.value);
    case 'path':
      return structuredClone(valueAt(event, input.path) ?? null);
    case 'transformer':
      return transformInput(event, input.transformer, rule, ingestionTime);
  }
}
