import type { Criticality, DependencyHit, KnowledgeGraph, SnapshotDiff } from '@aisre/graph';
import type { BuiltGraph } from './graph-sources';

/** Counts by kind, most frequent first (ties by name). */
export interface KindCounts {
  /** How many in all. */
  total: number;
  /** How many of each kind. */
  byKind: Record<string, number>;
}

/** What `aisre graph build` reports: the ingest reports, the graph's size and its most critical entities. */
export interface GraphBuildSummary {
  /** Each manifest file: documents ingested, skipped (with why) and malformed (with where). */
  files: {
    file: string;
    ingested: number;
    skipped: { documentIndex: number; kind?: string; name?: string; reason: string }[];
    errors: { documentIndex?: number; path?: string; message: string }[];
  }[];
  /** The scenario whose system was scanned, when one was. */
  scenario?: string;
  /** Nodes by kind. */
  nodes: KindCounts;
  /** Edges by kind. */
  edges: KindCounts;
  /** The most critical services and datastores (at most 10). */
  critical: Criticality[];
}

/** What `aisre graph show` reports about one entity. */
export interface EntitySummary {
  /** The entity, its kind, attributes, confidence and where it was learned. */
  entity: {
    ref: string;
    kind: string;
    confidence: number;
    attributes: Record<string, unknown>;
    sources: string[];
  };
  /** What it needs, to the depth asked. */
  dependencies: DependencyHit[];
  /** What needs it (the blast radius), to the depth asked. */
  dependents: DependencyHit[];
  /** Others using the same resources. */
  peers: { ref: string; shared: string[] }[];
  /** Its criticality. */
  criticality: Criticality;
  /** Changes near it in the last 24 hours of the graph's clock. */
  changes: { change: string; at: string; entity: string; relation: string; summary?: string }[];
  /** Past incidents that touched it. */
  incidents: { incident: string; entity: string; remediations: string[] }[];
  /** Failure patterns relevant to it. */
  failurePatterns: { pattern: string; reason: string }[];
}

function countKinds(kinds: readonly string[]): KindCounts {
  const byKind = new Map<string, number>();
  for (const kind of kinds) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  const ordered = [...byKind].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
  return { total: kinds.length, byKind: Object.fromEntries(ordered) };
}

const criticalKinds = new Set(['service', 'redis', 'postgres', 'queue', 'external']);

/**
 * Summarises a built graph.
 *
 * @param built - the graph and its ingest reports
 */
export function summariseBuild(built: BuiltGraph): GraphBuildSummary {
  const { graph } = built;
  const nodes = graph.nodes();
  const critical = nodes
    .filter((node) => criticalKinds.has(node.kind))
    .map((node) => graph.criticality(node.ref))
    .sort((left, right) => right.score - left.score || left.ref.localeCompare(right.ref))
    .slice(0, 10);
  return {
    files: built.ingests.map(({ file, report }) => ({
      file,
      ingested: report.ingested,
      skipped: report.skipped.map((skipped) => ({
        documentIndex: skipped.documentIndex,
        ...(skipped.kind === undefined ? {} : { kind: skipped.kind }),
        ...(skipped.name === undefined ? {} : { name: skipped.name }),
        reason: skipped.reason,
      })),
      errors: report.errors.map((error) => ({
        ...(error.documentIndex === undefined ? {} : { documentIndex: error.documentIndex }),
        ...(error.path === undefined ? {} : { path: error.path }),
        message: error.message,
      })),
    })),
    ...(built.scenario === undefined ? {} : { scenario: built.scenario }),
    nodes: countKinds(nodes.map((node) => node.kind)),
    edges: countKinds(graph.edges().map((edge) => edge.kind)),
    critical,
  };
}

/**
 * Summarises what the graph knows about one entity.
 *
 * @param graph - the graph
 * @param ref - the entity
 * @param depth - dependency hops to follow both ways
 * @returns undefined when the graph has no such entity
 */
export function summariseEntity(
  graph: KnowledgeGraph,
  ref: string,
  depth: number,
): EntitySummary | undefined {
  const node = graph.getNode(ref);
  if (!node) return undefined;
  const { incidents, failurePatterns } = graph.incidentsTouching(node.ref, { depth: 1 });
  return {
    entity: {
      ref: node.ref,
      kind: node.kind,
      confidence: node.confidence,
      attributes: { ...node.attributes },
      sources: [...new Set(node.provenance.map((provenance) => provenance.source))].sort(),
    },
    dependencies: graph.dependencies(node.ref, { depth }),
    dependents: graph.dependents(node.ref, { depth }),
    peers: graph.peersSharing(node.ref).map((peer) => ({ ref: peer.ref, shared: [...peer.shared] })),
    criticality: graph.criticality(node.ref),
    changes: graph.changesNear(node.ref).map((nearby) => ({
      change: nearby.change.ref,
      at: new Date(nearby.at).toISOString(),
      entity: nearby.entity,
      relation: nearby.relation,
      ...(nearby.change.attributes.summary === undefined
        ? {}
        : { summary: nearby.change.attributes.summary }),
    })),
    incidents: incidents.map((touch) => ({
      incident: touch.incident.ref,
      entity: touch.entity,
      remediations: [...touch.remediations],
    })),
    failurePatterns: failurePatterns.map((touch) => ({ pattern: touch.pattern.ref, reason: touch.reason })),
  };
}

/** What `aisre graph diff` reports. */
export interface GraphDiffSummary {
  /** Node references added, removed and changed. */
  nodes: { added: string[]; removed: string[]; changed: string[] };
  /** Edge keys added, removed and changed. */
  edges: { added: string[]; removed: string[]; changed: string[] };
}

/**
 * Summarises a snapshot diff as lists of subjects.
 *
 * @param diff - the diff of two snapshots
 */
export function summariseDiff(diff: SnapshotDiff): GraphDiffSummary {
  const side = (subjects: SnapshotDiff['nodes']) => ({
    added: [...subjects.added],
    removed: [...subjects.removed],
    changed: subjects.changed.map((change) => change.subject),
  });
  return { nodes: side(diff.nodes), edges: side(diff.edges) };
}
