import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observations, replay, testNow } from './graph-arbitraries';
import { GraphInputError } from './graph-errors';
import { createKnowledgeGraph } from './knowledge-graph';
import { applySnapshotDiff, diffSnapshots, loadSnapshot } from './snapshot-persistence';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-types';

// biome-ignore lint/suspicious/noExplicitAny: tests corrupt snapshots in every way JSON allows
type CorruptibleSnapshot = any;

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
      {
        type: 'node',
        ref: 'service:shop/cart',
        attributes: { replicas: 2, team: 'checkout' },
        provenance: { source: 'kubernetes', citation: 'x', observedAt: testNow - 60_000 },
      },
      {
        type: 'node',
        ref: 'service:shop/cart',
        attributes: { replicas: 3 },
        provenance: { source: 'manual', citation: 'catalogue' },
      },
    ]);
    const good = graph.snapshot();
    expect(good.nodes.history).toHaveLength(1);
    expect(good.nodes.sources).toHaveLength(1);
    const expectError = (input: unknown, path: string) => {
      try {
        loadSnapshot(input);
        expect.unreachable();
      } catch (error) {
        expect(GraphInputError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ code: 'invalid-snapshot', path });
      }
    };
    // A corrupted copy: `change` edits a deep copy of the good snapshot.
    const corrupt = (change: (snapshot: CorruptibleSnapshot) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(good));
      change(copy);
      return copy;
    };
    expect(loadSnapshot(corrupt(() => {})).nodeCount).toBe(2);
    expectError('{not json', '');
    expectError(JSON.stringify(good).slice(0, 200), '');
    expectError([], '');
    expectError({ ...good, version: 99 }, 'version');
    expectError({ ...good, version: '2' }, 'version');
    expectError({ ...good, format: 'other' }, 'format');
    expectError(
      corrupt((s) => delete s.takenAt),
      'takenAt',
    );
    expectError(
      corrupt((s) => (s.nodes.refs[0] = 'cart')),
      'nodes.refs[0]',
    );
    expectError(
      corrupt((s) => (s.nodes.refs[1] = s.nodes.refs[0])),
      'nodes.refs[1]',
    );
    expectError(
      corrupt((s) => (s.nodes.facts[0] = 42)),
      'nodes.facts[0]',
    );
    expectError(
      corrupt((s) => (s.nodes.facts[0] = -1)),
      'nodes.facts[0]',
    );
    expectError(
      corrupt((s) => s.nodes.facts.pop()),
      'nodes.facts',
    );
    expectError(
      corrupt((s) => (s.nodes.attributeSet[1] = 7)),
      'nodes.attributeSet[1]',
    );
    expectError(
      corrupt((s) => (s.nodes.attributeValues[0] = 99)),
      'nodes.attributeValues[0]',
    );
    expectError(
      corrupt((s) => s.nodes.attributeValues.push(0)),
      'nodes.attributeValues',
    );
    expectError(
      corrupt((s) => s.nodes.attributeValues.pop()),
      'nodes.attributeValues',
    );
    expectError(
      corrupt((s) => (s.nodes.valueFacts[1] = 9)),
      'nodes.valueFacts[1]',
    );
    expectError(
      corrupt((s) => (s.nodes.sources[0][1] = 'nothing')),
      'nodes.sources[0]',
    );
    expectError(
      corrupt((s) => (s.nodes.sources[0][0] = 5)),
      'nodes.sources[0]',
    );
    expectError(
      corrupt((s) => (s.nodes.history[0][2][0][0] = 99)),
      'nodes.history[0][2][0][0]',
    );
    expectError(
      corrupt((s) => (s.nodes.history[0][2] = [])),
      'nodes.history[0][2]',
    );
    expectError(
      corrupt((s) => s.nodes.stale.push(0, 1, 0)),
      'nodes.stale[2]',
    );
    expectError(
      corrupt((s) => s.nodes.staleAttributes.push([1, 'color'])),
      'nodes.staleAttributes[0]',
    );
    expectError(
      corrupt((s) => (s.edges.source[0] = 9)),
      'edges.source[0]',
    );
    expectError(
      corrupt((s) => (s.edges.target[0] = s.edges.source[0])),
      'edges.target[0]',
    );
    expectError(
      corrupt((s) => (s.edges.kind[0] = 3)),
      'edges.kind[0]',
    );
    expectError(
      corrupt((s) => (s.edges.kinds[0] = 'Depends On')),
      'edges.kinds[0]',
    );
    expectError(
      corrupt((s) => s.edges.target.push(0)),
      'edges.target',
    );
    expectError(
      corrupt((s) => {
        for (const column of ['kind', 'source', 'target', 'facts', 'attributeSet', 'valueFacts'])
          s.edges[column].push(s.edges[column][0]);
        s.edges.attributeValues.push(...s.edges.attributeValues);
      }),
      'edges.kind[1]',
    );
    expectError(
      corrupt((s) => (s.provenance.confidence[0] = 2)),
      'provenance.confidence[0]',
    );
    expectError(
      corrupt((s) => s.provenance.citation.pop()),
      'provenance.citation',
    );
    expectError(
      corrupt((s) => (s.provenance.source[0] = 4)),
      'provenance.source[0]',
    );
    expectError(
      corrupt((s) => (s.provenanceLists[0] = [77])),
      'provenanceLists[0][0]',
    );
    expectError(
      corrupt((s) => (s.attributeSets[0] = ['b', 'a'])),
      'attributeSets[0][1]',
    );
    // Objects given by callers: attribute values must be JSON values.
    expectError(
      { ...good, values: [...good.values.slice(0, -1), () => 1] },
      `values[${good.values.length - 1}]`,
    );
    expectError(
      { ...good, values: [...good.values.slice(0, -1), Number.NaN] },
      `values[${good.values.length - 1}]`,
    );
  });

  it('of version 1 are validated too, with the path of the problem', () => {
    const v1 = JSON.parse(readFileSync(new URL('./fixtures/snapshot-v1.json', import.meta.url), 'utf8'));
    expect(loadSnapshot(v1).nodeCount).toBe(v1.nodes.length);
    const expectError = (change: (snapshot: CorruptibleSnapshot) => void, path: string) => {
      const copy = JSON.parse(JSON.stringify(v1));
      change(copy);
      for (const input of [copy, JSON.stringify(copy)]) {
        expect(() => loadSnapshot(input)).toThrowError(
          expect.objectContaining({ code: 'invalid-snapshot', path }) as Error,
        );
      }
    };
    expectError((s) => (s.nodes[0].ref = 'cart'), 'nodes[0].ref');
    expectError((s) => (s.nodes[0].facts = [4242]), 'nodes[0].facts[0]');
    expectError((s) => s.nodes.splice(1, 0, s.nodes[0]), 'nodes[1].ref');
    expectError((s) => (s.edges[0].source = 4242), 'edges[0].source');
    expectError((s) => (s.provenance[0][2] = 2), 'provenance[0][2]');
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
