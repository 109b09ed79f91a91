import type { JsonValue } from './json-value';

/** The `format` field of every snapshot. */
export const SNAPSHOT_FORMAT = 'aisre.graph.snapshot';

/** The snapshot version this package writes. It reads this one and every earlier one. */
export const SNAPSHOT_VERSION = 2;

/**
 * The provenance records of a snapshot, one column per field: record `i` is
 * `{ source: sources[source[i]], observedAt: observedAt[i], confidence: confidence[i], citation: citation[i] }`.
 */
export interface SnapshotProvenanceTable {
  /** The distinct sources. */
  readonly sources: readonly string[];
  /** Per record, the index of its source in {@link SnapshotProvenanceTable.sources}. */
  readonly source: readonly number[];
  /** Per record, when it was observed (milliseconds since the epoch). */
  readonly observedAt: readonly number[];
  /** Per record, its confidence, 0..1. */
  readonly confidence: readonly number[];
  /** Per record, its citation. */
  readonly citation: readonly string[];
}

/** A former value of an attribute: `[subject, attribute, values]`, newest first. */
export type SnapshotHistory = readonly [
  subject: number,
  attribute: string,
  values: readonly (readonly [value: number, facts: number, stale: boolean])[],
];

/**
 * The facts of the nodes (or of the edges) of a snapshot, column by column: entry `i` of each
 * per-subject column belongs to subject `i`. Values are indexes into {@link GraphSnapshot.values},
 * provenance lists indexes into {@link GraphSnapshot.provenanceLists}.
 */
export interface SnapshotFactColumns {
  /** Per subject, the provenance list supporting its existence. */
  readonly facts: readonly number[];
  /** Per subject, its attribute names as an index into {@link GraphSnapshot.attributeSets}; -1 for none. */
  readonly attributeSet: readonly number[];
  /** The current value of every attribute, subject after subject, in the order of each one's attribute set. */
  readonly attributeValues: readonly number[];
  /** Per subject, the provenance list of its current values; -1 when it is `facts` (or there are none). */
  readonly valueFacts: readonly number[];
  /** The subjects whose existence was marked stale, ascending. */
  readonly stale: readonly number[];
  /** Current values whose provenance differs from `valueFacts`: `[subject, attribute, list]`. */
  readonly sources: readonly (readonly [subject: number, attribute: string, facts: number])[];
  /** Former values of attributes. */
  readonly history: readonly SnapshotHistory[];
  /** Attributes whose current value was marked stale: `[subject, attribute]`. */
  readonly staleAttributes: readonly (readonly [subject: number, attribute: string])[];
}

/** The nodes of a snapshot. */
export interface SnapshotNodes extends SnapshotFactColumns {
  /** Entity references, sorted. */
  readonly refs: readonly string[];
}

/** The edges of a snapshot, ordered by source (in node order), then kind, then target (in node order). */
export interface SnapshotEdges extends SnapshotFactColumns {
  /** The distinct edge kinds. */
  readonly kinds: readonly string[];
  /** Per edge, its kind as an index into {@link SnapshotEdges.kinds}. */
  readonly kind: readonly number[];
  /** Per edge, its source as an index into {@link SnapshotNodes.refs}. */
  readonly source: readonly number[];
  /** Per edge, its target as an index into {@link SnapshotNodes.refs}. */
  readonly target: readonly number[];
}

/**
 * A versioned JSON snapshot of a knowledge graph (version 2). Columnar and deduplicated: provenance
 * records, provenance lists, attribute values and attribute name sets are each stored once and
 * referenced by index, so that the text is small and loads with few objects. Canonical: nodes
 * sorted by reference, edges by source, kind and target, every table in order of first use, so
 * equal graphs give byte-equal JSON.
 */
export interface GraphSnapshot {
  /** Always {@link SNAPSHOT_FORMAT}. */
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Always {@link SNAPSHOT_VERSION} for snapshots this version writes. */
  readonly version: typeof SNAPSHOT_VERSION;
  /** When it was taken, from the graph's clock, in milliseconds since the epoch. */
  readonly takenAt: number;
  /** Provenance records. */
  readonly provenance: SnapshotProvenanceTable;
  /** Provenance lists: indexes of records, newest observation first. */
  readonly provenanceLists: readonly (readonly number[])[];
  /** Distinct attribute values (object keys sorted). */
  readonly values: readonly JsonValue[];
  /** Distinct lists of attribute names, each sorted. */
  readonly attributeSets: readonly (readonly string[])[];
  /** Nodes. */
  readonly nodes: SnapshotNodes;
  /** Edges. */
  readonly edges: SnapshotEdges;
}

// ---- version 1 (read, never written) --------------------------------------------------------

/** One provenance record of a version 1 snapshot: `[source, observedAt, confidence, citation]`. */
export type SnapshotProvenanceV1 = readonly [
  source: string,
  observedAt: number,
  confidence: number,
  citation: string,
];

/** A former value of an attribute in a version 1 snapshot. */
export interface SnapshotValueV1 {
  /** The value. */
  readonly value: JsonValue;
  /** Indexes into {@link GraphSnapshotV1.provenance}, newest observation first. */
  readonly facts: readonly number[];
  /** Present (and `true`) when the value was marked stale. */
  readonly stale?: true;
}

/** The facts of a node or an edge in a version 1 snapshot. */
export interface SnapshotFactsV1 {
  /** Indexes into {@link GraphSnapshotV1.provenance} supporting the existence. */
  readonly facts: readonly number[];
  /** Present (and `true`) when the existence was marked stale. */
  readonly stale?: true;
  /** Current value of every attribute, names sorted. */
  readonly values?: Readonly<Record<string, JsonValue>>;
  /** Provenance of most current values, when it differs from `facts`. */
  readonly valueFacts?: readonly number[];
  /** Provenance of the current values whose provenance differs from the default. */
  readonly sources?: Readonly<Record<string, readonly number[]>>;
  /** Former values per attribute, most recent first. */
  readonly history?: Readonly<Record<string, readonly SnapshotValueV1[]>>;
  /** Attributes whose current value was marked stale, sorted. */
  readonly staleAttributes?: readonly string[];
}

/** One node in a version 1 snapshot. */
export interface SnapshotNodeV1 extends SnapshotFactsV1 {
  /** Entity reference. */
  readonly ref: string;
}

/** One edge in a version 1 snapshot; its ends are positions in {@link GraphSnapshotV1.nodes}. */
export interface SnapshotEdgeV1 extends SnapshotFactsV1 {
  /** Index of the source node. */
  readonly source: number;
  /** Edge kind. */
  readonly kind: string;
  /** Index of the target node. */
  readonly target: number;
}

/** A version 1 snapshot (one object per node and edge), as versions before 2 wrote them. */
export interface GraphSnapshotV1 {
  /** Always {@link SNAPSHOT_FORMAT}. */
  readonly format: typeof SNAPSHOT_FORMAT;
  /** 1. */
  readonly version: 1;
  /** When it was taken. */
  readonly takenAt: number;
  /** Provenance table, referenced by index. */
  readonly provenance: readonly SnapshotProvenanceV1[];
  /** Nodes, sorted by reference. */
  readonly nodes: readonly SnapshotNodeV1[];
  /** Edges, sorted by key. */
  readonly edges: readonly SnapshotEdgeV1[];
}
