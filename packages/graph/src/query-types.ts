import type { EdgeKind } from './edge-kinds';
import type { EntityRef } from './entity-ref';
import type { FactFilter, GraphEdge, GraphNode } from './graph-types';
import type { NodeKind } from './node-kinds';

/** Options of {@link KnowledgeGraph.dependencies} and {@link KnowledgeGraph.dependents}. */
export interface TraversalOptions extends FactFilter {
  /** Dependency hops to follow; 1 by default. Structure edges (a Service and its pods) cost no hop. */
  readonly depth?: number;
  /** Dependency edge kinds to follow; all `dependency` edges by default. */
  readonly edgeKinds?: readonly EdgeKind[];
  /** Node kinds to return (the traversal still crosses the others). */
  readonly kinds?: readonly NodeKind[];
}

/** One entity reached by a dependency traversal. */
export interface DependencyHit {
  /** The entity. */
  readonly ref: EntityRef;
  /** Its node kind. */
  readonly kind: NodeKind;
  /** Dependency hops from the start; 0 for the start's own running unit (its Deployment, its pods). */
  readonly depth: number;
  /** Product of the edge confidences along the path that reached it. */
  readonly confidence: number;
  /** Kind of the last edge on that path. */
  readonly via: EdgeKind;
  /** The entity before it on that path. */
  readonly from: EntityRef;
}

/** Options of {@link KnowledgeGraph.neighbourhood}. */
export interface NeighbourhoodOptions extends FactFilter {
  /** Hops, along edges of any role; 1 by default. */
  readonly depth?: number;
  /** Node kinds to include; others are neither returned nor crossed. */
  readonly nodeKinds?: readonly NodeKind[];
  /** Edge kinds to follow. */
  readonly edgeKinds?: readonly EdgeKind[];
  /** Follow outgoing edges, incoming ones or both (the default). */
  readonly direction?: 'out' | 'in' | 'both';
  /** Most nodes to return; 10 000 by default. */
  readonly limit?: number;
}

/** A part of the graph around an entity. */
export interface Subgraph {
  /** The entity it was built around. */
  readonly root: EntityRef;
  /** Nodes, the root first. */
  readonly nodes: readonly GraphNode[];
  /** Edges between those nodes that pass the filters. */
  readonly edges: readonly GraphEdge[];
  /** Whether the node limit cut the traversal short. */
  readonly truncated: boolean;
}

/** Options of {@link KnowledgeGraph.paths}. */
export interface PathOptions extends FactFilter {
  /** Longest path, in edges; 4 by default. */
  readonly maxDepth?: number;
  /** Edge kinds to follow. */
  readonly edgeKinds?: readonly EdgeKind[];
  /** Follow edges forwards only, or in both directions (the default). */
  readonly direction?: 'out' | 'both';
  /** Most paths to return, shortest first; 10 by default. */
  readonly limit?: number;
}

/** A simple path between two entities. */
export interface GraphPath {
  /** Entities along the path, both ends included. */
  readonly nodes: readonly EntityRef[];
  /** Keys of the edges along the path. */
  readonly edges: readonly string[];
  /** Product of the edge confidences. */
  readonly confidence: number;
}

/** Options of {@link KnowledgeGraph.peersSharing}. */
export interface PeerOptions extends FactFilter {
  /** Kinds that count as shared resources; {@link RESOURCE_NODE_KINDS} by default. */
  readonly resourceKinds?: readonly NodeKind[];
  /** Kinds of peers to return; services, datastores, workloads and pods by default. */
  readonly peerKinds?: readonly NodeKind[];
  /** Dependency hops to look for resources; 1 by default. */
  readonly depth?: number;
}

/** Another entity that uses some of the same resources. */
export interface SharedResourcePeer {
  /** The peer. */
  readonly ref: EntityRef;
  /** Its node kind. */
  readonly kind: NodeKind;
  /** The resources both use. */
  readonly shared: readonly EntityRef[];
}

/** Options of {@link KnowledgeGraph.criticality}. */
export interface CriticalityOptions {
  /** Dependent hops counted; 3 by default. */
  readonly depth?: number;
}

/** The parts of a criticality score, each 0..1. */
export interface CriticalityFactors {
  /** From the business tier: tier 1 is 1, tier 2 is 0.66, tier 3 is 0.33, unknown is 0.5. */
  readonly tier: number;
  /** From the number of transitive dependents: `1 - e^(-n/10)`. */
  readonly dependents: number;
  /** From incoming traffic: `1 - e^(-rps/100)`. */
  readonly traffic: number;
}

/** How much breaks, and how much it matters, if an entity fails. */
export interface Criticality {
  /** The entity. */
  readonly ref: EntityRef;
  /** 0..1: `0.4·tier + 0.35·dependents + 0.25·traffic`. */
  readonly score: number;
  /** Business tier, when known (own or of its running unit). */
  readonly tier: number | undefined;
  /** Distinct dependents within the depth, pods not counted. */
  readonly dependents: number;
  /** Dependents one hop away. */
  readonly directDependents: number;
  /** Incoming calls per second (sum of `calls` edge rates into its running unit). */
  readonly traffic: number;
  /** The parts of the score. */
  readonly factors: CriticalityFactors;
}

/** Options of {@link KnowledgeGraph.changesNear}. */
export interface ChangeWindowOptions extends FactFilter {
  /** Start of the window, in milliseconds since the epoch; `to - withinMs` by default. */
  readonly from?: number;
  /** End of the window; the graph's clock by default. */
  readonly to?: number;
  /** Length of the window when `from` is not given; 24 hours by default. */
  readonly withinMs?: number;
  /** Dependency hops around the entity (both ways); 1 by default. */
  readonly depth?: number;
}

/** A change that touched an entity near the one asked about. */
export interface NearbyChange {
  /** The change node. */
  readonly change: GraphNode<'change'>;
  /** When it happened (its `at` attribute, else when it was observed). */
  readonly at: number;
  /** The entity it affected. */
  readonly entity: EntityRef;
  /** Dependency hops between that entity and the one asked about. */
  readonly distance: number;
  /** Whether the affected entity is the one asked about, one of its dependencies, or a dependent. */
  readonly relation: 'self' | 'dependency' | 'dependent';
}

/** Options of {@link KnowledgeGraph.incidentsTouching}. */
export interface IncidentTouchOptions extends FactFilter {
  /** Dependency hops around the entity to include; 0 (the entity and its running unit) by default. */
  readonly depth?: number;
}

/** An incident that affected the entity or something near it. */
export interface IncidentTouch {
  /** The incident node. */
  readonly incident: GraphNode<'incident'>;
  /** The entity it affected. */
  readonly entity: EntityRef;
  /** Hops between that entity and the one asked about. */
  readonly distance: number;
  /** Remediations that mitigated it. */
  readonly remediations: readonly EntityRef[];
}

/** A failure pattern relevant to the entity. */
export interface FailurePatternTouch {
  /** The pattern node. */
  readonly pattern: GraphNode<'failure-pattern'>;
  /**
   * Why it is relevant: it is linked to the entity (`affects-entity`), it caused an incident that
   * touched the entity (`caused-incident`), or it applies to the entity's kind (`applies-to-kind`).
   */
  readonly reason: 'affects-entity' | 'caused-incident' | 'applies-to-kind';
  /** The incident or entity that links it, when there is one. */
  readonly via: EntityRef | undefined;
  /** Remediations known to mitigate it. */
  readonly remediations: readonly EntityRef[];
}

/** What {@link KnowledgeGraph.incidentsTouching} returns. */
export interface IncidentTouches {
  /** Incidents, most recent first. */
  readonly incidents: readonly IncidentTouch[];
  /** Failure patterns, linked ones first. */
  readonly failurePatterns: readonly FailurePatternTouch[];
}
