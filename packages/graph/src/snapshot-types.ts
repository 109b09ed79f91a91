import type { JsonValue } from './json-value';

/** The `format` field of every snapshot. */
export const SNAPSHOT_FORMAT = 'aisre.graph.snapshot';

/** The snapshot version this package writes and reads. */
export const SNAPSHOT_VERSION = 1;

/** One provenance record in a snapshot's table: `[source, observedAt, confidence, citation]`. */
export type SnapshotProvenance = readonly [
  source: string,
  observedAt: number,
  confidence: number,
  citation: string,
];

/** A former value of an attribute: the value and indexes into the snapshot's provenance table. */
export interface SnapshotValue {
  /** The value. */
  readonly value: JsonValue;
  /** Indexes into {@link GraphSnapshot.provenance}, newest observation first. */
  readonly facts: readonly number[];
  /** Present (and `true`) when the value was marked stale. */
  readonly stale?: true;
}

/**
 * The facts of a node or an edge. Attribute values are stored once, in `values`; their
 * provenance is `valueFacts` (or `facts` when that is absent) unless `sources` names another
 * list. This keeps snapshots small: most attributes are learned from one observation.
 */
export interface SnapshotFacts {
  /** Indexes into {@link GraphSnapshot.provenance} supporting the existence. */
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
  readonly history?: Readonly<Record<string, readonly SnapshotValue[]>>;
  /** Attributes whose current value was marked stale, sorted. */
  readonly staleAttributes?: readonly string[];
}

/** One node in a snapshot. */
export interface SnapshotNode extends SnapshotFacts {
  /** Entity reference. */
  readonly ref: string;
}

/** One edge in a snapshot; its ends are positions in {@link GraphSnapshot.nodes}. */
export interface SnapshotEdge extends SnapshotFacts {
  /** Index of the source node in {@link GraphSnapshot.nodes}. */
  readonly source: number;
  /** Edge kind. */
  readonly kind: string;
  /** Index of the target node in {@link GraphSnapshot.nodes}. */
  readonly target: number;
}

/**
 * A versioned JSON snapshot of a knowledge graph. Canonical: nodes sorted by reference, edges by
 * key, provenance numbered in order of first use, so equal graphs give byte-equal JSON.
 */
export interface GraphSnapshot {
  /** Always {@link SNAPSHOT_FORMAT}. */
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Always {@link SNAPSHOT_VERSION} for snapshots this version writes. */
  readonly version: typeof SNAPSHOT_VERSION;
  /** When it was taken, from the graph's clock, in milliseconds since the epoch. */
  readonly takenAt: number;
  /** Provenance table, referenced by index. */
  readonly provenance: readonly SnapshotProvenance[];
  /** Nodes, sorted by reference. */
  readonly nodes: readonly SnapshotNode[];
  /** Edges, sorted by key, their ends given as node indexes. */
  readonly edges: readonly SnapshotEdge[];
}
