// A rule target's InputTransformer, applied as EventBridge applies it: each InputPathsMap variable
// takes the value at its JSON path in the event, and each `<name>` in InputTemplate is replaced —
// inside a JSON string by the value's JSON string contents (escaped), elsewhere by the value as JSON
// (`[9, <state>]` → `[9, "RUNNING"]`). The result goes to a Lambda target, so it must be JSON.

import { valueAt, type EventPath } from './event-path';

export interface InputTransformer {
  readonly pathsMap: Readonly<Record<string, EventPath>>;
  readonly template: string;
}

/** What EventBridge knows about the rule that matched: fills the predefined `aws.events.*` variables. */
export interface MatchedRule {
  readonly arn: string;
  readonly name: string;
}

/** The target's input cannot be made from this event; the message says why. */
export class InputTransformError extends Error {
  override name = 'InputTransformError';
}

const placeholder = /^<([A-Za-z0-9_.-]+)>/;

function variables(event: Record<string, unknown>, transformer: InputTransformer, rule: MatchedRule, ingestionTime: string): Map<string, unknown> {
  const { detail: _detail, ...withoutDetail } = event;
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', rule.arn],
    ['aws.events.rule-name', rule.name],
    ['aws.events.event.ingestion-time', ingestionTime],
    ['aws.events.event', withoutDetail],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(transformer.pathsMap)) values.set(name, valueAt(event, path));
  return values;
}

function insideString(name: string, value: unknown): string {
  // A path that finds nothing leaves the variable empty.
  if (value === undefined) return '';
  if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
  if (typeof value === 'object' && value !== null) {
    throw new InputTransformError(`<${name}> is an object or array inside a JSON string; the local engine inserts objects only as JSON values`);
  }
  return String(value);
}

/** The rendered InputTemplate, parsed. Throws InputTransformError when it is not JSON. */
export function transformInput(event: Record<string, unknown>, transformer: InputTransformer, rule: MatchedRule, ingestionTime: string): unknown {
  const values = variables(event, transformer, rule, ingestionTime);
  const { template } = transformer;
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; ) {
    const char = template[index]!;
    if (inString && char === '\\') {
      output += template.slice(index, index + 2);
      index += 2;
      continue;
    }
    const match = char === '<' ? placeholder.exec(template.slice(index)) : null;
    if (match && values.has(match[1]!)) {
      const value = values.get(match[1]!);
      output += inString ? insideString(match[1]!, value) : JSON.stringify(value ?? null);
      index += match[0].length;
      continue;
    }
    if (char === '"') inString = !inString;
    output += char;
    index += 1;
  }
  try {
    return JSON.parse(output) as unknown;
  } catch {
    throw new InputTransformError(`InputTemplate did not render to JSON, which a Lambda target needs: ${output.length > 200 ? `${output.slice(0, 200)}…` : output}`);
  }
}
