import type { FunctionName } from './functions/catalog';

// The parsed form of an expression. Every node records the span [start, end) it came from, in
// the coordinates of the text that was parsed, so that validators can point at the exact place.

interface Span {
  readonly start: number;
  readonly end: number;
}

export type LiteralValue = null | boolean | number | string;

/** `null`, `true`, `711`, `0xff`, `-2.99e-2`, `NaN`, `Infinity`, `'It''s'`. */
export interface LiteralNode extends Span {
  readonly kind: 'literal';
  readonly value: LiteralValue;
}

/** A named context such as `matrix` or `inputs`, as written (lookup is case-insensitive). */
export interface ContextNode extends Span {
  readonly kind: 'context';
  readonly name: string;
}

/** `object.name` */
export interface PropertyNode extends Span {
  readonly kind: 'property';
  readonly object: ExprNode;
  readonly name: string;
}

/** `object[index]` */
export interface IndexNode extends Span {
  readonly kind: 'index';
  readonly object: ExprNode;
  readonly index: ExprNode;
}

/** `object.*` or `object[*]`: an object filter over the values of an object or the items of an array. */
export interface FilterNode extends Span {
  readonly kind: 'filter';
  readonly object: ExprNode;
}

/** `!operand` */
export interface NotNode extends Span {
  readonly kind: 'not';
  readonly operand: ExprNode;
}

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface ComparisonNode extends Span {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: ExprNode;
  readonly right: ExprNode;
}

/** `a && b && c` or `a || b || c`: n-ary, so long chains stay shallow. Returns an operand's value. */
export interface LogicalNode extends Span {
  readonly kind: 'logical';
  readonly operator: '&&' | '||';
  readonly operands: readonly ExprNode[];
}

/** A call of a supported function; `name` is the canonical spelling whatever case was written. */
export interface CallNode extends Span {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly ExprNode[];
}

export type ExprNode =
  | LiteralNode
  | ContextNode
  | PropertyNode
  | IndexNode
  | FilterNode
  | NotNode
  | ComparisonNode
  | LogicalNode
  | CallNode;
