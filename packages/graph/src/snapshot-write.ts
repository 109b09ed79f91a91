import { type FactHolder, jsonEqual, sourcesOf, type ValueRecord } from './fact-record';
import { type EdgeState, type NodeState, outgoingEdges } from './graph-state';
import type { GraphStore } from './graph-store';
import { canonicalValue, type JsonValue, jsonHash } from './json-value';
import type { Provenance } from './provenance';
import { sortStrings } from './small-sort';
import {
  type GraphSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotEdges,
  type SnapshotFactColumns,
  type SnapshotHistory,
  type SnapshotNodes,
} from './snapshot-types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/** Tables shared by nodes and edges, each entry numbered in order of first use. */
class SnapshotTables {
  readonly provenance = {
    sources: [] as string[],
    source: [] as number[],
    observedAt: [] as number[],
    confidence: [] as number[],
    citation: [] as string[],
  };
  readonly provenanceLists: number[][] = [];
  readonly values: JsonValue[] = [];
  readonly attributeSets: string[][] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly recordByIdentity = new Map<Provenance, number>();
  private readonly recordByCitation = new Map<string, number | number[]>();
  private readonly singleLists: number[] = [];
  private readonly listByIdentity = new Map<readonly Provenance[], number>();
  private readonly listByContent = new Map<string, number>();
  private readonly valueByIdentity = new Map<object, number>();
  private readonly valueByHash = new Map<number, number | number[]>();
  private readonly stringValues = new Map<string, number>();
  private readonly numberValues = new Map<number, number>();
  private readonly otherValues = new Map<boolean | null, number>();
  private readonly setIndex = new Map<string, number>();

  record(entry: Provenance): number {
    let index = this.recordByIdentity.get(entry);
    if (index !== undefined) return index;
    // Equal records in other objects: found by citation (no key string to build), then compared.
    const table = this.provenance;
    const sameAs = (candidate: number): boolean =>
      table.observedAt[candidate] === entry.observedAt &&
      table.confidence[candidate] === entry.confidence &&
      table.sources[table.source[candidate] as number] === entry.source;
    const bucket = this.recordByCitation.get(entry.citation);
    if (typeof bucket === 'number') {
      if (sameAs(bucket)) index = bucket;
    } else if (bucket !== undefined) {
      index = bucket.find(sameAs);
    }
    if (index === undefined) {
      index = table.source.length;
      let source = this.sourceIndex.get(entry.source);
      if (source === undefined) {
        source = table.sources.length;
        table.sources.push(entry.source);
        this.sourceIndex.set(entry.source, source);
      }
      table.source.push(source);
      table.observedAt.push(entry.observedAt);
      table.confidence.push(entry.confidence);
      table.citation.push(entry.citation);
      if (bucket === undefined) this.recordByCitation.set(entry.citation, index);
      else if (typeof bucket === 'number') this.recordByCitation.set(entry.citation, [bucket, index]);
      else bucket.push(index);
    }
    this.recordByIdentity.set(entry, index);
    return index;
  }

  list(provenance: readonly Provenance[]): number {
    if (provenance.length === 1) {
      // Most lists hold one observation: numbered through their record, no key to build.
      const record = this.record(provenance[0] as Provenance);
      let index = this.singleLists[record];
      if (index === undefined) {
        index = this.provenanceLists.length;
        this.provenanceLists.push([record]);
        this.singleLists[record] = index;
      }
      return index;
    }
    let index = this.listByIdentity.get(provenance);
    if (index !== undefined) return index;
    const records = provenance.map((entry) => this.record(entry));
    const key = records.join(',');
    index = this.listByContent.get(key);
    if (index === undefined) {
      index = this.provenanceLists.length;
      this.provenanceLists.push(records);
      this.listByContent.set(key, index);
    }
    this.listByIdentity.set(provenance, index);
    return index;
  }

  value(value: JsonValue): number {
    if (typeof value === 'string') return this.primitive(this.stringValues, value);
    if (typeof value === 'number') return this.primitive(this.numberValues, value);
    if (value === null || typeof value !== 'object') return this.primitive(this.otherValues, value);
    let index = this.valueByIdentity.get(value);
    if (index !== undefined) return index;
    // Equal values (key order aside) share an entry: found by hash, then compared.
    const hash = jsonHash(value);
    const bucket = this.valueByHash.get(hash);
    if (typeof bucket === 'number') {
      if (jsonEqual(this.values[bucket] as JsonValue, value)) index = bucket;
    } else if (bucket !== undefined) {
      for (const candidate of bucket) {
        if (jsonEqual(this.values[candidate] as JsonValue, value)) {
          index = candidate;
          break;
        }
      }
    }
    if (index === undefined) {
      index = this.values.length;
      this.values.push(canonicalValue(value));
      if (bucket === undefined) this.valueByHash.set(hash, index);
      else if (typeof bucket === 'number') this.valueByHash.set(hash, [bucket, index]);
      else bucket.push(index);
    }
    this.valueByIdentity.set(value, index);
    return index;
  }

  private primitive<T>(map: Map<T, number>, value: T & JsonValue): number {
    let index = map.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      map.set(value, index);
    }
    return index;
  }

  attributeSet(names: readonly string[]): number {
    const key = names.join('\u0000');
    let index = this.setIndex.get(key);
    if (index === undefined) {
      index = this.attributeSets.length;
      this.attributeSets.push(names.slice());
      this.setIndex.set(key, index);
    }
    return index;
  }
}

function emptyColumns(): Mutable<SnapshotFactColumns> {
  return {
    facts: [],
    attributeSet: [],
    attributeValues: [],
    valueFacts: [],
    stale: [],
    sources: [],
    history: [],
    staleAttributes: [],
  };
}

/** Appends one subject's facts to the columns. */
function writeFacts(
  tables: SnapshotTables,
  columns: Mutable<SnapshotFactColumns>,
  subject: number,
  holder: FactHolder,
): void {
  const facts = tables.list(holder.provenance);
  columns.facts.push(facts);
  if (holder.stale) columns.stale.push(subject);
  const names = Object.keys(holder.values);
  if (names.length === 0) {
    columns.attributeSet.push(-1);
    columns.valueFacts.push(-1);
    return;
  }
  sortStrings(names);
  columns.attributeSet.push(tables.attributeSet(names));
  // The most common provenance list of the values becomes their default (on a tie, the existence's).
  const lists = names.map((name) => tables.list(sourcesOf(holder, name) as readonly Provenance[]));
  let common = lists[0] as number;
  if (lists.some((list) => list !== common)) {
    const counts = new Map<number, number>();
    let best = 0;
    for (const list of lists) {
      const count = (counts.get(list) ?? 0) + 1;
      counts.set(list, count);
      if (count > best || (count === best && list === facts)) {
        best = count;
        common = list;
      }
    }
  }
  columns.valueFacts.push(common === facts ? -1 : common);
  names.forEach((name, position) => {
    columns.attributeValues.push(tables.value(holder.values[name] as JsonValue));
    if (lists[position] !== common) columns.sources.push([subject, name, lists[position] as number]);
  });
  if (holder.history !== undefined) {
    for (const name of names) {
      const older = holder.history[name];
      if (older === undefined || older.length === 0) continue;
      const entry: SnapshotHistory = [
        subject,
        name,
        older.map((record: ValueRecord) => [
          tables.value(record.value),
          tables.list(record.provenance),
          record.stale,
        ]),
      ];
      columns.history.push(entry);
    }
  }
  if (holder.staleAttributes !== undefined && holder.staleAttributes.size > 0) {
    for (const name of sortStrings([...holder.staleAttributes]))
      columns.staleAttributes.push([subject, name]);
  }
}

/**
 * Internal: writes the canonical version 2 snapshot of a store: nodes sorted by reference, edges
 * by source, kind and target, tables in order of first use (nodes first, then edges).
 *
 * @param store - The graph.
 * @returns The snapshot.
 */
export function writeSnapshot(store: GraphStore): GraphSnapshot {
  const tables = new SnapshotTables();
  // Default sort: UTF-16 code unit order, as `<` compares, without a comparator call per pair.
  const nodeStates = [...store.nodeStateValues()]
    .map((state) => state.ref)
    .sort()
    .map((ref) => store.nodeState(ref) as NodeState);
  const nodes: Mutable<SnapshotNodes> = { refs: [], ...emptyColumns() };
  const position = new Int32Array(store.idLimit);
  nodeStates.forEach((state, index) => {
    position[state.id] = index;
    nodes.refs.push(state.ref);
    writeFacts(tables, nodes, index, state);
  });
  // Edges by source (in node order), then kind, then target (in node order).
  const edges: Mutable<SnapshotEdges> = { kinds: [], kind: [], source: [], target: [], ...emptyColumns() };
  const kindIndex = new Map<string, number>();
  const byKindThenTarget = (left: EdgeState, right: EdgeState): number =>
    left.kind < right.kind
      ? -1
      : left.kind > right.kind
        ? 1
        : (position[left.targetNode.id] as number) - (position[right.targetNode.id] as number);
  let index = 0;
  for (const node of nodeStates) {
    if (node.firstOut === undefined) continue;
    const source = position[node.id] as number;
    const outgoing = [...outgoingEdges(node)];
    if (outgoing.length > 1) outgoing.sort(byKindThenTarget);
    for (const state of outgoing) {
      let kind = kindIndex.get(state.kind);
      if (kind === undefined) {
        kind = edges.kinds.length;
        edges.kinds.push(state.kind);
        kindIndex.set(state.kind, kind);
      }
      edges.kind.push(kind);
      edges.source.push(source);
      edges.target.push(position[state.targetNode.id] as number);
      writeFacts(tables, edges, index++, state);
    }
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    takenAt: store.clock.now(),
    provenance: tables.provenance,
    provenanceLists: tables.provenanceLists,
    values: tables.values,
    attributeSets: tables.attributeSets,
    nodes,
    edges,
  };
}
