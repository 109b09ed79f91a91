import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observations, replay, testNow } from './graph-arbitraries';
import { GraphInputError } from './graph-errors';
import type { FactUpdatedEvent, NodeAddedEvent } from './graph-events';
import { createKnowledgeGraph } from './knowledge-graph';
import { noisyOr } from './provenance';

const clock = { now: () => testNow };
const minute = 60_000;

describe('merging facts', () => {
  it('keeps both provenances of the same fact and raises confidence by noisy-OR', () => {
    const graph = createKnowledgeGraph({ clock });
    graph.upsertEdge({
      source: 'service:shop/cart',
      kind: 'depends-on',
      target: 'redis:shop/session-cache',
      provenance: { source: 'text', citation: 'runbook', confidence: 0.6 },
    });
    graph.upsertEdge({
      source: 'service:shop/cart',
      kind: 'depends-on',
      target: 'redis:shop/session-cache',
      provenance: {
        source: 'model',
        citation: '#incidents: cart times out on session-cache',
        confidence: 0.5,
      },
    });
    const edge = graph.getEdge('service:shop/cart -[depends-on]-> redis:shop/session-cache');
    expect(edge?.provenance.map((entry) => entry.source).sort()).toEqual(['model', 'text']);
    expect(edge?.confidence).toBeCloseTo(noisyOr([0.6, 0.5]));
    expect(edge?.confidence).toBeCloseTo(0.8);
  });

  it('counts a source once: a newer observation from the same source and citation replaces the older', () => {
    const graph = createKnowledgeGraph({ clock });
    const input = {
      ref: 'service:shop/cart',
      provenance: { source: 'model', citation: 'chat', confidence: 0.5 },
    };
    graph.upsertNode({ ...input, provenance: { ...input.provenance, observedAt: testNow - minute } });
    expect(
      graph.upsertNode({ ...input, provenance: { ...input.provenance, observedAt: testNow - minute } }),
    ).toBe('unchanged');
    expect(graph.upsertNode(input)).toBe('updated');
    const node = graph.getNode('service:shop/cart');
    expect(node?.provenance).toHaveLength(1);
    expect(node?.observedAt).toBe(testNow);
    // Another citation from the same source is kept, but the source still counts once.
    graph.upsertNode({
      ref: 'service:shop/cart',
      provenance: { source: 'model', citation: 'other chat', confidence: 0.4 },
    });
    expect(graph.getNode('service:shop/cart')?.provenance).toHaveLength(2);
    expect(graph.getNode('service:shop/cart')?.confidence).toBe(0.5);
  });

  it('keeps the history of a changed attribute, newest value current', () => {
    const graph = createKnowledgeGraph({ clock });
    const upsert = (image: string, observedAt: number) =>
      graph.upsertNode<'deployment'>({
        ref: 'deployment:shop/cart',
        attributes: { images: [image], replicas: 3 },
        provenance: { source: 'kubernetes', citation: 'Deployment shop/cart', observedAt },
      });
    upsert('cart:1.14.1', testNow - 30 * minute);
    upsert('cart:1.14.2', testNow - 10 * minute);
    upsert('cart:1.14.0', testNow - 60 * minute); // late arrival of an old observation
    const facts = graph.facts('deployment:shop/cart');
    expect(facts?.attributes.images?.value).toEqual(['cart:1.14.2']);
    expect(facts?.attributes.images?.history.map((entry) => entry.value)).toEqual([
      ['cart:1.14.1'],
      ['cart:1.14.0'],
    ]);
    expect(facts?.attributes.replicas?.history).toEqual([]);
    expect(graph.getNode<'deployment'>('deployment:shop/cart')?.attributes.images).toEqual(['cart:1.14.2']);
  });

  it('makes tentative facts queryable by confidence', () => {
    const graph = createKnowledgeGraph({ clock });
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'calls',
      target: 'service:shop/b',
      provenance: { source: 'traces', citation: 't' },
    });
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'depends-on',
      target: 'redis:shop/c',
      provenance: { source: 'model', citation: 'm', confidence: 0.4 },
    });
    expect(graph.edges({ maxConfidence: 1 }).map((edge) => edge.target)).toEqual(['redis:shop/c']);
    expect(graph.edges({ minConfidence: 0.5 }).map((edge) => edge.target)).toEqual(['service:shop/b']);
    expect(graph.nodes({ maxConfidence: 1 }).map((node) => node.ref)).toEqual(['redis:shop/c']);
    expect(graph.dependencies('service:shop/a', { minConfidence: 0.5 }).map((hit) => hit.ref)).toEqual([
      'service:shop/b',
    ]);
  });

  it('emits node:added, edge:added and fact:updated', () => {
    const graph = createKnowledgeGraph({ clock });
    const added: NodeAddedEvent[] = [];
    const updated: FactUpdatedEvent[] = [];
    const edges: string[] = [];
    graph.events.on('node:added', (event) => added.push(event));
    graph.events.on('edge:added', (event) => edges.push(event.key));
    graph.events.on('fact:updated', (event) => updated.push(event));
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'calls',
      target: 'service:shop/b',
      provenance: { source: 'traces', citation: 't', confidence: 0.5 },
    });
    graph.upsertNode({
      ref: 'service:shop/a',
      attributes: { tier: 2 },
      provenance: { source: 'manual', citation: 'catalogue' },
    });
    graph.upsertNode({
      ref: 'service:shop/a',
      attributes: { tier: 1 },
      provenance: { source: 'manual', citation: 'catalogue', observedAt: testNow + 1 },
    });
    expect(added.map((event) => event.ref)).toEqual(['service:shop/a', 'service:shop/b']);
    expect(edges).toEqual(['service:shop/a -[calls]-> service:shop/b']);
    expect(updated).toEqual([
      expect.objectContaining({
        subject: 'service:shop/a',
        subjectType: 'node',
        previousConfidence: 0.5,
        confidence: 1,
      }),
      expect.objectContaining({
        subject: 'service:shop/a',
        attribute: 'tier',
        value: 2,
        previousConfidence: 0,
      }),
      expect.objectContaining({ subject: 'service:shop/a', attribute: 'tier', value: 1, previousValue: 2 }),
    ]);
  });

  it('rejects malformed input with typed errors', () => {
    const graph = createKnowledgeGraph({ clock });
    const provenance = { source: 'manual', citation: 'x' };
    expect(() => graph.upsertNode({ ref: 'cart', provenance })).toThrow(GraphInputError);
    expect(() =>
      graph.upsertNode({ ref: 'service:shop/cart', provenance: { ...provenance, confidence: 1.5 } }),
    ).toThrow(expect.objectContaining({ code: 'invalid-input', path: 'provenance.confidence' }));
    expect(() =>
      graph.upsertNode({ ref: 'service:shop/cart', attributes: { tier: Number.NaN }, provenance }),
    ).toThrow(expect.objectContaining({ path: 'attributes.tier' }));
    expect(() =>
      graph.upsertEdge({ source: 'service:shop/a', kind: 'calls', target: 'service:shop/a', provenance }),
    ).toThrow(GraphInputError);
    expect(graph.nodeCount).toBe(0);
  });

  it('copies attribute values: later mutation by the caller does not reach the graph', () => {
    const graph = createKnowledgeGraph({ clock });
    const labels = { app: 'cart' };
    graph.upsertNode({
      ref: 'service:shop/cart',
      attributes: { labels },
      provenance: { source: 'manual', citation: 'x' },
    });
    labels.app = 'changed';
    expect(graph.getNode('service:shop/cart')?.attributes.labels).toEqual({ app: 'cart' });
    // Views are shared and frozen: a caller cannot change the graph through them.
    const view = graph.getNode('service:shop/cart');
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view?.attributes.labels)).toBe(true);
    expect(graph.getNode('service:shop/cart')).toBe(view);
  });
});

describe('merge order (property)', () => {
  it('gives the same graph, byte for byte, whatever order the same facts arrive in', () => {
    fc.assert(
      fc.property(
        observations.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
          ),
        ),
        ([list, shuffled]) => {
          const first = replay(createKnowledgeGraph({ clock }), list);
          const second = replay(createKnowledgeGraph({ clock }), shuffled);
          expect(JSON.stringify(second.snapshot())).toBe(JSON.stringify(first.snapshot()));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is idempotent: replaying the same facts twice changes nothing', () => {
    fc.assert(
      fc.property(observations, (list) => {
        const once = replay(createKnowledgeGraph({ clock }), list);
        const twice = replay(replay(createKnowledgeGraph({ clock }), list), list);
        expect(JSON.stringify(twice.snapshot())).toBe(JSON.stringify(once.snapshot()));
      }),
      { numRuns: 100 },
    );
  });
});
