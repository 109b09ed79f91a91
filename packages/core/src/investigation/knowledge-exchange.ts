import type { EdgeKind, KnowledgeGraph } from '@aisre/graph';
import { ingestKubernetes } from '@aisre/graph';
import type { TopologySnapshot } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { CallStats } from '../contracts/telemetry';
import type { SystemMap } from './system-map';

/** Relation kinds a topology scan reports, as the knowledge graph names its edges. */
const edgeKindOf: Readonly<Record<string, EdgeKind>> = {
  'depends-on': 'depends-on',
  calls: 'calls',
  consumes: 'depends-on',
};

/**
 * Writes what a topology scan found into the knowledge graph: its entities and relations (a consumer depends on
 * the queue it reads), and its raw Kubernetes objects through the graph's own ingester, every fact with the
 * given source and citation. Hosts use it to keep a graph from their connectors' scans between investigations.
 *
 * @param graph - the knowledge graph
 * @param snapshot - the scan
 * @param provenance - where it came from (a connector's name) and what to cite
 */
export function recordTopologySnapshot(
  graph: KnowledgeGraph,
  snapshot: TopologySnapshot,
  provenance: { source: string; citation: string },
): void {
  const observedAt = Date.parse(snapshot.observedAt);
  const fact = { source: provenance.source, citation: provenance.citation, observedAt };
  for (const entity of snapshot.entities) {
    graph.upsertNode({ ref: entity.ref, provenance: fact });
  }
  for (const relation of snapshot.relations) {
    const kind = edgeKindOf[relation.kind];
    if (kind) graph.upsertEdge({ source: relation.from, kind, target: relation.to, provenance: fact });
  }
  if (snapshot.kubernetesObjects.length > 0) {
    ingestKubernetes(graph, snapshot.kubernetesObjects, fact);
  }
}

/**
 * Writes an investigation's topology scan into the knowledge graph, every fact citing the audited step.
 *
 * @param graph - the knowledge graph
 * @param snapshot - the scan
 * @param source - where it came from (the connector's name)
 * @param step - the audited step of the scan
 */
export function recordTopology(
  graph: KnowledgeGraph,
  snapshot: TopologySnapshot,
  source: string,
  step: number,
): void {
  recordTopologySnapshot(graph, snapshot, { source, citation: `topology.scan (step ${step})` });
}

/**
 * Writes the calls seen in traces into the knowledge graph as `calls` edges with their rate, error ratio and
 * latency.
 *
 * @param graph - the knowledge graph
 * @param calls - call statistics of the symptom window
 * @param source - the connector's name
 * @param step - the audited step that returned them
 * @param observedAt - when, epoch ms
 */
export function recordCalls(
  graph: KnowledgeGraph,
  calls: readonly CallStats[],
  source: string,
  step: number,
  observedAt: number,
): void {
  for (const call of calls) {
    graph.upsertEdge({
      source: call.from,
      kind: 'calls',
      target: call.to,
      attributes: {
        rate: call.rate,
        errorRatio: call.errorRatio,
        p50Ms: call.p50Ms,
        p95Ms: call.p95Ms,
        p99Ms: call.p99Ms,
      } as never,
      provenance: { source, citation: `traces.callStats (step ${step})`, observedAt },
    });
  }
}

/**
 * Adds to the scope the dependencies the knowledge graph holds for the entities in reach (learned from
 * manifests, traces, documents or earlier investigations), when they are confident enough and not stale.
 * Returns how many were added.
 *
 * @param graph - the knowledge graph
 * @param map - the investigation's system map
 * @param origin - the alerting entity
 * @param depth - hops to follow
 * @param minConfidence - the least confidence a dependency needs (default 0.5)
 */
export function addKnownDependencies(
  graph: KnowledgeGraph,
  map: SystemMap,
  origin: EntityRef,
  depth: number,
  minConfidence = 0.5,
): number {
  if (!graph.hasNode(origin)) return 0;
  let added = 0;
  for (const hit of graph.dependencies(origin, { depth, minConfidence })) {
    if (hit.depth === 0 || hit.ref === hit.from) continue;
    // Only edges between entities the scan knows as such (not a Deployment or a Pod of them).
    if (!map.entity(hit.from as EntityRef)) continue;
    const known = map.dependenciesOf(hit.from as EntityRef).includes(hit.ref as EntityRef);
    if (!known) {
      map.addDependency(hit.from as EntityRef, hit.ref as EntityRef);
      added++;
    }
  }
  return added;
}
