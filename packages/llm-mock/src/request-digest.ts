import { createHash } from 'node:crypto';
import { type GenerateRequest, type JsonValue, toJsonSchema } from '@aisre/core';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => [key, canonical(record[key])]),
  );
}

function schemaOf(request: GenerateRequest): JsonValue | undefined {
  if (!request.schema) return undefined;
  try {
    return { name: request.schema.name, jsonSchema: toJsonSchema(request.schema.schema) };
  } catch {
    return { name: request.schema.name };
  }
}

/**
 * A stable digest of what a request asks (SHA-256, hex) over its system prompt, messages, tools and
 * output schema; sampling settings and the signal do not count, nor does the key order of objects.
 * Replays compare it to tell whether a run still asks the model the same things.
 *
 * @param request - the request
 */
export function digestRequest(request: GenerateRequest): string {
  const content = canonical({
    system: request.system,
    messages: request.messages,
    tools: request.tools,
    schema: schemaOf(request),
  });
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
