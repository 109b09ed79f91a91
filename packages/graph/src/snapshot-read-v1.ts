import { z } from 'zod';
import { edgeKey } from './edge-kinds';
import {
  attributeValues,
  ensureWritable,
  type FactHolder,
  newFacts,
  setAttributeValues,
  setSourcesOf,
  type ValueRecord,
} from './fact-record';
import type { NodeState } from './graph-state';
import type { GraphStore } from './graph-store';
import { isJsonValue, type JsonValue } from './json-value';
import { compareProvenance, type Provenance } from './provenance';
import { invalidSnapshot, parseSnapshotPart } from './snapshot-errors';
import { SNAPSHOT_FORMAT, type SnapshotFactsV1, type SnapshotValueV1 } from './snapshot-types';

// Reads snapshots of version 1 (one object per node and edge), as earlier versions of this package
// wrote them. Kept as it was: validated node by node and edge by edge (zod), then decoded.

const entityRefText = z.string().regex(/^[a-z][a-z0-9-]*:[^\s/:]+\/\S+$/, 'expected kind:namespace/name');
const indexList = z.array(z.number().int().nonnegative()).min(1);

function schemasWith(values: z.ZodType<Record<string, JsonValue>>, jsonValue: z.ZodType<JsonValue>) {
  const facts = {
    facts: indexList,
    stale: z.literal(true).optional(),
    values: values.optional(),
    valueFacts: indexList.optional(),
    sources: z.record(z.string(), indexList).optional(),
    history: z
      .record(
        z.string(),
        z.array(z.object({ value: jsonValue, facts: indexList, stale: z.literal(true).optional() })).min(1),
      )
      .optional(),
    staleAttributes: z.array(z.string()).optional(),
  };
  const node = z.object({ ref: entityRefText, ...facts });
  const edge = z.object({
    source: z.number().int().nonnegative(),
    kind: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected an edge kind'),
    target: z.number().int().nonnegative(),
    ...facts,
  });
  const header = z.object({
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(1),
    takenAt: z.number(),
    provenance: z.array(z.tuple([z.string().min(1), z.number(), z.number().min(0).max(1), z.string()])),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()),
  });
  return { node, edge, header, full: header.extend({ nodes: z.array(node), edges: z.array(edge) }) };
}

// Objects given by callers are checked value by value; JSON text parsed here holds JSON values only.
const jsonValue = z.custom<JsonValue>((value) => isJsonValue(value), { message: 'expected a JSON value' });
const checkedSchemas = schemasWith(z.record(z.string(), jsonValue), jsonValue);
const parsedTextSchemas = schemasWith(
  z.custom<Record<string, JsonValue>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { message: 'expected an object of attribute values' },
  ),
  z.custom<JsonValue>((value) => value !== undefined, { message: 'expected a JSON value' }),
);

/** Internal: the zod schema of a whole version 1 snapshot. */
export const graphSnapshotV1Schema = checkedSchemas.full;

/**
 * Internal: validates a version 1 snapshot and builds its nodes and edges into an empty store.
 * Identical provenance lists are shared, as they were when the snapshot was taken.
 *
 * @param value - The snapshot (parsed).
 * @param fromText - Whether it was parsed from JSON text here (its values are JSON then).
 * @param store - An empty store.
 * @returns When the snapshot was taken.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function readSnapshotV1(value: unknown, fromText: boolean, store: GraphStore): number {
  const schemas = fromText ? parsedTextSchemas : checkedSchemas;
  const snapshot = parseSnapshotPart(schemas.header, value);
  const table: Provenance[] = snapshot.provenance.map(([source, observedAt, confidence, citation]) => ({
    source,
    observedAt,
    confidence,
    citation,
  }));
  const singles: (readonly Provenance[] | undefined)[] = [];
  const lists = new Map<string, readonly Provenance[]>();
  let where = '';
  let at = 0;
  const fail = (message: string, field: string): never => {
    throw invalidSnapshot(message, `${where}[${at}]${field === '' ? '' : `.${field}`}`);
  };
  const resolve = (indexes: readonly number[], field: string): readonly Provenance[] => {
    const single = indexes.length === 1 ? (indexes[0] as number) : -1;
    const key = single >= 0 ? '' : indexes.join(',');
    const cached = single >= 0 ? singles[single] : lists.get(key);
    if (cached !== undefined) return cached;
    const list: Provenance[] = [];
    for (let position = 0; position < indexes.length; position++) {
      const entry = table[indexes[position] as number];
      if (entry === undefined) fail('provenance index out of range', `${field}[${position}]`);
      list.push(entry as Provenance);
    }
    // Lists written by this package are already in canonical order.
    for (let position = 1; position < list.length; position++) {
      if (compareProvenance(list[position - 1] as Provenance, list[position] as Provenance) > 0) {
        list.sort(compareProvenance);
        break;
      }
    }
    if (single >= 0) singles[single] = list;
    else lists.set(key, list);
    return list;
  };
  const decodeFacts = (entry: SnapshotFactsV1): FactHolder => {
    const provenance = resolve(entry.facts, 'facts');
    const holder = newFacts(undefined, provenance);
    holder.stale = entry.stale === true;
    const values = entry.values;
    if (values === undefined) return holder;
    ensureWritable(holder);
    const defaultSources =
      entry.valueFacts === undefined ? provenance : resolve(entry.valueFacts, 'valueFacts');
    const sources = entry.sources;
    holder.valueSources = defaultSources;
    for (const name in values) {
      const explicit = sources?.[name];
      holder.values[name] = values[name] as JsonValue;
      if (explicit !== undefined) setSourcesOf(holder, name, resolve(explicit, `sources.${name}`));
    }
    if (sources !== undefined) {
      for (const name in sources)
        if (holder.values[name] === undefined) fail(`no value for "${name}"`, `sources.${name}`);
    }
    if (entry.staleAttributes !== undefined) {
      for (const name of entry.staleAttributes) {
        if (holder.values[name] === undefined) fail(`unknown attribute "${name}"`, 'staleAttributes');
        holder.staleAttributes ??= new Set();
        holder.staleAttributes.add(name);
      }
    }
    if (entry.history !== undefined) {
      for (const name in entry.history) {
        if (holder.values[name] === undefined) fail(`no value for "${name}"`, `history.${name}`);
        const records: ValueRecord[] = attributeValues(holder, name);
        const older = entry.history[name] ?? [];
        for (let index = 0; index < older.length; index++) {
          const former = older[index] as SnapshotValueV1;
          records.push({
            value: former.value,
            provenance: resolve(former.facts, `history.${name}[${index}].facts`),
            stale: former.stale === true,
            key: undefined,
          });
        }
        setAttributeValues(holder, name, records);
      }
    }
    return holder;
  };
  const nodes: NodeState[] = [];
  where = 'nodes';
  for (at = 0; at < snapshot.nodes.length; at++) {
    const node = parseSnapshotPart(schemas.node, snapshot.nodes[at], `${where}[${at}]`);
    if (store.nodeState(node.ref) !== undefined) fail(`duplicate node "${node.ref}"`, 'ref');
    nodes.push(store.restoreNode(node.ref, decodeFacts(node)));
  }
  where = 'edges';
  for (at = 0; at < snapshot.edges.length; at++) {
    const edge = parseSnapshotPart(schemas.edge, snapshot.edges[at], `${where}[${at}]`);
    const source = nodes[edge.source];
    const target = nodes[edge.target];
    if (source === undefined) fail(`no node at index ${edge.source}`, 'source');
    if (target === undefined) fail(`no node at index ${edge.target}`, 'target');
    if (source === target) fail('an edge cannot link a node to itself', 'target');
    const facts = decodeFacts(edge);
    if (store.restoreEdgeBetween(source as NodeState, edge.kind, target as NodeState, facts)) {
      fail(
        `duplicate edge "${edgeKey((source as NodeState).ref, edge.kind, (target as NodeState).ref)}"`,
        '',
      );
    }
  }
  return snapshot.takenAt;
}
