import type { EdgeKind } from './edge-kinds';
import type { EntityRef } from './entity-ref';
import type { StaleFact } from './graph-types';
import type { JsonValue } from './json-value';
import type { NodeKind } from './node-kinds';
import type { Provenance } from './provenance';

/** Payload of `node:added`. */
export interface NodeAddedEvent {
  /** The new node. */
  readonly ref: EntityRef;
  /** Its kind. */
  readonly kind: NodeKind;
  /** The observation that created it. */
  readonly provenance: Provenance;
}

/** Payload of `edge:added`. */
export interface EdgeAddedEvent {
  /** Edge key. */
  readonly key: string;
  /** Edge kind. */
  readonly kind: EdgeKind;
  /** Source entity. */
  readonly source: EntityRef;
  /** Target entity. */
  readonly target: EntityRef;
  /** The observation that created it. */
  readonly provenance: Provenance;
}

/** Payload of `fact:updated`: a fact of an existing node or edge changed value or confidence. */
export interface FactUpdatedEvent {
  /** Node reference or edge key. */
  readonly subject: string;
  /** Whether the subject is a node or an edge. */
  readonly subjectType: 'node' | 'edge';
  /** Attribute name; absent when the existence of the subject itself changed confidence. */
  readonly attribute?: string;
  /** Current value after the update (attributes only). */
  readonly value?: JsonValue;
  /** Value before the update, absent for a new attribute. */
  readonly previousValue?: JsonValue;
  /** Confidence after the update. */
  readonly confidence: number;
  /** Confidence before the update (0 for a new attribute). */
  readonly previousConfidence: number;
  /** The observation that caused the update. */
  readonly provenance: Provenance;
}

/** Payload of `fact:stale`: {@link KnowledgeGraph.markStale} found a fact older than its horizon. */
export type FactStaleEvent = StaleFact;

/** The typed events of a {@link KnowledgeGraph}, on `graph.events`. */
export interface KnowledgeGraphEvents {
  /** A node was created. */
  'node:added': (event: NodeAddedEvent) => void;
  /** An edge was created. */
  'edge:added': (event: EdgeAddedEvent) => void;
  /** A fact of an existing node or edge changed value or confidence. */
  'fact:updated': (event: FactUpdatedEvent) => void;
  /** A fact was marked stale. */
  'fact:stale': (event: FactStaleEvent) => void;
}
