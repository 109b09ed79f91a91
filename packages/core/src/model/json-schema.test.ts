import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '../errors/aisre-error';
import {
  isStrictJsonSchema,
  toJsonSchema,
  toStructuredOutputSchema,
  toWireName,
  unwrapStructuredValue,
} from './json-schema';

describe('toJsonSchema', () => {
  it('describes objects without the $schema key, every field listed, no extra properties', () => {
    const schema = z.object({ service: z.string().describe('the service'), replicas: z.number().int() });
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        service: { type: 'string', description: 'the service' },
        replicas: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
      },
      required: ['service', 'replicas'],
      additionalProperties: false,
    });
  });

  it('falls back to the input side for transforms', () => {
    const schema = z.object({ count: z.string().transform((value) => Number(value)) });
    expect(toJsonSchema(schema)).toMatchObject({ properties: { count: { type: 'string' } } });
  });

  it('refuses types JSON Schema cannot describe with an InvalidInputError', () => {
    expect(() => toJsonSchema(z.object({ at: z.date() }))).toThrow(InvalidInputError);
  });
});

describe('toStructuredOutputSchema', () => {
  it('keeps object schemas as they are', () => {
    expect(toStructuredOutputSchema(z.object({ a: z.string() })).wrapped).toBe(false);
  });

  it('wraps other schemas as { value }, and unwraps replies', () => {
    const { jsonSchema, wrapped } = toStructuredOutputSchema(z.array(z.string()));
    expect(wrapped).toBe(true);
    expect(jsonSchema).toEqual({
      type: 'object',
      properties: { value: { type: 'array', items: { type: 'string' } } },
      required: ['value'],
      additionalProperties: false,
    });
    expect(unwrapStructuredValue({ value: ['a'] }, true)).toEqual(['a']);
    expect(unwrapStructuredValue({ value: ['a'] }, false)).toEqual({ value: ['a'] });
  });
});

describe('isStrictJsonSchema', () => {
  it('accepts schemas whose objects are closed and fully required', () => {
    expect(isStrictJsonSchema(toJsonSchema(z.object({ a: z.array(z.object({ b: z.string() })) })))).toBe(
      true,
    );
    expect(isStrictJsonSchema(toJsonSchema(z.object({ a: z.string().nullable() })))).toBe(true);
  });

  it('rejects optional fields and open objects', () => {
    expect(isStrictJsonSchema(toJsonSchema(z.object({ a: z.string().optional() })))).toBe(false);
    expect(
      isStrictJsonSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
    ).toBe(false);
    expect(
      isStrictJsonSchema(toJsonSchema(z.object({ a: z.array(z.object({ b: z.string().optional() })) }))),
    ).toBe(false);
  });
});

describe('toWireName', () => {
  it('replaces characters APIs refuse and keeps at most 64', () => {
    expect(toWireName('root cause.v2')).toBe('root_cause_v2');
    expect(toWireName('x'.repeat(80))).toHaveLength(64);
    expect(toWireName('')).toBe('output');
  });
});
