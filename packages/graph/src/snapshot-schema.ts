import { z } from 'zod';
import { isJsonValue, type JsonValue } from './json-value';
import { type GraphSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-types';

const index = z.number().int().nonnegative();
const indexOrNone = z.number().int().min(-1);
const attributeName = z.string().min(1);

/**
 * Internal: the zod schema of a version 2 snapshot, with the schema its attribute values are
 * checked with. Every column is a flat array: checking one is a loop over numbers, which the
 * compiled check of `schema-fast-check.ts` runs without zod building a copy of the snapshot.
 *
 * @param jsonValue - Schema of one attribute value.
 * @returns The schema.
 */
function snapshotSchemaWith(jsonValue: z.ZodType<JsonValue>) {
  const columns = {
    facts: z.array(index),
    attributeSet: z.array(indexOrNone),
    attributeValues: z.array(index),
    valueFacts: z.array(indexOrNone),
    stale: z.array(index),
    sources: z.array(z.tuple([index, attributeName, index])),
    history: z.array(z.tuple([index, attributeName, z.array(z.tuple([index, index, z.boolean()])).min(1)])),
    staleAttributes: z.array(z.tuple([index, attributeName])),
  };
  return z.object({
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(SNAPSHOT_VERSION),
    takenAt: z.number(),
    provenance: z.object({
      sources: z.array(z.string().min(1)),
      source: z.array(index),
      observedAt: z.array(z.number()),
      confidence: z.array(z.number().min(0).max(1)),
      citation: z.array(z.string()),
    }),
    provenanceLists: z.array(z.array(index).min(1)),
    values: z.array(jsonValue),
    attributeSets: z.array(z.array(attributeName)),
    nodes: z.object({
      refs: z.array(z.string().regex(/^[a-z][a-z0-9-]*:[^\s/:]+\/\S+$/, 'expected kind:namespace/name')),
      ...columns,
    }),
    edges: z.object({
      kinds: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected an edge kind')),
      kind: z.array(index),
      source: z.array(index),
      target: z.array(index),
      ...columns,
    }),
  });
}

/**
 * Internal: the schema the loader checks snapshots with: everything but the attribute values,
 * which JSON text cannot get wrong and which the loader checks itself for objects given by
 * callers (`values[i]`: expected a JSON value), one loop instead of zod's copy.
 */
export const snapshotStructureSchema = snapshotSchemaWith(z.unknown() as z.ZodType<JsonValue>);

/**
 * The zod schema of the current snapshot version: format, version, every column and table, and
 * that attribute values are JSON values. `loadSnapshot` also checks what a schema cannot say
 * (indexes in range, one entry per subject in every column, no duplicate node or edge), each
 * failure an `invalid-snapshot` error with the field path.
 */
export const graphSnapshotSchema: z.ZodType<GraphSnapshot> = snapshotSchemaWith(
  z.custom<JsonValue>((value) => isJsonValue(value), { message: 'expected a JSON value' }),
) as unknown as z.ZodType<GraphSnapshot>;
