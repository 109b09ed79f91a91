// Test support: fast-check arbitraries of graph observations. Not exported from the package.
import fc from 'fast-check';
import type { EdgeKind } from './edge-kinds';
import type { JsonValue } from './json-value';
import type { KnowledgeGraph } from './knowledge-graph';
import type { ProvenanceInput } from './provenance';

/** An observation to replay into a graph. */
export type Observation =
  | { type: 'node'; ref: string; attributes: Record<string, JsonValue>; provenance: ProvenanceInput }
  | {
      type: 'edge';
      source: string;
      kind: EdgeKind;
      target: string;
      attributes: Record<string, JsonValue>;
      provenance: ProvenanceInput;
    };

/** The fixed time tests run at. */
export const testNow = Date.parse('2026-03-02T01:00:00Z');

const refs = [
  'service:shop/cart',
  'deployment:shop/cart',
  'redis:shop/session-cache',
  'postgres:shop/cart-db',
  'team:global/checkout',
  'node:global/worker-1',
];

const provenance: fc.Arbitrary<ProvenanceInput> = fc.record({
  source: fc.constantFrom('kubernetes', 'traces', 'text', 'model', 'manual'),
  citation: fc.constantFrom('deployment shop/cart', 'runbook', '#incidents 01:12'),
  observedAt: fc.integer({ min: -120, max: 0 }).map((minutes) => testNow + minutes * 60_000),
  confidence: fc.constantFrom(0.3, 0.5, 0.9, 1),
});

const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom('redis:7.2', 'redis:7.4', 'checkout'),
  fc.constant(null),
  fc.boolean(),
  fc.record({
    cpuRequestMillicores: fc.constantFrom(250, 500),
    memoryRequestBytes: fc.constantFrom(1024, 2048),
  }),
  fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }),
);

const attributes = fc.dictionary(fc.constantFrom('replicas', 'image', 'team', 'resources', 'tags'), value, {
  maxKeys: 3,
});

/** One observation: a node or an edge with attributes and provenance. */
export const observation: fc.Arbitrary<Observation> = fc.oneof(
  fc.record({ type: fc.constant('node' as const), ref: fc.constantFrom(...refs), attributes, provenance }),
  fc
    .record({
      type: fc.constant('edge' as const),
      source: fc.constantFrom(...refs),
      kind: fc.constantFrom<EdgeKind>('depends-on', 'calls', 'selects', 'owned-by'),
      target: fc.constantFrom(...refs),
      attributes,
      provenance,
    })
    .filter((edge) => edge.source !== edge.target),
);

/** Observations, up to 40. */
export const observations = fc.array(observation, { maxLength: 40 });

/**
 * Replays observations into a graph.
 *
 * @param graph - The graph.
 * @param list - The observations.
 * @returns The graph.
 */
export function replay(graph: KnowledgeGraph, list: readonly Observation[]): KnowledgeGraph {
  for (const entry of list) {
    if (entry.type === 'node')
      graph.upsertNode({ ref: entry.ref, attributes: entry.attributes, provenance: entry.provenance });
    else {
      graph.upsertEdge({
        source: entry.source,
        kind: entry.kind,
        target: entry.target,
        attributes: entry.attributes,
        provenance: entry.provenance,
      });
    }
  }
  return graph;
}
