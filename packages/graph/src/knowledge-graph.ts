import type { EventEmitter } from 'eventemitter3';
import type { MultiDirectedGraph } from 'graphology';
import type { GraphClock } from './clock';
import type { EdgeKind } from './edge-kinds';
import type { EntityRef } from './entity-ref';
import type { KnowledgeGraphEvents } from './graph-events';
import { GraphStore } from './graph-store';
import type {
  EdgeFilter,
  EdgeInput,
  FactSheet,
  GraphEdge,
  GraphNode,
  KnowledgeGraphOptions,
  NodeFilter,
  NodeInput,
  StaleReport,
  UpsertOutcome,
} from './graph-types';
import type { NodeKind } from './node-kinds';
import type {
  ChangeWindowOptions,
  Criticality,
  CriticalityOptions,
  DependencyHit,
  GraphPath,
  IncidentTouches,
  IncidentTouchOptions,
  NearbyChange,
  NeighbourhoodOptions,
  PathOptions,
  PeerOptions,
  SharedResourcePeer,
  Subgraph,
  TraversalOptions,
} from './query-types';
import type { GraphSnapshot } from './snapshot-types';

/** Options of {@link KnowledgeGraph.findByName}. */
export interface FindByNameOptions {
  /** Only entities in this namespace (global entities such as teams and nodes always match). */
  readonly namespace?: string;
  /** Only these node kinds. */
  readonly kinds?: readonly NodeKind[];
}

/**
 * The operational knowledge graph: entities keyed by {@link EntityRef}, typed relations, and for
 * every node, edge and attribute value the provenance, confidence and freshness of the fact.
 * Create one with {@link createKnowledgeGraph} or {@link loadSnapshot}.
 */
export interface KnowledgeGraph {
  /** Typed events: `node:added`, `edge:added`, `fact:updated`, `fact:stale`. */
  readonly events: EventEmitter<KnowledgeGraphEvents>;
  /** The injected clock. */
  readonly clock: GraphClock;
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Number of edges. */
  readonly edgeCount: number;

  /**
   * Adds a node or merges an observation into it. The same fact from another source raises its
   * confidence; a different attribute value becomes current and the old one goes to history.
   *
   * @param input - Reference, attribute values, provenance.
   * @returns What happened.
   * @throws {@link GraphInputError} for a malformed reference, provenance or attribute value.
   */
  upsertNode<K extends NodeKind = NodeKind>(input: NodeInput<K>): UpsertOutcome;
  /**
   * Adds an edge or merges an observation into it; creates missing endpoints.
   *
   * @param input - Endpoints, kind, attribute values, provenance.
   * @returns What happened to the edge.
   * @throws {@link GraphInputError} for malformed input or a self-loop.
   */
  upsertEdge<K extends EdgeKind = EdgeKind>(input: EdgeInput<K>): UpsertOutcome;
  /**
   * @param ref - An entity reference.
   * @returns Whether the node exists.
   */
  hasNode(ref: EntityRef): boolean;
  /**
   * @param key - An edge key (see {@link edgeKey}).
   * @returns Whether the edge exists.
   */
  hasEdge(key: string): boolean;
  /**
   * @param ref - An entity reference.
   * @returns The node with its current attribute values, or `undefined`.
   */
  getNode<K extends NodeKind = NodeKind>(ref: EntityRef): GraphNode<K> | undefined;
  /**
   * @param key - An edge key (see {@link edgeKey}).
   * @returns The edge, or `undefined`.
   */
  getEdge<K extends EdgeKind = EdgeKind>(key: string): GraphEdge<K> | undefined;
  /**
   * Everything known about a node or an edge: provenance, confidence, freshness and history of
   * every attribute.
   *
   * @param subject - A node reference or an edge key.
   * @returns The fact sheet, or `undefined` when there is no such node or edge.
   */
  facts(subject: string): FactSheet | undefined;
  /**
   * @param filter - Kinds, namespace, confidence range, freshness, source.
   * @returns Matching nodes.
   */
  nodes(filter?: NodeFilter): GraphNode[];
  /**
   * @param filter - Kinds, endpoints, confidence range, freshness, source.
   * @returns Matching edges.
   */
  edges(filter?: EdgeFilter): GraphEdge[];
  /**
   * Finds entities by name (case-insensitive), e.g. `cart` → `service:shop/cart`, `deployment:shop/cart`.
   *
   * @param name - The name part of a reference.
   * @param options - Namespace and kinds to keep.
   * @returns Matching references.
   */
  findByName(name: string, options?: FindByNameOptions): EntityRef[];

  /**
   * What an entity needs, transitively: follows `dependency` edges forwards (depends-on, calls,
   * runs-on, configured-by) and `structure` edges both ways at no cost (a Service, its Deployment
   * and its pods are one running unit).
   *
   * @param ref - The entity.
   * @param options - Depth (1 by default), edge kinds, result kinds, confidence, freshness.
   * @returns Entities reached, nearest first; the entity itself excluded.
   */
  dependencies(ref: EntityRef, options?: TraversalOptions): DependencyHit[];
  /**
   * What needs an entity, transitively: the blast radius if it fails.
   *
   * @param ref - The entity.
   * @param options - Depth (1 by default), edge kinds, result kinds, confidence, freshness.
   * @returns Entities reached, nearest first; the entity itself excluded.
   */
  dependents(ref: EntityRef, options?: TraversalOptions): DependencyHit[];
  /**
   * The subgraph around an entity, along edges of any role.
   *
   * @param ref - The entity.
   * @param options - Depth, node kinds, edge kinds, direction, confidence, freshness, limit.
   * @returns Nodes and the edges between them.
   */
  neighbourhood(ref: EntityRef, options?: NeighbourhoodOptions): Subgraph;
  /**
   * Simple paths between two entities, shortest first.
   *
   * @param from - One end.
   * @param to - The other end.
   * @param options - Longest path, edge kinds, direction, limit.
   * @returns Paths.
   */
  paths(from: EntityRef, to: EntityRef, options?: PathOptions): GraphPath[];
  /**
   * Entities that share a resource with this one, e.g. two services using the same Redis.
   *
   * @param ref - The entity.
   * @param options - Resource kinds, peer kinds, depth.
   * @returns Peers, most shared resources first.
   */
  peersSharing(ref: EntityRef, options?: PeerOptions): SharedResourcePeer[];
  /**
   * A 0..1 criticality score from business tier, dependents and traffic.
   *
   * @param ref - The entity.
   * @param options - Dependent depth.
   * @returns The score and its parts.
   */
  criticality(ref: EntityRef, options?: CriticalityOptions): Criticality;
  /**
   * Changes (deploys, config changes, job runs) that affected the entity, its dependencies or its
   * dependents within a time window.
   *
   * @param ref - The entity.
   * @param options - Window (last 24 hours by default) and depth (1).
   * @returns Changes, most recent first.
   */
  changesNear(ref: EntityRef, options?: ChangeWindowOptions): NearbyChange[];
  /**
   * Past incidents and known failure patterns that touch the entity.
   *
   * @param ref - The entity.
   * @param options - Depth around the entity.
   * @returns Incidents and failure patterns.
   */
  incidentsTouching(ref: EntityRef, options?: IncidentTouchOptions): IncidentTouches;

  /**
   * Marks stale every fact whose observations are all older than their source's freshness
   * horizon (by the graph's clock) and emits `fact:stale` for each. Nothing is deleted.
   *
   * @returns What was marked.
   */
  markStale(): StaleReport;
  /**
   * Removes a node and its edges. Facts normally age instead (see {@link KnowledgeGraph.markStale}).
   *
   * @param ref - The entity.
   * @returns Whether there was such a node.
   */
  removeNode(ref: EntityRef): boolean;
  /**
   * Removes an edge.
   *
   * @param key - The edge key.
   * @returns Whether there was such an edge.
   */
  removeEdge(key: string): boolean;
  /**
   * A versioned, canonical JSON snapshot of every fact. The same facts give the same snapshot,
   * whatever order they were merged in.
   *
   * @returns The snapshot, ready for `JSON.stringify`.
   */
  snapshot(): GraphSnapshot;
  /**
   * Merges every fact of a snapshot into this graph (incremental apply): union of provenance, as
   * if each observation had been upserted.
   *
   * @param snapshot - A snapshot object or its JSON text; validated first.
   * @throws {@link GraphInputError} with code `invalid-snapshot` and the field path; the graph is unchanged.
   */
  merge(snapshot: unknown): void;
  /**
   * A plain graphology copy of the graph (current attribute values, `kind` and `confidence` on
   * every node and edge) for graphology's standard library of algorithms. The values are copies:
   * changing them does not change this graph.
   *
   * @returns A new multi directed graph.
   */
  toGraphology(): MultiDirectedGraph;
}

/**
 * Creates an empty knowledge graph.
 *
 * @param options - Clock, freshness horizons per source, edge roles.
 * @returns The graph.
 *
 * @example
 * ```ts
 * const graph = createKnowledgeGraph({ clock: { now: () => Date.parse('2026-03-02T01:00:00Z') } });
 * graph.upsertEdge({
 *   source: 'service:shop/cart',
 *   kind: 'depends-on',
 *   target: 'redis:shop/session-cache',
 *   provenance: { source: 'manual', citation: 'architecture review' },
 * });
 * graph.dependents('redis:shop/session-cache'); // [{ ref: 'service:shop/cart', depth: 1, ... }]
 * ```
 */
export function createKnowledgeGraph(options: KnowledgeGraphOptions = {}): KnowledgeGraph {
  return new GraphStore(options);
}
