// Keys that name JavaScript's object machinery. As a key of user data they can replace or hide an
// object's prototype wherever the data becomes a plain object (`--input __proto__=x` set no input at
// all, silently), so they are refused wherever a user names a key: workflow files, inputs, outputs.

export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key);
}

/** The rule, for messages: `'__proto__' is a reserved name (…)`. */
export function reservedKeyRule(key: string): string {
  return `'${key}' is a reserved name (__proto__, prototype and constructor name JavaScript's object machinery and are never allowed as keys)`;
}
