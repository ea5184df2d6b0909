import type { SpecEntry, SpecNode } from '../../source/tree';
import { callInputTypes } from '../keys';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { CallInput, CallInputType, CallSecret, WorkflowCall } from '../workflow';
import { invalidType, readBoolean, readMap, readOpenMap, readString, readText } from './read';

const isNull = (node: SpecNode | undefined): boolean => node === undefined || (node.kind === 'scalar' && node.value === null);

/** `on.workflow_call`: typed inputs (type required, as on GitHub), secrets and outputs (`value` required). */
export function normalizeWorkflowCall(node: SpecNode, path: string, sink: ProblemSink): WorkflowCall {
  const entries = isNull(node) ? new Map<string, SpecEntry>() : (readMap(node, path, 'workflowCall', sink) ?? new Map<string, SpecEntry>());
  const members = (key: string): SpecEntry[] => {
    const value = entries.get(key)?.value;
    return isNull(value) ? [] : (readOpenMap(value!, keyPath(path, key), sink) ?? []);
  };
  const inputs = members('inputs').flatMap((entry) => normalizeCallInput(entry, keyPath(keyPath(path, 'inputs'), entry.key), sink) ?? []);
  const secrets = members('secrets').flatMap((entry) => normalizeCallSecret(entry, keyPath(keyPath(path, 'secrets'), entry.key), sink) ?? []);
  const outputs: Record<string, string> = {};
  for (const entry of members('outputs')) {
    const at = keyPath(keyPath(path, 'outputs'), entry.key);
    const fields = readMap(entry.value, at, 'callOutput', sink);
    const valueNode = fields?.get('value')?.value;
    if (fields && valueNode === undefined) sink.report('missing-key', entry.keyPos, keyPath(at, 'value'), `${at}: value is required: the expression the output takes (\${{ jobs.<job>.outputs.<name> }})`);
    const value = valueNode && readText(valueNode, keyPath(at, 'value'), sink);
    if (value !== undefined) outputs[entry.key] = value;
  }
  return { inputs, secrets, outputs };
}

function normalizeCallInput(entry: SpecEntry, path: string, sink: ProblemSink): CallInput | undefined {
  const fields = readMap(entry.value, path, 'callInput', sink);
  if (!fields) return undefined;
  const typeEntry = fields.get('type');
  let type: CallInputType | undefined;
  if (!typeEntry) sink.report('missing-key', entry.keyPos, keyPath(path, 'type'), `${path}: type is required for an input of workflow_call (as on GitHub): one of ${callInputTypes.join(', ')}`);
  else {
    const text = readString(typeEntry.value, keyPath(path, 'type'), sink);
    if (text !== undefined && (callInputTypes as readonly string[]).includes(text)) type = text as CallInputType;
    else if (text !== undefined) sink.report('invalid-enum', typeEntry.value.pos, keyPath(path, 'type'), `${keyPath(path, 'type')}: '${text}' is not a workflow_call input type; use one of ${callInputTypes.join(', ')}`);
  }
  const descriptionNode = fields.get('description')?.value;
  if (descriptionNode) readText(descriptionNode, keyPath(path, 'description'), sink);
  const requiredNode = fields.get('required')?.value;
  const required = (requiredNode && readBoolean(requiredNode, keyPath(path, 'required'), sink)) ?? false;
  const defaultNode = fields.get('default')?.value;
  const defaultValue = type === undefined || isNull(defaultNode) ? undefined : readTyped(defaultNode!, type, keyPath(path, 'default'), sink);
  if (type === undefined) return undefined;
  return { id: entry.key, type, required, ...(defaultValue !== undefined && { default: defaultValue }) };
}

function normalizeCallSecret(entry: SpecEntry, path: string, sink: ProblemSink): CallSecret | undefined {
  if (isNull(entry.value)) return { id: entry.key, required: false };
  const fields = readMap(entry.value, path, 'callSecret', sink);
  if (!fields) return undefined;
  const descriptionNode = fields.get('description')?.value;
  if (descriptionNode) readText(descriptionNode, keyPath(path, 'description'), sink);
  const requiredNode = fields.get('required')?.value;
  return { id: entry.key, required: (requiredNode && readBoolean(requiredNode, keyPath(path, 'required'), sink)) ?? false };
}

/** A scalar of an input's type: a boolean for boolean, a number for number, any scalar as text for string; an expression string passes (checked when evaluated). */
export function readTyped(node: SpecNode, type: CallInputType, path: string, sink: ProblemSink): string | number | boolean | undefined {
  if (node.kind !== 'scalar' || node.value === null) return invalidType(sink, node, path, `a ${type} (the input is ${type})`);
  const value = node.value;
  if (typeof value === 'string' && value.includes('${{')) return value;
  if (type === 'boolean' && typeof value !== 'boolean') return invalidType(sink, node, path, 'true or false (the input is boolean)');
  if (type === 'number' && typeof value !== 'number') return invalidType(sink, node, path, 'a number (the input is number)');
  if (type === 'string') return String(value);
  return value as boolean | number;
}
