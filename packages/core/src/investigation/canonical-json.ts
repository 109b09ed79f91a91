import * as crypto from 'node:crypto';
import type { JsonValue } from '../contracts/common';

/** JSON with object keys sorted at every level, so equal values always give equal text. Written in one pass. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, parts: string[]): void {
  if (value === null || typeof value !== 'object') {
    parts.push(JSON.stringify(value ?? null) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) parts.push(',');
      const item: unknown = value[index];
      write(item === undefined || typeof item === 'function' ? null : item, parts);
    }
    parts.push(']');
    return;
  }
  parts.push('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner === undefined || typeof inner === 'function') continue;
    if (!first) parts.push(',');
    first = false;
    parts.push(JSON.stringify(key), ':');
    write(inner, parts);
  }
  parts.push('}');
}

/**
 * SHA-256 (hex) of the canonical JSON of a value. `ordered: true` skips the key sorting for values whose key
 * order is already fixed by the producer (objects built by a zod schema follow the schema's order).
 */
export function digestOf(value: JsonValue | undefined, options: { ordered?: boolean } = {}): string {
  const text = options.ordered ? JSON.stringify(value ?? null) : canonicalJson(value ?? null);
  return sha256Hex(text);
}

/** One-shot `crypto.hash` where the runtime has it (Node ≥ 20.12), a `Hash` object elsewhere. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Turns any value into a JSON value (drops functions and undefined, dates to ISO strings). */
export function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}
