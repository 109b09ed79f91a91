import type { GraphClock } from './clock';
import type { EdgeAttributesByKind, EdgeKind, EdgeRole } from './edge-kinds';
import type { EntityRef } from './entity-ref';
import type { JsonValue } from './json-value';
import type { NodeAttributesByKind, NodeKind } from './node-kinds';
import type { FactSource, FreshnessHorizons, Provenance, ProvenanceInput } from './provenance';

/** Options of {@link createKnowledgeGraph}. */
export interface KnowledgeGraphOptions {
  /** The clock used for `observedAt` defaults, freshness and snapshot stamps; the system clock by default. */
  readonly clock?: GraphClock;
  /** Freshness horizon per source, in milliseconds; merged over {@link DEFAULT_FRESHNESS_HORIZONS}. */
  readonly freshness?: FreshnessHorizons;
  /** Role of edge kinds in dependency traversals; merged over {@link DEFAULT_EDGE_ROLES}. */
  readonly edgeRoles?: Readonly<Record<string, EdgeRole>>;
}

/** Attribute values as callers give them: a partial attribute object of the node kind. */
export type NodeAttributesInput<K extends NodeKind> = Partial<NodeAttributesByKind[K]>;

/** Attribute values as callers give them: a partial attribute object of the edge kind. */
export type EdgeAttributesInput<K extends EdgeKind> = Partial<EdgeAttributesByKind[K]>;

/** A node to add or merge: its reference, some attribute values, and where they came from. */
export interface NodeInput<K extends NodeKind = NodeKind> {
  /** The entity reference; its kind part is the node kind. */
  readonly ref: EntityRef;
  /** Attribute values observed; `undefined` entries are ignored. */
  readonly attributes?: NodeAttributesInput<K>;
  /** Where this observation came from. */
  readonly provenance: ProvenanceInput;
}

/** An edge to add or merge. Missing endpoints are created, supported by the same provenance. */
export interface EdgeInput<K extends EdgeKind = EdgeKind> {
  /** Source entity. */
  readonly source: EntityRef;
  /** Edge kind. */
  readonly kind: K;
  /** Target entity. */
  readonly target: EntityRef;
  /** Attribute values observed; `undefined` entries are ignored. */
  readonly attributes?: EdgeAttributesInput<K>;
  /** Where this observation came from. */
  readonly provenance: ProvenanceInput;
}

/** What an upsert did. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Facts shared by nodes and edges in query results. */
export interface FactSummary {
  /** Combined confidence of the existence of the node or edge (noisy-OR over sources). */
  readonly confidence: number;
  /** Whether the last {@link KnowledgeGraph.markStale} pass found it stale. */
  readonly stale: boolean;
  /** Until when it is fresh, in milliseconds since the epoch (`Infinity` for sources that never age). */
  readonly freshUntil: number;
  /** When it was last observed, in milliseconds since the epoch. */
  readonly observedAt: number;
  /** Supporting observations, newest first. */
  readonly provenance: readonly Provenance[];
}

/** A node as queries return it: the current value of every attribute. */
export interface GraphNode<K extends NodeKind = NodeKind> extends FactSummary {
  /** Its entity reference. */
  readonly ref: EntityRef;
  /** Node kind. */
  readonly kind: K;
  /** Namespace part of the reference. */
  readonly namespace: string;
  /** Name part of the reference. */
  readonly name: string;
  /** Current attribute values. */
  readonly attributes: Readonly<NodeAttributesInput<K>>;
}

/** An edge as queries return it. */
export interface GraphEdge<K extends EdgeKind = EdgeKind> extends FactSummary {
  /** Edge key, `source -[kind]-> target`. */
  readonly key: string;
  /** Edge kind. */
  readonly kind: K;
  /** Source entity. */
  readonly source: EntityRef;
  /** Target entity. */
  readonly target: EntityRef;
  /** Current attribute values. */
  readonly attributes: Readonly<EdgeAttributesInput<K>>;
}

/** A value an attribute had before, with the observations that supported it. */
export interface AttributeHistoryEntry {
  /** The value. */
  readonly value: JsonValue;
  /** Combined confidence of that value. */
  readonly confidence: number;
  /** When it was last observed. */
  readonly observedAt: number;
  /** Observations, newest first. */
  readonly provenance: readonly Provenance[];
}

/** Everything known about one attribute: its current value, provenance and history. */
export interface AttributeFact extends FactSummary {
  /** Attribute name. */
  readonly name: string;
  /** Current value (the most recently observed). */
  readonly value: JsonValue;
  /** Other values observed, most recent first. */
  readonly history: readonly AttributeHistoryEntry[];
}

/** Everything known about a node or an edge, attribute by attribute. */
export interface FactSheet extends FactSummary {
  /** The node reference or edge key. */
  readonly subject: string;
  /** Facts per attribute name. */
  readonly attributes: Readonly<Record<string, AttributeFact>>;
}

/** Filters shared by node and edge listings and by traversals. */
export interface FactFilter {
  /** Keep facts at least this confident (existence confidence). */
  readonly minConfidence?: number;
  /** Keep facts below this confidence; `1` lists tentative facts only. */
  readonly maxConfidence?: number;
  /** Keep only facts still fresh by the graph's clock. */
  readonly fresh?: boolean;
  /** Keep only facts with an observation from this source. */
  readonly source?: FactSource;
}

/** Filter of {@link KnowledgeGraph.nodes}. */
export interface NodeFilter extends FactFilter {
  /** Node kinds to keep. */
  readonly kinds?: readonly NodeKind[];
  /** Namespace to keep. */
  readonly namespace?: string;
}

/** Filter of {@link KnowledgeGraph.edges}. */
export interface EdgeFilter extends FactFilter {
  /** Edge kinds to keep. */
  readonly kinds?: readonly EdgeKind[];
  /** Keep edges leaving this entity. */
  readonly from?: EntityRef;
  /** Keep edges arriving at this entity. */
  readonly to?: EntityRef;
}

/** A stale mark that {@link KnowledgeGraph.markStale} set. */
export interface StaleFact {
  /** Node reference or edge key. */
  readonly subject: string;
  /** Whether the subject is a node or an edge. */
  readonly subjectType: 'node' | 'edge';
  /** Attribute name; absent for the existence of the node or edge. */
  readonly attribute?: string;
  /** When it was last observed. */
  readonly observedAt: number;
}

/** What {@link KnowledgeGraph.markStale} did. */
export interface StaleReport {
  /** The time used, from the graph's clock. */
  readonly at: number;
  /** Facts newly marked stale. */
  readonly marked: readonly StaleFact[];
  /** Stale facts in the graph after the pass. */
  readonly staleCount: number;
}
