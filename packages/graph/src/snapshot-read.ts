import { edgeKey } from './edge-kinds';
import { splitEntityRef } from './entity-ref';
import {
  attributeValues,
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
import { snapshotStructureSchema } from './snapshot-schema';
import type { GraphSnapshot, SnapshotFactColumns } from './snapshot-types';

// Reads version 2 snapshots. The structure is checked once by zod (every column and table), then a
// single pass over the columns checks what a schema cannot (indexes in range, one entry per subject,
// duplicates) while it builds the graph; every failure names the field.

/** The resolved tables every subject refers to. */
interface Tables {
  readonly lists: readonly (readonly Provenance[])[];
  readonly values: readonly JsonValue[];
  readonly attributeSets: readonly (readonly string[])[];
}

/** Throws unless every named column of `columns` has `count` entries (one per `what`). */
function expectEntries<T extends object>(
  columns: T,
  fields: readonly (keyof T & string)[],
  count: number,
  what: string,
  where: string,
): void {
  for (const field of fields) {
    const length = (columns[field] as readonly unknown[]).length;
    if (length !== count) {
      throw invalidSnapshot(
        `expected ${count} entries (one per ${what}), got ${length}`,
        `${where}.${field}`,
      );
    }
  }
}

function provenanceRecords(snapshot: GraphSnapshot): Provenance[] {
  const { sources, source, observedAt, confidence, citation } = snapshot.provenance;
  const count = source.length;
  expectEntries(snapshot.provenance, ['observedAt', 'confidence', 'citation'], count, 'record', 'provenance');
  const records: Provenance[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const name = sources[source[index] as number];
    if (name === undefined) throw invalidSnapshot('no such source', `provenance.source[${index}]`);
    records[index] = {
      source: name,
      observedAt: observedAt[index] as number,
      confidence: confidence[index] as number,
      citation: citation[index] as string,
    };
  }
  return records;
}

function resolveTables(snapshot: GraphSnapshot, fromText: boolean): Tables {
  const records = provenanceRecords(snapshot);
  const lists: Provenance[][] = [];
  snapshot.provenanceLists.forEach((indexes, listIndex) => {
    const list: Provenance[] = new Array(indexes.length);
    for (let position = 0; position < indexes.length; position++) {
      const record = records[indexes[position] as number];
      if (record === undefined) {
        throw invalidSnapshot('no such provenance record', `provenanceLists[${listIndex}][${position}]`);
      }
      list[position] = record;
    }
    // Lists written by this package are already in canonical order.
    for (let position = 1; position < list.length; position++) {
      if (compareProvenance(list[position - 1] as Provenance, list[position] as Provenance) > 0) {
        list.sort(compareProvenance);
        break;
      }
    }
    lists.push(list);
  });
  if (!fromText) {
    snapshot.values.forEach((value, index) => {
      if (!isJsonValue(value)) throw invalidSnapshot('expected a JSON value', `values[${index}]`);
    });
  }
  snapshot.attributeSets.forEach((names, setIndex) => {
    for (let position = 1; position < names.length; position++) {
      if (!((names[position - 1] as string) < (names[position] as string))) {
        throw invalidSnapshot(
          'attribute names must be sorted and distinct',
          `attributeSets[${setIndex}][${position}]`,
        );
      }
    }
  });
  return { lists, values: snapshot.values, attributeSets: snapshot.attributeSets };
}

/** Reads the facts of one kind of subject (nodes or edges), subject by subject, in one pass. */
class FactReader {
  private valueCursor = 0;
  private staleCursor = 0;
  private sourcesCursor = 0;
  private historyCursor = 0;
  private staleAttributesCursor = 0;

  constructor(
    private readonly columns: SnapshotFactColumns,
    private readonly tables: Tables,
    private readonly where: 'nodes' | 'edges',
    private readonly count: number,
  ) {
    expectEntries(columns, ['facts', 'attributeSet', 'valueFacts'], count, where.slice(0, -1), where);
  }

  private fail(message: string, field: string): never {
    throw invalidSnapshot(message, `${this.where}.${field}`);
  }

  private list(index: number, field: string): readonly Provenance[] {
    const list = this.tables.lists[index];
    return list === undefined ? this.fail('no such provenance list', field) : list;
  }

  /** The facts of subject `subject` (subjects must be read in order). */
  read(subject: number): FactHolder {
    const columns = this.columns;
    const listIndex = columns.facts[subject] as number;
    const provenance = this.list(listIndex, `facts[${subject}]`);
    const holder = newFacts(undefined, provenance);
    const set = columns.attributeSet[subject] as number;
    if (set >= 0) {
      const names = this.tables.attributeSets[set];
      if (names === undefined) this.fail('no such attribute set', `attributeSet[${subject}]`);
      const valueList = columns.valueFacts[subject] as number;
      const sources = valueList < 0 ? provenance : this.list(valueList, `valueFacts[${subject}]`);
      const values: Record<string, JsonValue> = {};
      const table = this.tables.values;
      const flat = columns.attributeValues;
      for (const name of names as readonly string[]) {
        const position = this.valueCursor++;
        const valueIndex = flat[position];
        if (valueIndex === undefined)
          this.fail('fewer values than the attribute sets name', `attributeValues`);
        if ((valueIndex as number) >= table.length)
          this.fail('no such value', `attributeValues[${position}]`);
        values[name] = table[valueIndex as number] as JsonValue;
      }
      holder.values = values;
      holder.valueSources = sources;
    } else if ((columns.valueFacts[subject] as number) >= 0) {
      this.fail('provenance for values of a subject without attributes', `valueFacts[${subject}]`);
    }
    this.sparse(subject, holder);
    return holder;
  }

  /** The entries of the sparse columns that belong to `subject` (they are in subject order). */
  private sparse(subject: number, holder: FactHolder): void {
    const { stale, sources, history, staleAttributes } = this.columns;
    while (this.staleCursor < stale.length && stale[this.staleCursor] === subject) {
      holder.stale = true;
      this.staleCursor++;
    }
    const known = (name: string, field: string): void => {
      if (holder.values[name] === undefined) this.fail(`no attribute "${name}" on this subject`, field);
    };
    for (; this.sourcesCursor < sources.length; this.sourcesCursor++) {
      const [owner, name, list] = sources[this.sourcesCursor] as readonly [number, string, number];
      if (owner !== subject) break;
      const field = `sources[${this.sourcesCursor}]`;
      known(name, field);
      setSourcesOf(holder, name, this.list(list, field));
    }
    for (; this.historyCursor < history.length; this.historyCursor++) {
      const [owner, name, older] = history[this.historyCursor] as GraphSnapshot['nodes']['history'][number];
      if (owner !== subject) break;
      const field = `history[${this.historyCursor}]`;
      known(name, field);
      if (holder.history?.[name] !== undefined) this.fail(`a second history of "${name}"`, field);
      const records: ValueRecord[] = attributeValues(holder, name);
      older.forEach(([value, list, isStale], position) => {
        if (value >= this.tables.values.length) this.fail('no such value', `${field}[2][${position}][0]`);
        records.push({
          value: this.tables.values[value] as JsonValue,
          provenance: this.list(list, `${field}[2][${position}][1]`),
          stale: isStale,
          key: undefined,
        });
      });
      setAttributeValues(holder, name, records);
    }
    for (; this.staleAttributesCursor < staleAttributes.length; this.staleAttributesCursor++) {
      const [owner, name] = staleAttributes[this.staleAttributesCursor] as readonly [number, string];
      if (owner !== subject) break;
      known(name, `staleAttributes[${this.staleAttributesCursor}]`);
      holder.staleAttributes ??= new Set();
      holder.staleAttributes.add(name);
    }
  }

  /** After the last subject: every entry must have been read. */
  finish(): void {
    const columns = this.columns;
    if (this.valueCursor !== columns.attributeValues.length) {
      this.fail(`more values than the attribute sets name (${this.valueCursor} named)`, 'attributeValues');
    }
    const leftover = (field: 'stale' | 'sources' | 'history' | 'staleAttributes', cursor: number) => {
      const entry = columns[field][cursor];
      if (entry === undefined) return;
      const owner = typeof entry === 'number' ? entry : entry[0];
      this.fail(
        owner >= this.count
          ? `no ${this.where.slice(0, -1)} at index ${owner}`
          : 'entries must be in subject order',
        `${field}[${cursor}]`,
      );
    };
    leftover('stale', this.staleCursor);
    leftover('sources', this.sourcesCursor);
    leftover('history', this.historyCursor);
    leftover('staleAttributes', this.staleAttributesCursor);
  }
}

/**
 * Internal: validates a version 2 snapshot and builds its nodes and edges into an empty store
 * ({@link checkSnapshotStructure}, then {@link buildSnapshot}).
 *
 * @param value - The snapshot (parsed).
 * @param fromText - Whether it was parsed from JSON text here (its values are JSON then).
 * @param store - An empty store.
 * @returns When the snapshot was taken.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function readSnapshot(value: unknown, fromText: boolean, store: GraphStore): number {
  return buildSnapshot(checkSnapshotStructure(value), fromText, store);
}

/**
 * Internal: the first step of reading: the zod check of every column and table.
 *
 * @param value - The snapshot (parsed).
 * @returns The snapshot, typed.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function checkSnapshotStructure(value: unknown): GraphSnapshot {
  return parseSnapshotPart(snapshotStructureSchema, value) as GraphSnapshot;
}

/**
 * Internal: the second step: builds the nodes and edges of a structurally valid snapshot into an
 * empty store, checking indexes, column lengths and duplicates as it goes.
 *
 * @param snapshot - A snapshot that passed {@link checkSnapshotStructure}.
 * @param fromText - Whether it was parsed from JSON text here (its values are JSON then).
 * @param store - An empty store.
 * @returns When the snapshot was taken.
 * @throws {@link GraphInputError} `invalid-snapshot` with the field path.
 */
export function buildSnapshot(snapshot: GraphSnapshot, fromText: boolean, store: GraphStore): number {
  const tables = resolveTables(snapshot, fromText);
  const refs = snapshot.nodes.refs;
  const nodes: NodeState[] = new Array(refs.length);
  const nodeFacts = new FactReader(snapshot.nodes, tables, 'nodes', refs.length);
  for (let index = 0; index < refs.length; index++) {
    const ref = refs[index] as string;
    if (store.nodeState(ref) !== undefined) {
      throw invalidSnapshot(`duplicate node "${ref}"`, `nodes.refs[${index}]`);
    }
    // Its form was checked by the schema.
    nodes[index] = store.restoreNode(ref, nodeFacts.read(index), splitEntityRef(ref));
  }
  nodeFacts.finish();
  const { kinds, kind, source, target } = snapshot.edges;
  const count = kind.length;
  expectEntries(snapshot.edges, ['source', 'target'], count, 'edge', 'edges');
  const edgeFacts = new FactReader(snapshot.edges, tables, 'edges', count);
  for (let index = 0; index < count; index++) {
    const from = nodes[source[index] as number];
    const to = nodes[target[index] as number];
    const edgeKind = kinds[kind[index] as number];
    if (from === undefined) throw invalidSnapshot('no such node', `edges.source[${index}]`);
    if (to === undefined) throw invalidSnapshot('no such node', `edges.target[${index}]`);
    if (edgeKind === undefined) throw invalidSnapshot('no such edge kind', `edges.kind[${index}]`);
    if (from === to) throw invalidSnapshot('an edge cannot link a node to itself', `edges.target[${index}]`);
    if (store.restoreEdgeBetween(from, edgeKind, to, edgeFacts.read(index))) {
      throw invalidSnapshot(
        `duplicate edge "${edgeKey(from.ref, edgeKind, to.ref)}"`,
        `edges.kind[${index}]`,
      );
    }
  }
  edgeFacts.finish();
  return snapshot.takenAt;
}
