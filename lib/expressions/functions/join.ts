import { isPrimitive, toDisplayString } from '../coerce';

/**
 * join(array, separator = ','): the items as strings between separators. A primitive is returned
 * as its string; an object gives ''. A separator that is not a primitive is ignored.
 */
export function join(items: unknown, separator: unknown = ','): string {
  if (Array.isArray(items)) {
    const between = isPrimitive(separator) ? toDisplayString(separator) : ',';
    return items.map(toDisplayString).join(between);
  }
  return isPrimitive(items) ? toDisplayString(items) : '';
}
