// Typed reads of spec nodes: each returns the value, or reports why it cannot and returns undefined,
// so that normalization goes on and every mistake in the file is collected in one pass.
import { literalTemplateValue } from '../../expressions';
import type { SpecEntry, SpecMap, SpecNode } from '../../source/tree';
import { allowedKeys, unsupportedKeys, type KeyPlace } from '../keys';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import type { Json } from '../workflow';

const EXPRESSION = '${{';

/** GitHub folds a scalar that is one `${{ 'string literal' }}` into that string while reading the file. */
function foldLiteral(text: string): string {
  return literalTemplateValue(text) ?? text;
}

/** How a value appears in a message: `'text'`, `5`, `true`, `a list`, `a mapping`, `nothing`. */
export function describe(node: SpecNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing';
  if (typeof node.value === 'string') return quote(node.value);
  return String(node.value);
}

export function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${short.replace(/\n/g, '\\n')}'`;
}

export function invalidType(sink: ProblemSink, node: SpecNode, path: string, expected: string): undefined {
  sink.report('invalid-type', node.pos, path, `${path}: expected ${expected}, got ${describe(node)}`);
  return undefined;
}

/**
 * The entries of a mapping whose keys are allowed at `place` (the last one wins for a duplicated
 * key, which the parser reports). Unknown and unsupported keys are reported here.
 */
export function readMap(node: SpecNode, path: string, place: KeyPlace, sink: ProblemSink): Map<string, SpecEntry> | undefined {
  if (node.kind !== 'map') return invalidType(sink, node, path || 'the workflow file', 'a mapping');
  const allowed: readonly string[] = allowedKeys[place];
  const unsupported = unsupportedKeys[place] ?? {};
  const entries = new Map<string, SpecEntry>();
  for (const entry of node.entries) {
    if (allowed.includes(entry.key)) {
      entries.set(entry.key, entry);
      continue;
    }
    const reason = unsupported[entry.key];
    if (reason !== undefined) reportUnsupported(sink, entry, keyPath(path, entry.key), reason);
    else reportUnknownKey(sink, entry, keyPath(path, entry.key), allowed);
  }
  return entries;
}

export function reportUnknownKey(sink: ProblemSink, entry: SpecEntry, path: string, allowed: readonly string[]): void {
  const hint = didYouMean(entry.key, allowed) || `; allowed keys here: ${allowed.join(', ')}`;
  sink.report('unknown-key', entry.keyPos, path, `${path}: unknown key '${entry.key}'${hint}`);
}

export function reportUnsupported(sink: ProblemSink, entry: SpecEntry, path: string, reason: string): void {
  const value = entry.value;
  const subject = value.kind === 'scalar' && value.value !== null ? `${path}: ${describe(value)}` : path;
  sink.report('unsupported-key', entry.keyPos, path, `${subject} is not supported: ${reason}; remove ${entry.key}`);
}

/** The entries of an open mapping (env, outputs, inputs, jobs): any key, in file order, last one wins. */
export function readOpenMap(node: SpecNode, path: string, sink: ProblemSink, expected = 'a mapping'): SpecEntry[] | undefined {
  if (node.kind !== 'map') return invalidType(sink, node, path, expected);
  return [...new Map(node.entries.map((entry) => [entry.key, entry])).values()];
}

export function readList(node: SpecNode, path: string, sink: ProblemSink, expected: string): readonly SpecNode[] | undefined {
  if (node.kind !== 'seq') return invalidType(sink, node, path, expected);
  return node.items;
}

/** A scalar as text: YAML's `1` or `true` where text is expected reads as '1' / 'true', as in GitHub. */
export function readText(node: SpecNode, path: string, sink: ProblemSink): string | undefined {
  if (node.kind !== 'scalar' || node.value === null) return invalidType(sink, node, path, 'a string');
  return String(node.value);
}

/** A string only (names, ids, patterns), without coercion; `${{ 'text' }}` alone is 'text', as GitHub reads it. */
export function readString(node: SpecNode, path: string, sink: ProblemSink): string | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return invalidType(sink, node, path, 'a string');
  return foldLiteral(node.value);
}

export function readBoolean(node: SpecNode, path: string, sink: ProblemSink): boolean | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'boolean') return invalidType(sink, node, path, 'true or false');
  return node.value;
}

/** `true`, `false`, or a string holding `${{ … }}` to evaluate at run time. */
export function readBooleanOrExpression(node: SpecNode, path: string, sink: ProblemSink): boolean | string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.value.includes(EXPRESSION)) return node.value;
  return invalidType(sink, node, path, 'true, false or an expression ${{ … }}');
}

/** A string or a list of strings, always returned as a list (`needs: a` → `['a']`). */
export function readStringList(node: SpecNode, path: string, sink: ProblemSink): string[] | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') return [foldLiteral(node.value)];
  if (node.kind !== 'seq') return invalidType(sink, node, path, 'a string or a list of strings');
  const values: string[] = [];
  node.items.forEach((item, index) => {
    const value = readString(item, itemPath(path, index), sink);
    if (value !== undefined) values.push(value);
  });
  return values;
}

/** A whole number from 1 up: `max-parallel`, `capacity`. */
export function readPositiveInteger(node: SpecNode, path: string, sink: ProblemSink): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 1) {
    return node.value;
  }
  sink.report('invalid-positive-integer', node.pos, path, `${path}: ${describe(node)} is not a positive whole number (1, 2, 3, …)`);
  return undefined;
}

/** A number in [min, max]; `wholeNumber` also requires an integer. Out of range is reported with `code`. */
export function readNumberInRange(
  node: SpecNode,
  path: string,
  sink: ProblemSink,
  range: { readonly min: number; readonly max: number; readonly wholeNumber: boolean; readonly code: string; readonly rule: string },
): number | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'number') return invalidType(sink, node, path, 'a number');
  const { value } = node;
  if (value < range.min || value > range.max || (range.wholeNumber && !Number.isInteger(value)) || Number.isNaN(value)) {
    sink.report(range.code, node.pos, path, `${path}: ${value} is out of range: ${range.rule}`);
    return undefined;
  }
  return value;
}

/** Names a bash script can read as variables. */
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `env:` — name → text; values may hold expressions. */
export function readEnv(node: SpecNode, path: string, sink: ProblemSink): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of readOpenMap(node, path, sink) ?? []) {
    const at = keyPath(path, entry.key);
    if (!envName.test(entry.key)) {
      const message = `${at}: '${entry.key}' is not a valid environment variable name (letters, digits and _, not starting with a digit)`;
      sink.report('invalid-env-name', entry.keyPos, at, message);
      continue;
    }
    const value = entry.value.kind === 'scalar' && entry.value.value === null ? '' : readText(entry.value, at, sink);
    if (value !== undefined) env[entry.key] = value;
  }
  return env;
}

/** Any YAML value as JSON (payloads, matrix values). Infinity and NaN have no JSON form. */
export function readJson(node: SpecNode, path: string, sink: ProblemSink): Json {
  if (node.kind === 'seq') return node.items.map((item, index) => readJson(item, itemPath(path, index), sink));
  if (node.kind === 'map') return readJsonObject(node, path, sink);
  if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
    invalidType(sink, node, path, 'a finite number (JSON has no infinity or NaN)');
    return null;
  }
  return node.value;
}

export function readJsonObject(node: SpecMap, path: string, sink: ProblemSink): { readonly [key: string]: Json } {
  const entries = new Map(node.entries.map((entry) => [entry.key, entry]));
  return Object.fromEntries([...entries.values()].map((entry) => [entry.key, readJson(entry.value, keyPath(path, entry.key), sink)]));
}
