/**
 * A mistake in an expression, a template or a condition, or a failure while evaluating one.
 * `offset` is the 0-based position in the text the caller passed (the expression source for
 * `parseExpression`, the whole template for `scanTemplate`/`parseTemplate`/`evaluateTemplate`,
 * the condition for `evaluateCondition`), so callers can map it to a line and column.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly offset: number;
  /** The message without the `at offset N` suffix (syntax errors carry one, others do not). */
  readonly reason: string;

  constructor(reason: string, offset: number, message: string = reason) {
    super(message);
    this.reason = reason;
    this.offset = offset;
  }
}

/** A lexical or grammar mistake: the message says where, since the text alone cannot show it. */
export function syntaxError(reason: string, offset: number): ExpressionError {
  return new ExpressionError(reason, offset, `${reason} at offset ${offset}`);
}
