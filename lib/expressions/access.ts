import { isPrimitive, kindOf, toDisplayString, toNumber } from './coerce';

// Property and index access, and GitHub's object filters (`.*`). A filter yields an array that
// remembers it is one: further `.name`, `[i]` and `.*` apply to each of its items, keeping the
// results that exist, rather than to the array itself.

const filtered = new WeakSet<readonly unknown[]>();

function filterResult(items: unknown[]): unknown[] {
  filtered.add(items);
  return items;
}

/** The value of `key` on an object: exact match first, then case-insensitive (GitHub contexts are). Own keys only. */
export function lookupKey(object: object, key: string): unknown {
  const record = object as Record<string, unknown>;
  if (Object.hasOwn(record, key)) return record[key] ?? null;
  const folded = key.toLowerCase();
  for (const candidate of Object.keys(record)) {
    if (candidate.toLowerCase() === folded) return record[candidate] ?? null;
  }
  return undefined;
}

type Selector = { readonly wildcard: true } | { readonly wildcard: false; readonly index: unknown };

/** An array position from an index value: its number, floored; none when negative or NaN. */
function arrayPosition(index: unknown): number | undefined {
  const position = Math.floor(toNumber(index));
  return Number.isNaN(position) || position < 0 ? undefined : position;
}

/** An object key from an index value: primitives as their string; none for arrays and objects. */
function objectKey(index: unknown): string | undefined {
  return isPrimitive(index) ? toDisplayString(index) : undefined;
}

function select(container: unknown, selector: Selector): { found: boolean; value: unknown } {
  if (selector.wildcard) return { found: false, value: null };
  if (kindOf(container) === 'array') {
    const items = container as readonly unknown[];
    const position = arrayPosition(selector.index);
    if (position === undefined || position >= items.length) return { found: false, value: null };
    return { found: true, value: items[position] ?? null };
  }
  if (kindOf(container) === 'object') {
    const key = objectKey(selector.index);
    const value = key === undefined ? undefined : lookupKey(container as object, key);
    return value === undefined ? { found: false, value: null } : { found: true, value };
  }
  return { found: false, value: null };
}

function children(container: unknown): unknown[] {
  if (kindOf(container) === 'array') return [...(container as readonly unknown[])];
  if (kindOf(container) === 'object') return Object.values(container as object);
  return [];
}

/** `value[index]`, `value.name` (index is the name) or, with a wildcard selector, `value.*`. */
export function access(value: unknown, selector: Selector): unknown {
  if (Array.isArray(value) && filtered.has(value)) {
    const results: unknown[] = [];
    for (const item of value) {
      if (selector.wildcard) results.push(...children(item));
      else {
        const { found, value: selected } = select(item, selector);
        if (found) results.push(selected);
      }
    }
    return filterResult(results);
  }
  if (selector.wildcard) return filterResult(children(value));
  return select(value, selector).value;
}
