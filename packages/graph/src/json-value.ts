/** A value that survives `JSON.stringify` / `JSON.parse` unchanged: every attribute value is one. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Tells whether a value is a {@link JsonValue}: finite numbers, plain objects and arrays only.
 *
 * @param value - Anything.
 * @returns `true` when the value can be stored as an attribute.
 */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        const entry = (value as Record<string, unknown>)[key];
        if (entry !== undefined && !isJsonValue(entry)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * A canonical JSON text for a value: object keys sorted, `undefined` entries dropped. Two values
 * are the same fact value exactly when their canonical texts are equal.
 *
 * @param value - A JSON value.
 * @returns Its canonical JSON text.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += canonicalJson(value[index] as JsonValue);
    }
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const entry = value[key];
    if (entry === undefined) continue;
    if (!first) text += ',';
    first = false;
    text += `${JSON.stringify(key)}:${canonicalJson(entry)}`;
  }
  return `${text}}`;
}

/**
 * Internal: freezes a value and everything in it (values handed out by queries are shared with
 * the graph's storage, which never mutates them either).
 *
 * @param value - Any value.
 * @returns The same value, frozen.
 */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key]);
  return value;
}
