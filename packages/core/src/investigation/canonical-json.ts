import { createHash } from 'node:crypto';
import type { JsonValue } from '../contracts/common';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = sortKeys(inner);
    }
    return out;
  }
  return value;
}

/** SHA-256 (hex) of the canonical JSON of a value. */
export function digestOf(value: JsonValue | undefined): string {
  return createHash('sha256')
    .update(canonicalJson(value ?? null))
    .digest('hex');
}

/** Turns any value into a JSON value (drops functions and undefined, dates to ISO strings). */
export function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}
