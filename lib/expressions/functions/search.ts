import { foldCase, isPrimitive, looseEquals, toDisplayString } from '../coerce';

// contains, startsWith, endsWith: case-insensitive; only primitives are compared as strings.

/** contains(search, item): an array holding an element loosely equal to item, or a substring. */
export function contains(search: unknown, item: unknown): boolean {
  if (Array.isArray(search)) return search.some((element) => looseEquals(element, item));
  if (!isPrimitive(search) || !isPrimitive(item)) return false;
  return foldCase(toDisplayString(search)).includes(foldCase(toDisplayString(item)));
}

export function startsWith(searchString: unknown, searchValue: unknown): boolean {
  if (!isPrimitive(searchString) || !isPrimitive(searchValue)) return false;
  return foldCase(toDisplayString(searchString)).startsWith(foldCase(toDisplayString(searchValue)));
}

export function endsWith(searchString: unknown, searchValue: unknown): boolean {
  if (!isPrimitive(searchString) || !isPrimitive(searchValue)) return false;
  return foldCase(toDisplayString(searchString)).endsWith(foldCase(toDisplayString(searchValue)));
}
