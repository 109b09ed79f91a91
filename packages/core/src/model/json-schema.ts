import { z } from 'zod';
import type { JsonValue } from '../contracts/common';
import { InvalidInputError } from '../errors/aisre-error';

/** A JSON Schema document, as sent to model APIs. */
export type JsonSchema = Record<string, JsonValue>;

function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { io }) as JsonSchema;
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

/**
 * Turns a zod schema into the JSON Schema a model API expects (without the `$schema` key). Objects are
 * described as the schema outputs them (every field listed, `additionalProperties: false`), which is what
 * strict structured-output modes need; schemas with transforms fall back to their input side.
 *
 * Throws an {@link InvalidInputError} for types JSON Schema cannot describe (dates, maps, functions).
 *
 * @param schema - the zod schema of a tool input or a structured reply
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  try {
    return convert(schema, 'output');
  } catch {
    try {
      return convert(schema, 'input');
    } catch (error) {
      throw new InvalidInputError(
        `core: model: this zod schema cannot be turned into JSON Schema (${error instanceof Error ? error.message : String(error)}): use JSON types (e.g. z.iso.datetime() instead of z.date())`,
        { cause: error },
      );
    }
  }
}

/** The JSON Schema of a structured reply, wrapped in an object when the schema is not one. */
export interface StructuredOutputSchema {
  /** An object schema, as model APIs require at the root. */
  jsonSchema: JsonSchema;
  /** True when the reply schema was wrapped as the `value` field of an object; see {@link unwrapStructuredValue}. */
  wrapped: boolean;
}

/**
 * The JSON Schema to send for a structured reply. APIs accept only objects at the root, so any other
 * schema (an array, a string, a union) is wrapped as `{ value: … }`; read the reply back with
 * {@link unwrapStructuredValue}.
 *
 * @param schema - the zod schema of the reply
 */
export function toStructuredOutputSchema(schema: z.ZodType): StructuredOutputSchema {
  const jsonSchema = toJsonSchema(schema);
  if (jsonSchema.type === 'object') return { jsonSchema, wrapped: false };
  const { $defs, definitions, ...inner } = jsonSchema;
  return {
    jsonSchema: {
      type: 'object',
      properties: { value: inner },
      required: ['value'],
      additionalProperties: false,
      ...($defs === undefined ? {} : { $defs }),
      ...(definitions === undefined ? {} : { definitions }),
    },
    wrapped: true,
  };
}

/**
 * Undoes the wrapping of {@link toStructuredOutputSchema}: returns `value.value` when the schema was
 * wrapped, `value` itself otherwise.
 *
 * @param value - the parsed reply
 * @param wrapped - whether the schema was wrapped
 */
export function unwrapStructuredValue(value: unknown, wrapped: boolean): unknown {
  if (!wrapped) return value;
  if (typeof value === 'object' && value !== null && 'value' in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when a JSON Schema meets the rules of OpenAI's strict structured outputs: every object lists all
 * its properties as required and sets `additionalProperties: false`. Adapters send `strict: true` only
 * then, so optional fields still work (non-strictly) instead of being refused.
 *
 * @param jsonSchema - the schema (or any node of it)
 */
export function isStrictJsonSchema(jsonSchema: unknown): boolean {
  if (Array.isArray(jsonSchema)) return jsonSchema.every(isStrictJsonSchema);
  if (!isRecord(jsonSchema)) return true;
  const properties = jsonSchema.properties;
  if (isRecord(properties) || jsonSchema.type === 'object') {
    if (jsonSchema.additionalProperties !== false) return false;
    const required = Array.isArray(jsonSchema.required) ? jsonSchema.required : [];
    const names = isRecord(properties) ? Object.keys(properties) : [];
    if (!names.every((name) => required.includes(name))) return false;
  }
  for (const key of ['properties', '$defs', 'definitions'] as const) {
    const children = jsonSchema[key];
    if (isRecord(children) && !Object.values(children).every(isStrictJsonSchema)) return false;
  }
  for (const key of ['items', 'prefixItems', 'anyOf', 'oneOf', 'allOf', 'not'] as const) {
    if (!isStrictJsonSchema(jsonSchema[key])) return false;
  }
  return true;
}

/**
 * A name model APIs accept for a tool or schema (`^[a-zA-Z0-9_-]{1,64}$`): other characters become `_`.
 *
 * @param name - the name to clean
 */
export function toWireName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'output' : cleaned;
}
