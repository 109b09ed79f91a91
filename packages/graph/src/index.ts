/**
 * `@aisre/graph`: the operational knowledge graph of the `@aisre` AI SRE SDK. Entities keyed by
 * `kind:namespace/name`, typed relations, and for every fact its provenance, confidence and
 * freshness. Ingesters for Kubernetes objects, traces and text; dependency and blast-radius
 * queries; versioned snapshots.
 *
 * @packageDocumentation
 */

export { type GraphClock, systemClock } from './clock';
export {
  type ConnectionContext,
  type ConnectionEndpoint,
  type ConnectionTarget,
  parseConnectionValue,
  resolveConnectionTarget,
} from './connection-targets';
export {
  BUILT_IN_EDGE_KINDS,
  type CallEdgeAttributes,
  type CommonEdgeAttributes,
  DEFAULT_EDGE_ROLES,
  type DependencyEdgeAttributes,
  type EdgeAttributesByKind,
  type EdgeKind,
  type EdgeRole,
  edgeKey,
  type ParsedEdgeKey,
  parseEdgeKey,
} from './edge-kinds';
export {
  type EntityRef,
  formatEntityRef,
  GLOBAL_NAMESPACE,
  isEntityRef,
  type ParsedEntityRef,
  parseEntityRef,
} from './entity-ref';
export { GraphInputError, type GraphInputErrorCode, type GraphInputErrorLocation } from './graph-errors';
export type {
  EdgeAddedEvent,
  FactStaleEvent,
  FactUpdatedEvent,
  KnowledgeGraphEvents,
  NodeAddedEvent,
} from './graph-events';
export type {
  AttributeFact,
  AttributeHistoryEntry,
  EdgeAttributesInput,
  EdgeFilter,
  EdgeInput,
  FactFilter,
  FactSheet,
  FactSummary,
  GraphEdge,
  GraphNode,
  KnowledgeGraphOptions,
  NodeAttributesInput,
  NodeFilter,
  NodeInput,
  StaleFact,
  StaleReport,
  UpsertOutcome,
} from './graph-types';
export {
  type ChangeRecord,
  type FailurePatternRecord,
  type IncidentRecord,
  recordChange,
  recordFailurePattern,
  recordIncident,
} from './incident-records';
export type { IngestReport, SkippedDocument } from './ingest-report';
export { canonicalJson, isJsonValue, type JsonValue } from './json-value';
export { createKnowledgeGraph, type FindByNameOptions, type KnowledgeGraph } from './knowledge-graph';
export { ingestKubernetes, type KubernetesIngestOptions } from './kubernetes-ingest';
export { parseBytes, parseMillicores, parseQuantity } from './kubernetes-quantities';
export {
  type AutoscalingSummary,
  BUILT_IN_NODE_KINDS,
  type ChangeAttributes,
  type ClusterNodeAttributes,
  type CommonNodeAttributes,
  type ConfigMapAttributes,
  type ContainerSummary,
  type DatastoreAttributes,
  type DocAttributes,
  type ExternalAttributes,
  type FailurePatternAttributes,
  type IncidentAttributes,
  type IngressAttributes,
  type NamespaceAttributes,
  type NodeAttributesByKind,
  type NodeKind,
  type NodeResources,
  type PodAttributes,
  type PortSummary,
  type QueueAttributes,
  RESOURCE_NODE_KINDS,
  type RemediationAttributes,
  type ResourceSummary,
  type ServiceAttributes,
  type TeamAttributes,
  WORKLOAD_KINDS,
  type WorkloadAttributes,
  type WorkloadKind,
} from './node-kinds';
export {
  compareProvenance,
  DEFAULT_FRESHNESS_HORIZONS,
  FALLBACK_FRESHNESS_HORIZON,
  type FactSource,
  type FreshnessHorizons,
  noisyOr,
  type Provenance,
  type ProvenanceInput,
} from './provenance';
export type {
  ChangeWindowOptions,
  Criticality,
  CriticalityFactors,
  CriticalityOptions,
  DependencyHit,
  FailurePatternTouch,
  GraphPath,
  IncidentTouch,
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
export {
  type ExtractedRelation,
  type ExtractedRelations,
  extractedRelationsSchema,
  extractRelations,
  type RelationExtractionOptions,
  type RelationExtractionReport,
  type RelationModel,
  type RelationModelRequest,
  type TentativeRelation,
} from './relation-extraction';
export { REDACTED, redactSecrets } from './secret-redaction';
export {
  type AttributeChange,
  applySnapshotDiff,
  diffSnapshots,
  loadSnapshot,
  type SnapshotDiff,
  type SubjectChange,
  type SubjectDiff,
} from './snapshot-persistence';
export { graphSnapshotSchema } from './snapshot-schema';
export {
  type GraphSnapshot,
  type GraphSnapshotV1,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotEdges,
  type SnapshotEdgeV1,
  type SnapshotFactColumns,
  type SnapshotFactsV1,
  type SnapshotHistory,
  type SnapshotNodes,
  type SnapshotNodeV1,
  type SnapshotProvenanceTable,
  type SnapshotProvenanceV1,
  type SnapshotValueV1,
} from './snapshot-types';
export {
  ingestSpans,
  type OtlpKeyValue,
  type SpanAttributeValue,
  type SpanIngestOptions,
  type SpanKind,
  type SpanRecord,
} from './span-ingest';
export {
  type EntityMention,
  findMentions,
  ingestText,
  type MentionOptions,
  type TextIngestOptions,
  type TextIngestReport,
} from './text-mentions';
