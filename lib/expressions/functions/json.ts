import { ExpressionError } from '../error';
import { toDisplayString } from '../coerce';

/** toJSON(value): pretty-printed JSON with two-space indentation, as GitHub prints it. */
export function toJSON(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2) ?? 'null';
}

const previewLength = 60;

/** fromJSON(text): the parsed value; text that is not JSON is an error naming the function. */
export function fromJSON(value: unknown, offset: number): unknown {
  const text = toDisplayString(value);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const preview = text.length > previewLength ? `${text.slice(0, previewLength)}…` : text;
    throw new ExpressionError(`fromJSON(): the argument is not valid JSON: '${preview}'`, offset);
  }
}
