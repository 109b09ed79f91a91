import { z } from 'zod';
import { edgeKey } from './edge-kinds';
import {
  attributeValues,
  confidenceOf,
  ensureWritable,
  type FactHolder,
  newFacts,
  setAttributeValues,
  type ValueRecord,
} from './fact-record';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { type EdgeState, edgeKeyOf, type NodeState } from './graph-state';
import type { GraphStore } from './graph-store';
import { isJsonValue, type JsonValue } from './json-value';
import { compareProvenance, type Provenance } from './provenance';
import {
  type GraphSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotEdge,
  type SnapshotFacts,
  type SnapshotNode,
  type SnapshotProvenance,
  type SnapshotValue,
} from './snapshot-types';

const entityRefText = z.string().regex(/^[a-z][a-z0-9-]*:[^\s/:]+\/\S+$/, 'expected kind:namespace/name');
const indexList = z.array(z.number().int().nonnegative()).min(1);

function snapshotSchemasWith(values: z.ZodType<Record<string, JsonValue>>, jsonValue: z.ZodType<JsonValue>) {
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
    version: z.literal(SNAPSHOT_VERSION),
    takenAt: z.number(),
    provenance: z.array(z.tuple([z.string().min(1), z.number(), z.number().min(0).max(1), z.string()])),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()),
  });
  return { node, edge, header, full: header.extend({ nodes: z.array(node), edges: z.array(edge) }) };
}

type SnapshotSchemas = ReturnType<typeof snapshotSchemasWith>;

// Objects given by callers are checked value by value; JSON text parsed here holds JSON values only.
const jsonValue = z.custom<JsonValue>((value) => isJsonValue(value), { message: 'expected a JSON value' });
const checkedSchemas = snapshotSchemasWith(z.record(z.string(), jsonValue), jsonValue);
const parsedTextSchemas = snapshotSchemasWith(
  z.custom<Record<string, JsonValue>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { message: 'expected an object of attribute values' },
  ),
  z.custom<JsonValue>((value) => value !== undefined, { message: 'expected a JSON value' }),
);

/** The zod schema snapshots are validated with on load (format, version, references, provenance indexes). */
export const graphSnapshotSchema: z.ZodType<GraphSnapshot> =
  checkedSchemas.full as unknown as z.ZodType<GraphSnapshot>;

/** Internal: a node read from a snapshot. */
export interface DecodedNode {
  ref: string;
  facts: FactHolder;
}

/** Internal: an edge read from a snapshot. */
export interface DecodedEdge {
  key: string;
  source: string;
  kind: string;
  target: string;
  facts: FactHolder;
}

/** Internal: receives decoded nodes and edges as they are validated (streaming decode). */
export interface SnapshotSink {
  node(ref: string, facts: FactHolder): void;
  edge(key: string, source: string, kind: string, target: string, facts: FactHolder): void;
}

/** Internal: a validated snapshot turned into facts. */
export interface DecodedSnapshot {
  takenAt: number;
  nodes: DecodedNode[];
  edges: DecodedEdge[];
}

function provenanceKey(provenance: Provenance): string {
  return `${provenance.source}\u0000${provenance.observedAt}\u0000${provenance.confidence}\u0000${provenance.citation}`;
}

function sameIndexes(left: readonly number[], right: readonly number[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
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

/**
 * Internal: writes the canonical snapshot of a store.
 *
 * @param store - The graph.
 * @returns The snapshot.
 */
export function encodeSnapshot(store: GraphStore): GraphSnapshot {
  const table: SnapshotProvenance[] = [];
  const byIdentity = new Map<Provenance, number>();
  const byContent = new Map<string, number>();
  const indexOf = (provenance: Provenance): number => {
    let index = byIdentity.get(provenance);
    if (index !== undefined) return index;
    const key = provenanceKey(provenance);
    index = byContent.get(key);
    if (index === undefined) {
      index = table.length;
      table.push([provenance.source, provenance.observedAt, provenance.confidence, provenance.citation]);
      byContent.set(key, index);
    }
    byIdentity.set(provenance, index);
    return index;
  };
  const listIndexes = new Map<readonly Provenance[], number[]>();
  const factsOf = (provenance: readonly Provenance[]): number[] => {
    let indexes = listIndexes.get(provenance);
    if (indexes === undefined) {
      indexes = provenance.map(indexOf);
      listIndexes.set(provenance, indexes);
    }
    return indexes;
  };
  // Writes the facts into `encoded` (which already holds the subject's own fields), no spreading.
  const encodeFacts = (
    holder: FactHolder,
    encoded: { -readonly [K in keyof SnapshotFacts]?: SnapshotFacts[K] } & Record<string, unknown>,
  ): SnapshotFacts => {
    const facts = factsOf(holder.provenance);
    encoded.facts = facts;
    if (holder.stale) encoded.stale = true;
    const names = Object.keys(holder.sources);
    if (names.length === 0) return encoded as SnapshotFacts;
    names.sort();
    // The most common provenance list of the values becomes their default.
    const counts = new Map<string | number, { indexes: number[]; count: number }>();
    let common: { indexes: number[]; count: number } | undefined;
    for (const name of names) {
      const indexes = factsOf(holder.sources[name] as readonly Provenance[]);
      const key = indexes.length === 1 ? (indexes[0] as number) : indexes.join(',');
      let entry = counts.get(key);
      if (entry === undefined) {
        entry = { indexes, count: 0 };
        counts.set(key, entry);
      }
      entry.count++;
      if (common === undefined || entry.count > common.count) common = entry;
    }
    const defaultFacts = (common as { indexes: number[] }).indexes;
    const values: Record<string, JsonValue> = {};
    let sources: Record<string, number[]> | undefined;
    let history: Record<string, SnapshotValue[]> | undefined;
    for (const name of names) {
      values[name] = canonicalValue(holder.values[name] as JsonValue);
      const indexes = factsOf(holder.sources[name] as readonly Provenance[]);
      if (!sameIndexes(indexes, defaultFacts)) {
        sources ??= {};
        sources[name] = indexes;
      }
      const older = holder.history?.[name];
      if (older !== undefined && older.length > 0) {
        history ??= {};
        history[name] = older.map((record) =>
          record.stale
            ? { value: canonicalValue(record.value), facts: factsOf(record.provenance), stale: true }
            : { value: canonicalValue(record.value), facts: factsOf(record.provenance) },
        );
      }
    }
    encoded.values = values;
    if (!sameIndexes(defaultFacts, facts)) encoded.valueFacts = defaultFacts;
    if (sources !== undefined) encoded.sources = sources;
    if (history !== undefined) encoded.history = history;
    if (holder.staleAttributes !== undefined && holder.staleAttributes.size > 0) {
      encoded.staleAttributes = [...holder.staleAttributes].sort();
    }
    return encoded as SnapshotFacts;
  };
  // Default sort: UTF-16 code unit order, as `<` compares, without a comparator call per pair.
  const nodeStates = [...store.nodeStateValues()]
    .map((state) => state.ref)
    .sort()
    .map((ref) => store.nodeState(ref) as NodeState);
  const position = new Map<string, number>();
  const nodes: SnapshotNode[] = [];
  for (let index = 0; index < nodeStates.length; index++) {
    const state = nodeStates[index] as NodeState;
    position.set(state.ref, index);
    nodes.push(encodeFacts(state, { ref: state.ref }) as SnapshotNode);
  }
  const byKey = new Map<string, EdgeState>();
  for (const state of store.edgeStateValues()) byKey.set(edgeKeyOf(state), state);
  const edgeStates = [...byKey.keys()].sort().map((key) => byKey.get(key) as EdgeState);
  const edges: SnapshotEdge[] = [];
  for (const state of edgeStates) {
    const encoded = {
      source: position.get(state.source) as number,
      kind: state.kind,
      target: position.get(state.target) as number,
    };
    edges.push(encodeFacts(state, encoded) as SnapshotEdge);
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    takenAt: store.clock.now(),
    provenance: table,
    nodes,
    edges,
  };
}

function invalid(message: string, path: string): GraphInputError {
  return new GraphInputError(
    'invalid-snapshot',
    `graph-snapshot: ${path === '' ? '' : `${path}: `}${message}. Load a snapshot written by @aisre/graph.`,
    { path },
  );
}

interface SnapshotHeader {
  readonly schemas: SnapshotSchemas;
  readonly header: z.infer<SnapshotSchemas['header']>;
}

function readHeader(input: unknown): SnapshotHeader {
  let value = input;
  const fromText = typeof input === 'string';
  if (fromText) {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new GraphInputError(
        'invalid-snapshot',
        `graph-snapshot: not JSON (${(error as Error).message}). Load a snapshot written by @aisre/graph.`,
        { path: '' },
        { cause: error },
      );
    }
  }
  if (typeof value === 'object' && value !== null) {
    const header = value as { format?: unknown; version?: unknown };
    if (
      header.format === SNAPSHOT_FORMAT &&
      typeof header.version === 'number' &&
      header.version > SNAPSHOT_VERSION
    ) {
      throw invalid(
        `version ${header.version} is newer than this package reads (${SNAPSHOT_VERSION}); upgrade @aisre/graph`,
        'version',
      );
    }
  }
  const schemas = fromText ? parsedTextSchemas : checkedSchemas;
  return { schemas, header: parseWith(schemas.header, value) };
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = '', at = -1): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const prefix = where === '' ? '' : `${where}[${at}]`;
  const issue = parsed.error.issues[0];
  const path = formatFieldPath(issue?.path ?? []);
  throw invalid(
    issue?.message ?? 'invalid',
    prefix === ''
      ? path
      : path === ''
        ? prefix
        : path.startsWith('[')
          ? `${prefix}${path}`
          : `${prefix}.${path}`,
  );
}

/**
 * Internal: validates a whole snapshot (zod) without building anything.
 *
 * @param input - The snapshot object, or its JSON text.
 * @returns The validated snapshot.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function validateSnapshot(input: unknown): GraphSnapshot {
  const { schemas, header } = readHeader(input);
  return {
    ...header,
    nodes: header.nodes.map((node, index) => parseWith(schemas.node, node, 'nodes', index)),
    edges: header.edges.map((edge, index) => parseWith(schemas.edge, edge, 'edges', index)),
  } as GraphSnapshot;
}

/**
 * Internal: validates a snapshot (object or JSON text) and turns it into facts. Identical
 * provenance lists are shared, as they were when the snapshot was taken.
 *
 * @param input - The snapshot.
 * @param sink - When given, gets each node and edge as soon as it is decoded, and the returned
 *   lists stay empty (a graph built from scratch needs no second copy of the snapshot).
 * @returns The decoded snapshot.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function decodeSnapshot(input: unknown, sink?: SnapshotSink): DecodedSnapshot {
  // Nodes and edges are validated one at a time, as they are decoded: no second copy of the
  // whole snapshot is ever alive. Field paths are only spelled out for errors.
  const { schemas, header: snapshot } = readHeader(input);
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
  const resolve = (indexes: readonly number[], field: string): readonly Provenance[] => {
    const single = indexes.length === 1 ? (indexes[0] as number) : -1;
    const key = single >= 0 ? '' : indexes.join(',');
    const cached = single >= 0 ? singles[single] : lists.get(key);
    if (cached !== undefined) return cached;
    const list: Provenance[] = [];
    for (let position = 0; position < indexes.length; position++) {
      const entry = table[indexes[position] as number];
      if (entry === undefined) {
        throw invalid('provenance index out of range', `${where}[${at}].${field}[${position}]`);
      }
      list.push(entry);
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
  const fail = (message: string, field: string): never => {
    throw invalid(message, `${where}[${at}]${field === '' ? '' : `.${field}`}`);
  };
  const decodeFacts = (entry: SnapshotFacts): FactHolder => {
    const provenance = resolve(entry.facts, 'facts');
    const holder = newFacts(undefined, provenance);
    holder.confidence = confidenceOf(provenance);
    holder.stale = entry.stale === true;
    const values = entry.values;
    if (values === undefined) return holder;
    ensureWritable(holder);
    const defaultSources =
      entry.valueFacts === undefined ? provenance : resolve(entry.valueFacts, 'valueFacts');
    const sources = entry.sources;
    for (const name in values) {
      const explicit = sources?.[name];
      holder.values[name] = values[name] as JsonValue;
      holder.sources[name] = explicit === undefined ? defaultSources : resolve(explicit, `sources.${name}`);
    }
    if (sources !== undefined) {
      for (const name in sources)
        if (holder.sources[name] === undefined) fail(`no value for "${name}"`, `sources.${name}`);
    }
    if (entry.staleAttributes !== undefined) {
      for (const name of entry.staleAttributes) {
        if (holder.sources[name] === undefined) fail(`unknown attribute "${name}"`, 'staleAttributes');
        holder.staleAttributes ??= new Set();
        holder.staleAttributes.add(name);
      }
    }
    if (entry.history !== undefined) {
      for (const name in entry.history) {
        if (holder.sources[name] === undefined) fail(`no value for "${name}"`, `history.${name}`);
        const records: ValueRecord[] = attributeValues(holder, name);
        const older = entry.history[name] ?? [];
        for (let index = 0; index < older.length; index++) {
          const value = older[index] as SnapshotValue;
          records.push({
            value: value.value,
            provenance: resolve(value.facts, `history.${name}[${index}].facts`),
            stale: value.stale === true,
            key: undefined,
          });
        }
        setAttributeValues(holder, name, records);
      }
    }
    return holder;
  };
  const seenRefs = new Set<string>();
  const refs: string[] = [];
  const nodes: DecodedNode[] = [];
  where = 'nodes';
  for (at = 0; at < snapshot.nodes.length; at++) {
    const node = parseWith(schemas.node, snapshot.nodes[at], where, at);
    if (seenRefs.has(node.ref)) fail(`duplicate node "${node.ref}"`, 'ref');
    seenRefs.add(node.ref);
    refs.push(node.ref);
    if (sink === undefined) nodes.push({ ref: node.ref, facts: decodeFacts(node) });
    else sink.node(node.ref, decodeFacts(node));
  }
  const seenEdges = new Set<string>();
  const edges: DecodedEdge[] = [];
  where = 'edges';
  for (at = 0; at < snapshot.edges.length; at++) {
    const edge = parseWith(schemas.edge, snapshot.edges[at], where, at);
    const source = refs[edge.source];
    const target = refs[edge.target];
    if (source === undefined) fail(`no node at index ${edge.source}`, 'source');
    if (target === undefined) fail(`no node at index ${edge.target}`, 'target');
    if (source === target) fail('an edge cannot link a node to itself', 'target');
    const key = edgeKey(source as string, edge.kind, target as string);
    if (seenEdges.has(key)) fail('duplicate edge', '');
    seenEdges.add(key);
    if (sink === undefined) {
      edges.push({
        key,
        source: source as string,
        kind: edge.kind,
        target: target as string,
        facts: decodeFacts(edge),
      });
    } else {
      sink.edge(key, source as string, edge.kind, target as string, decodeFacts(edge));
    }
  }
  return { takenAt: snapshot.takenAt, nodes, edges };
}
