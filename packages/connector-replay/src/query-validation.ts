import { entityRefSchema, metricRangeQuerySchema, parseWith } from '@aisre/core';
import { z } from 'zod';

const windowShape = {
  entity: entityRefSchema.optional(),
  start: z.number().finite(),
  end: z.number().finite(),
};
const endNotBeforeStart = { message: 'end must not be before start', path: ['end'] };

/** A window query: optional entity, start and end in epoch milliseconds, end not before start. */
export const windowQuerySchema = z
  .object(windowShape)
  .refine((query) => query.end >= query.start, endNotBeforeStart);

/** A span query: a window and an optional limit. */
export const spanQuerySchema = z
  .object({ ...windowShape, limit: z.number().int().positive().optional() })
  .refine((query) => query.end >= query.start, endNotBeforeStart);

/** A log search. */
export const logQuerySchema = z
  .object({
    ...windowShape,
    text: z.string().optional(),
    minLevel: z.enum(['debug', 'info', 'warn', 'error', 'fatal']).optional(),
    limit: z.number().int().positive().optional(),
  })
  .refine((query) => query.end >= query.start, endNotBeforeStart);

/** A metric range query, end not before start. */
export const rangeQuerySchema = metricRangeQuerySchema.refine(
  (query) => query.end >= query.start,
  endNotBeforeStart,
);

/** A metric listing query. */
export const metricListQuerySchema = z.object({ entity: entityRefSchema.optional() });

/**
 * Validates a query, or throws an `InvalidInputError` naming the fields.
 *
 * @param schema - the query schema
 * @param value - the query as received
 * @param operation - the capability method, for the message
 */
export function validateQuery<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, value, `connector-replay: ${operation} query`);
}
