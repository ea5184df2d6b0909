import { ExpressionError, hasExpression, parseCondition, parseExpression, scanTemplate, type ExprNode } from '../../expressions';
import type { ExpressionField } from './expression-fields';

export interface FieldExpressions {
  /** Each expression that parses, with the offset in the field its spans are relative to. */
  readonly parsed: readonly { readonly ast: ExprNode; readonly base: number }[];
  /** Each one that does not, in field order, with the same offset. */
  readonly errors: readonly { readonly error: ExpressionError; readonly base: number }[];
}

// Parsed once per field: the validator checks them, then the load reads the names they use.
const parsedFields = new WeakMap<ExpressionField, FieldExpressions>();

/**
 * The expressions of a field. A condition is one expression; a template's expressions are parsed one
 * by one, so one mistake does not hide the next.
 */
export function fieldExpressions(field: ExpressionField): FieldExpressions {
  const known = parsedFields.get(field);
  if (known !== undefined) return known;
  const parsed: { ast: ExprNode; base: number }[] = [];
  const errors: { error: ExpressionError; base: number }[] = [];
  const attempt = (parse: () => ExprNode, base: number): void => {
    try {
      parsed.push({ ast: parse(), base });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      errors.push({ error, base });
    }
  };
  if (field.condition) attempt(() => parseCondition(field.text), 0);
  else if (hasExpression(field.text)) {
    let parts: ReturnType<typeof scanTemplate> = [];
    try {
      parts = scanTemplate(field.text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      errors.push({ error, base: 0 });
    }
    for (const part of parts) {
      if (part.kind === 'expr') attempt(() => parseExpression(part.source), part.start + '${{'.length);
    }
  }
  const result = { parsed, errors };
  parsedFields.set(field, result);
  return result;
}
