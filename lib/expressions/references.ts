import type { ExprNode } from './ast';
import { isStatusFunction } from './functions/catalog';

export interface References {
  /** Context names read, lower-cased (lookup is case-insensitive): `Matrix.os` gives 'matrix'. */
  readonly contexts: Set<string>;
  /** Status functions called: 'success', 'failure', 'always', 'cancelled'. */
  readonly statusFunctions: Set<string>;
}

/** The named contexts an expression reads and the status functions it calls (for static checks). */
export function referencedContexts(node: ExprNode): References {
  const references: References = { contexts: new Set(), statusFunctions: new Set() };
  collect(node, references);
  return references;
}

function collect(node: ExprNode, into: References): void {
  switch (node.kind) {
    case 'literal':
      return;
    case 'context':
      into.contexts.add(node.name.toLowerCase());
      return;
    case 'property':
    case 'filter':
      collect(node.object, into);
      return;
    case 'index':
      collect(node.object, into);
      collect(node.index, into);
      return;
    case 'not':
      collect(node.operand, into);
      return;
    case 'comparison':
      collect(node.left, into);
      collect(node.right, into);
      return;
    case 'logical':
      for (const operand of node.operands) collect(operand, into);
      return;
    case 'call':
      if (isStatusFunction(node.name)) into.statusFunctions.add(node.name);
      for (const arg of node.args) collect(arg, into);
      return;
  }
}
