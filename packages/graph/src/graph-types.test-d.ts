import { describe, expectTypeOf, it } from 'vitest';
import type { EdgeKind } from './edge-kinds';
import type { GraphEdge, GraphNode, NodeInput } from './graph-types';
import { createKnowledgeGraph } from './knowledge-graph';
import type { DatastoreAttributes, NodeKind, WorkloadAttributes } from './node-kinds';

describe('public generics', () => {
  it('types attributes by node and edge kind', () => {
    const graph = createKnowledgeGraph();
    expectTypeOf(graph.getNode<'redis'>('redis:shop/cache')).toEqualTypeOf<GraphNode<'redis'> | undefined>();
    expectTypeOf<GraphNode<'redis'>['attributes']>().toEqualTypeOf<Readonly<Partial<DatastoreAttributes>>>();
    expectTypeOf<GraphNode<'deployment'>['attributes']['replicas']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<GraphEdge<'calls'>['attributes']['latencyP99Ms']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NodeInput<'deployment'>['attributes']>().toEqualTypeOf<
      Partial<WorkloadAttributes> | undefined
    >();
  });

  it('exposes the kinds as string unions', () => {
    expectTypeOf<'service'>().toExtend<NodeKind>();
    expectTypeOf<'failure-pattern'>().toExtend<NodeKind>();
    expectTypeOf<'depends-on'>().toExtend<EdgeKind>();
    expectTypeOf<'mitigated-by'>().toExtend<EdgeKind>();
    expectTypeOf<'not-a-kind'>().not.toExtend<NodeKind>();
  });

  it('rejects attributes of the wrong kind', () => {
    const graph = createKnowledgeGraph();
    graph.upsertNode<'deployment'>({
      ref: 'deployment:shop/cart',
      // @ts-expect-error replicas is a number
      attributes: { replicas: 'three' },
      provenance: { source: 'manual', citation: 'x' },
    });
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'calls',
      target: 'service:shop/b',
      attributes: { rate: 3, latencyP50Ms: 12 },
      provenance: { source: 'traces', citation: 'x' },
    });
  });
});
