import { parseWith } from '@aisre/core';
import type { z } from 'zod';

export {
  logQuerySchema,
  metricListQuerySchema,
  metricRangeQuerySchema as rangeQuerySchema,
  spanQuerySchema,
  windowQuerySchema,
} from '@aisre/core';

/**
 * Validates a query with a contract schema of `@aisre/core`, or throws an `InvalidInputError` naming the fields.
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
