import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observations, replay, testNow } from './graph-arbitraries';
import { GraphInputError } from './graph-errors';
import { createKnowledgeGraph } from './knowledge-graph';
import { applySnapshotDiff, diffSnapshots, loadSnapshot } from './snapshot-persistence';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-types';

const clock = { now: () => testNow };
const later = { now: () => testNow + 2 * 60 * 60_000 };

describe('snapshots', () => {
  it('round-trip losslessly through JSON (property)', () => {
    fc.assert(
      fc.property(observations, fc.boolean(), (list, age) => {
        const graph = replay(createKnowledgeGraph({ clock: age ? later : clock }), list);
        if (age) graph.markStale();
        const text = JSON.stringify(graph.snapshot());
        const loaded = loadSnapshot(text, { clock: age ? later : clock });
        expect(JSON.stringify(loaded.snapshot())).toBe(text);
        expect(loaded.nodeCount).toBe(graph.nodeCount);
        expect(loaded.edgeCount).toBe(graph.edgeCount);
        for (const node of graph.nodes()) expect(loaded.facts(node.ref)).toEqual(graph.facts(node.ref));
      }),
      { numRuns: 200 },
    );
  });

  it('carry a format and a version', () => {
    const snapshot = createKnowledgeGraph({ clock }).snapshot();
    expect(snapshot).toMatchObject({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, takenAt: testNow });
  });

  it('are validated on load, with the path of the problem', () => {
    const graph = replay(createKnowledgeGraph({ clock }), [
      {
        type: 'edge',
        source: 'service:shop/cart',
        kind: 'depends-on',
        target: 'redis:shop/cache',
        attributes: { via: 'env:REDIS_URL' },
        provenance: { source: 'kubernetes', citation: 'x' },
      },
    ]);
    const good = graph.snapshot();
    const expectError = (input: unknown, path: string) => {
      try {
        loadSnapshot(input);
        expect.unreachable();
      } catch (error) {
        expect(GraphInputError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ code: 'invalid-snapshot', path });
      }
    };
    expectError('{not json', '');
    expectError({ ...good, version: 99 }, 'version');
    expectError({ ...good, format: 'other' }, 'format');
    expectError(
      { ...good, nodes: [{ ...good.nodes[0], ref: 'cart' }, ...good.nodes.slice(1)] },
      'nodes[0].ref',
    );
    expectError(
      { ...good, nodes: [{ ...good.nodes[0], facts: [42] }, ...good.nodes.slice(1)] },
      'nodes[0].facts[0]',
    );
    expectError({ ...good, nodes: good.nodes.slice(1) }, 'edges[0].source');
    expectError({ ...good, provenance: [['kubernetes', 1, 2, 'x']] }, 'provenance[0][2]');
  });

  it('merge into a graph like the observations they hold (incremental apply, property)', () => {
    fc.assert(
      fc.property(observations, observations, (first, second) => {
        const merged = replay(createKnowledgeGraph({ clock }), first);
        merged.merge(JSON.stringify(replay(createKnowledgeGraph({ clock }), second).snapshot()));
        const direct = replay(createKnowledgeGraph({ clock }), [...first, ...second]);
        expect(JSON.stringify(merged.snapshot())).toBe(JSON.stringify(direct.snapshot()));
      }),
      { numRuns: 150 },
    );
  });

  it('diff, and the diff applied to the first gives the second (property)', () => {
    fc.assert(
      fc.property(observations, observations, fc.boolean(), (first, second, removeSome) => {
        const before = replay(createKnowledgeGraph({ clock }), first);
        const after = replay(createKnowledgeGraph({ clock }), removeSome ? second : [...first, ...second]);
        const diff = diffSnapshots(before.snapshot(), after.snapshot());
        const patched = loadSnapshot(before.snapshot(), { clock });
        applySnapshotDiff(patched, JSON.parse(JSON.stringify(diff)));
        expect(JSON.stringify(patched.snapshot())).toBe(JSON.stringify(after.snapshot()));
      }),
      { numRuns: 150 },
    );
  });

  it('diff names what changed', () => {
    const before = createKnowledgeGraph({ clock });
    before.upsertNode({
      ref: 'deployment:shop/cart',
      attributes: { replicas: 3 },
      provenance: { source: 'kubernetes', citation: 'a' },
    });
    before.upsertNode({ ref: 'service:shop/old', provenance: { source: 'kubernetes', citation: 'a' } });
    const after = loadSnapshot(before.snapshot(), { clock });
    after.upsertNode({
      ref: 'deployment:shop/cart',
      attributes: { replicas: 5 },
      provenance: { source: 'kubernetes', citation: 'a', observedAt: testNow + 1 },
    });
    after.removeNode('service:shop/old');
    after.upsertEdge({
      source: 'deployment:shop/cart',
      kind: 'depends-on',
      target: 'redis:shop/cache',
      provenance: { source: 'model', citation: 'b', confidence: 0.5 },
    });
    const diff = diffSnapshots(before.snapshot(), after.snapshot());
    expect(diff.nodes.added).toEqual(['redis:shop/cache']);
    expect(diff.nodes.removed).toEqual(['service:shop/old']);
    expect(diff.nodes.changed).toEqual([
      {
        subject: 'deployment:shop/cart',
        attributes: [{ name: 'replicas', before: 3, after: 5 }],
        confidenceBefore: 1,
        confidenceAfter: 1,
        staleBefore: false,
        staleAfter: false,
      },
    ]);
    expect(diff.edges.added).toEqual(['deployment:shop/cart -[depends-on]-> redis:shop/cache']);
  });
});

describe('freshness', () => {
  it('marks old facts stale instead of deleting them, and emits fact:stale', () => {
    let now = testNow;
    const graph = createKnowledgeGraph({ clock: { now: () => now }, freshness: { traces: 10 * 60_000 } });
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'calls',
      target: 'service:shop/b',
      attributes: { rate: 5 },
      provenance: { source: 'traces', citation: 't' },
    });
    graph.upsertNode({ ref: 'service:shop/a', provenance: { source: 'manual', citation: 'catalogue' } });
    const stale: string[] = [];
    graph.events.on('fact:stale', (event) =>
      stale.push(`${event.subject}${event.attribute === undefined ? '' : `#${event.attribute}`}`),
    );
    expect(graph.markStale().marked).toEqual([]);
    now += 11 * 60_000;
    expect(graph.edges({ fresh: true })).toEqual([]);
    const report = graph.markStale();
    expect(stale).toEqual([
      'service:shop/b',
      'service:shop/a -[calls]-> service:shop/b',
      'service:shop/a -[calls]-> service:shop/b#rate',
    ]);
    expect(report.staleCount).toBe(3);
    expect(graph.getNode('service:shop/a')?.stale).toBe(false);
    expect(graph.getEdge('service:shop/a -[calls]-> service:shop/b')?.stale).toBe(true);
    expect(graph.edgeCount).toBe(1);
    expect(graph.dependencies('service:shop/a', { fresh: true })).toEqual([]);
    expect(graph.dependencies('service:shop/a').map((hit) => hit.ref)).toEqual(['service:shop/b']);
    // A new observation makes it fresh again.
    graph.upsertEdge({
      source: 'service:shop/a',
      kind: 'calls',
      target: 'service:shop/b',
      provenance: { source: 'traces', citation: 't' },
    });
    expect(graph.getEdge('service:shop/a -[calls]-> service:shop/b')?.stale).toBe(false);
    expect(graph.markStale().marked.map((fact) => fact.attribute)).toEqual([]);
  });
});
