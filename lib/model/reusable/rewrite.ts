// Rewrites the expressions of a called workflow's jobs so that they read the same values once the
// jobs are inlined into the caller: `needs.<job>` and `jobs.<job>` name the jobs' new ids, `inputs.<id>`
// becomes the calling job's `with:` value, `secrets.<id>` the secret passed, `matrix.<key>` (in the
// calling job's own fields) the cell's value. Text is spliced at the parsed spans, so everything else
// stays as written.

import { scanTemplate, type ExprNode } from '../../expressions';
import { parseExpressionAt } from '../../expressions/parser';
import { children } from '../secret-refs';
import type { Json } from '../workflow';

export interface Rewrites {
  /** Lower-cased job id → new id, for `needs.<job>`. */
  readonly needs?: ReadonlyMap<string, string>;
  /** Lower-cased job id → new id, for `jobs.<job>` (workflow_call outputs), read as `needs.<new id>`. */
  readonly jobs?: ReadonlyMap<string, string>;
  /** Lower-cased input id → expression text. */
  readonly inputs?: ReadonlyMap<string, string>;
  /** Lower-cased secret id → expression text (`secrets.NAME`, or `''` for a secret not passed); absent: kept. */
  readonly secrets?: ReadonlyMap<string, string>;
  /** `matrix.<key>` → the value (a calling job's cell). */
  readonly matrix?: Readonly<Record<string, Json>>;
}

/** A read this rewrite cannot follow (a context read as a whole, or by a computed name). */
export class RewriteError extends Error {}

/** An expression for a JSON value. */
export function literalText(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return `fromJSON(${literalText(JSON.stringify(value))})`;
}

/** A template (`a ${{ x }} b`) with its expressions rewritten. */
export function rewriteTemplate(text: string, rewrites: Rewrites): string {
  if (!text.includes('${{')) return text;
  return splice(text, scanTemplate(text).flatMap((part) => (part.kind === 'expr' ? replacements(parseExprPart(part), rewrites) : [])));
}

/** An `if:` condition (the `${{ }}` wrapper optional) with its expressions rewritten. */
export function rewriteCondition(text: string, rewrites: Rewrites): string {
  if (text.includes('${{')) {
    const parts = scanTemplate(text);
    const [only] = parts;
    const node = parts.length === 1 && only?.kind === 'expr' ? parseExprPart(only) : undefined;
    // `${{ 'x == y' }}` is GitHub's folded literal: the condition is the text inside.
    if (node?.kind === 'literal' && typeof node.value === 'string') return rewriteCondition(node.value, rewrites);
    return rewriteTemplate(text, rewrites);
  }
  return text.trim() === '' ? text : splice(text, replacements(parseExpressionAt(text, 0), rewrites));
}

/** A template as one expression's text: `(x)` for a lone `${{ x }}`, a literal for plain text, else format(). */
export function templateAsExpression(text: string): string {
  const parts = scanTemplate(text);
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'expr') return `(${only.source.trim()})`;
  if (!parts.some((part) => part.kind === 'expr')) return literalText(text);
  let format = '';
  const args: string[] = [];
  for (const part of parts) {
    if (part.kind === 'text') format += part.text.replaceAll('{', '{{').replaceAll('}', '}}');
    else {
      format += `{${args.length}}`;
      args.push(`(${part.source.trim()})`);
    }
  }
  return `format(${[literalText(format), ...args].join(', ')})`;
}

function parseExprPart(part: Extract<ReturnType<typeof scanTemplate>[number], { kind: 'expr' }>): ExprNode {
  return parseExpressionAt(part.source, part.start + 3);
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function splice(text: string, found: readonly Replacement[]): string {
  let result = '';
  let at = 0;
  for (const replacement of [...found].sort((a, b) => a.start - b.start)) {
    result += text.slice(at, replacement.start) + replacement.text;
    at = replacement.end;
  }
  return result + text.slice(at);
}

const memberOf = (node: ExprNode): string | undefined =>
  node.kind === 'property' ? node.name : node.kind === 'index' && node.index.kind === 'literal' && typeof node.index.value === 'string' ? node.index.value : undefined;

function replacements(root: ExprNode, rewrites: Rewrites): Replacement[] {
  const found: Replacement[] = [];
  const rewritten = (context: string): boolean =>
    (context === 'needs' && rewrites.needs !== undefined) ||
    (context === 'jobs' && rewrites.jobs !== undefined) ||
    (context === 'inputs' && rewrites.inputs !== undefined) ||
    (context === 'secrets' && rewrites.secrets !== undefined) ||
    (context === 'matrix' && rewrites.matrix !== undefined);
  const visit = (node: ExprNode): void => {
    if ((node.kind === 'property' || node.kind === 'index') && node.object.kind === 'context') {
      const context = node.object.name.toLowerCase();
      const member = memberOf(node);
      if (rewritten(context)) {
        if (member === undefined) throw new RewriteError(`${context}[…] with a computed name cannot be followed into a called workflow; name the ${context === 'inputs' ? 'input' : 'member'} as ${context}.<name>`);
        const text = replacementOf(context, member, rewrites);
        if (text !== undefined) found.push({ start: node.start, end: node.end, text });
        return;
      }
    }
    if (node.kind === 'context' && rewritten(node.name.toLowerCase()) && node.name.toLowerCase() !== 'secrets') {
      throw new RewriteError(`'${node.name}' read as a whole cannot be followed into a called workflow (its jobs are renamed, its inputs come from the caller); read its members by name`);
    }
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return found;
}

function replacementOf(context: string, member: string, rewrites: Rewrites): string | undefined {
  const key = member.toLowerCase();
  if (context === 'needs') {
    const id = rewrites.needs!.get(key);
    return id === undefined ? undefined : `needs.${id}`;
  }
  if (context === 'jobs') {
    const id = rewrites.jobs!.get(key);
    return id === undefined ? undefined : `needs.${id}`;
  }
  if (context === 'inputs') return `(${rewrites.inputs!.get(key) ?? "''"})`;
  if (context === 'secrets') return key === 'github_token' ? undefined : (rewrites.secrets!.get(key) ?? "''");
  const matrix = rewrites.matrix!;
  const entry = Object.keys(matrix).find((name) => name.toLowerCase() === key);
  return entry === undefined ? 'null' : literalText(matrix[entry]!);
}
