// Where an expression reads `secrets` or `vars`: by name (`secrets.DB_PASSWORD`, `vars['REGION']`),
// or as a whole / by a computed name, which stepdeploy cannot scope (the validator rejects those).

import type { ExprNode } from '../expressions';

export type NamedContext = 'secrets' | 'vars';

export interface NameRead {
  readonly context: NamedContext;
  /** As written; undefined when the name is computed or the context is read as a whole. */
  readonly name?: string;
  /** The access node (`secrets.X`), or the bare context node. */
  readonly node: ExprNode;
}

/** Secret and variable names are case-insensitive, as on GitHub: the model keeps them upper-case. */
export const canonicalName = (name: string): string => name.toUpperCase();

export const secretNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every read of `secrets` or `vars` in an expression, in source order. */
export function namedContextReads(root: ExprNode): NameRead[] {
  const reads: NameRead[] = [];
  const visit = (node: ExprNode): void => {
    if ((node.kind === 'property' || node.kind === 'index') && node.object.kind === 'context') {
      const context = namedContext(node.object.name);
      if (context !== undefined) {
        const name = node.kind === 'property' ? node.name : node.index.kind === 'literal' && typeof node.index.value === 'string' ? node.index.value : undefined;
        reads.push({ context, ...(name !== undefined && { name }), node });
        if (node.kind === 'index') visit(node.index);
        return;
      }
    }
    if (node.kind === 'context') {
      const context = namedContext(node.name);
      if (context !== undefined) reads.push({ context, node });
      return;
    }
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return reads;
}

function namedContext(name: string): NamedContext | undefined {
  const lower = name.toLowerCase();
  return lower === 'secrets' || lower === 'vars' ? lower : undefined;
}

/** The direct operands of a node. */
export function children(node: ExprNode): readonly ExprNode[] {
  switch (node.kind) {
    case 'property':
    case 'filter':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'not':
      return [node.operand];
    case 'comparison':
      return [node.left, node.right];
    case 'logical':
      return node.operands;
    case 'call':
      return node.args;
    default:
      return [];
  }
}
