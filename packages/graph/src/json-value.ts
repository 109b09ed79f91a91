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

/**
 * Internal: a value with object keys sorted at every level (the input itself when it already is),
 * so that equal values serialise to equal JSON whatever order their keys were written in.
 *
 * @param value - A JSON value.
 * @returns The canonical value.
 */
export function canonicalValue(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const entry = value[index] as JsonValue;
      const canonical = canonicalValue(entry);
      if (canonical !== entry && copy === undefined) copy = value.slice(0, index);
      copy?.push(canonical);
    }
    return copy ?? value;
  }
  const keys = Object.keys(value);
  let sorted = true;
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) > (keys[index] as string)) {
      sorted = false;
      break;
    }
  }
  let changed = !sorted;
  const entries: [string, JsonValue][] = [];
  for (const key of sorted ? keys : keys.sort()) {
    const entry = value[key];
    if (entry === undefined) {
      changed = true;
      continue;
    }
    const canonical = canonicalValue(entry);
    if (canonical !== entry) changed = true;
    entries.push([key, canonical]);
  }
  return changed ? Object.fromEntries(entries) : value;
}

function hashText(text: string, seed: number): number {
  let hash = seed;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash;
}

/**
 * Internal: a 30-bit hash of a JSON value that equal values share whatever the order of their
 * object keys (entries are combined by addition), computed without allocating.
 *
 * @param value - A JSON value.
 * @returns The hash, a small integer.
 */
export function jsonHash(value: JsonValue): number {
  return hashValue(value) & 0x3fffffff;
}

function hashValue(value: JsonValue): number {
  switch (typeof value) {
    case 'string':
      return hashText(value, 0x811c9dc5);
    case 'number':
      return hashText(String(value), 0x1b873593);
    case 'boolean':
      return value ? 0x2f0f3a1b : 0x5bd1e995;
    default:
      break;
  }
  if (value === null) return 0x68e31da4;
  if (Array.isArray(value)) {
    let hash = 0x3c6ef372 ^ value.length;
    for (let index = 0; index < value.length; index++)
      hash = Math.imul(hash ^ hashValue(value[index] as JsonValue), 0x01000193);
    return hash;
  }
  let sum = 0x7f4a7c15;
  for (const key in value) {
    const entry = value[key];
    if (entry === undefined) continue;
    sum = (sum + Math.imul(hashText(key, 0x9e3779b9), hashValue(entry) | 1)) | 0;
  }
  return sum;
}
