import { describe, expect, it } from 'vitest';
import { recordChange, recordFailurePattern, recordIncident } from './incident-records';
import { createKnowledgeGraph, type KnowledgeGraph } from './knowledge-graph';
import { loadSnapshot } from './snapshot-persistence';

const now = Date.parse('2026-03-02T03:00:00Z');
const hour = 60 * 60_000;
const clock = { now: () => now };
const kubernetes = { source: 'kubernetes', citation: 'scan' };

/** frontend → cart → {session-cache, cart-db}; recommendation → session-cache; pods on worker-1. */
function shop(): KnowledgeGraph {
  const graph = createKnowledgeGraph({ clock });
  const edge = (
    source: string,
    kind: 'depends-on' | 'calls' | 'selects' | 'part-of' | 'runs-on',
    target: string,
    confidence = 1,
  ) => graph.upsertEdge({ source, kind, target, provenance: { ...kubernetes, confidence } });
  edge('service:shop/frontend', 'selects', 'deployment:shop/frontend');
  edge('service:shop/cart', 'selects', 'deployment:shop/cart');
  edge('pod:shop/cart-1', 'part-of', 'deployment:shop/cart');
  edge('pod:shop/cart-1', 'runs-on', 'node:global/worker-1');
  edge('pod:shop/recommendation-1', 'part-of', 'deployment:shop/recommendation');
  edge('pod:shop/recommendation-1', 'runs-on', 'node:global/worker-1');
  edge('service:shop/recommendation', 'selects', 'deployment:shop/recommendation');
  edge('deployment:shop/frontend', 'depends-on', 'service:shop/cart', 0.9);
  edge('deployment:shop/cart', 'depends-on', 'redis:shop/session-cache', 0.9);
  edge('deployment:shop/cart', 'depends-on', 'postgres:shop/cart-db', 0.9);
  edge('deployment:shop/recommendation', 'depends-on', 'redis:shop/session-cache', 0.5);
  graph.upsertEdge({
    source: 'service:shop/frontend',
    kind: 'calls',
    target: 'service:shop/cart',
    attributes: { rate: 120 },
    provenance: { source: 'traces', citation: 'spans' },
  });
  graph.upsertNode({ ref: 'deployment:shop/cart', attributes: { tier: 1 }, provenance: kubernetes });
  graph.upsertEdge({
    source: 'deployment:shop/cart',
    kind: 'owned-by',
    target: 'team:global/checkout',
    provenance: kubernetes,
  });
  return graph;
}

describe('dependency queries', () => {
  it('follows dependencies to a depth, crossing a running unit at no cost', () => {
    const graph = shop();
    expect(graph.dependencies('service:shop/cart').map((hit) => [hit.ref, hit.depth])).toEqual([
      ['deployment:shop/cart', 0],
      ['pod:shop/cart-1', 0],
      ['redis:shop/session-cache', 1],
      ['postgres:shop/cart-db', 1],
      ['node:global/worker-1', 1],
    ]);
    expect(
      graph
        .dependencies('service:shop/frontend', { depth: 2, kinds: ['redis', 'postgres', 'service'] })
        .map((hit) => hit.ref),
    ).toEqual(['service:shop/cart', 'redis:shop/session-cache', 'postgres:shop/cart-db']);
    const redis = graph
      .dependencies('service:shop/frontend', { depth: 2 })
      .find((hit) => hit.ref === 'redis:shop/session-cache');
    expect(redis).toMatchObject({ depth: 2, via: 'depends-on', from: 'deployment:shop/cart' });
    // Reached through the traced call (confidence 1), then the configured dependency (0.9).
    expect(redis?.confidence).toBeCloseTo(0.9);
  });

  it('computes the blast radius (dependents) with edge-kind and confidence filters', () => {
    const graph = shop();
    expect(
      graph.dependents('redis:shop/session-cache', { kinds: ['service'] }).map((hit) => hit.ref),
    ).toEqual(['service:shop/cart', 'service:shop/recommendation']);
    expect(
      graph
        .dependents('redis:shop/session-cache', { kinds: ['service'], minConfidence: 0.6 })
        .map((hit) => hit.ref),
    ).toEqual(['service:shop/cart']);
    expect(
      graph
        .dependents('redis:shop/session-cache', { depth: 2, kinds: ['service'] })
        .map((hit) => [hit.ref, hit.depth]),
    ).toEqual([
      ['service:shop/cart', 1],
      ['service:shop/recommendation', 1],
      ['service:shop/frontend', 2],
    ]);
    expect(
      graph
        .dependents('node:global/worker-1', { kinds: ['service'] })
        .map((hit) => hit.ref)
        .sort(),
    ).toEqual(['service:shop/cart', 'service:shop/recommendation']);
    expect(
      graph
        .dependents('service:shop/cart', { edgeKinds: ['calls'], kinds: ['service'] })
        .map((hit) => hit.ref),
    ).toEqual(['service:shop/frontend']);
    expect(graph.dependents('service:shop/unknown')).toEqual([]);
  });

  it('finds peers sharing a resource', () => {
    const graph = shop();
    expect(graph.peersSharing('service:shop/cart')).toEqual([
      {
        ref: 'service:shop/recommendation',
        kind: 'service',
        shared: ['node:global/worker-1', 'redis:shop/session-cache'],
      },
    ]);
    expect(graph.peersSharing('service:shop/cart', { resourceKinds: ['postgres'] })).toEqual([]);
  });

  it('scores criticality from tier, dependents and traffic', () => {
    const graph = shop();
    const cart = graph.criticality('service:shop/cart');
    expect(cart).toMatchObject({ tier: 1, traffic: 120, directDependents: 2, dependents: 2 });
    expect(cart.score).toBeGreaterThan(graph.criticality('service:shop/recommendation').score);
    expect(cart.score).toBeCloseTo(0.4 + 0.35 * (1 - Math.exp(-0.2)) + 0.25 * (1 - Math.exp(-1.2)));
  });
});

describe('neighbourhood and paths', () => {
  it('returns the subgraph around an entity with filters', () => {
    const graph = shop();
    const around = graph.neighbourhood('deployment:shop/cart');
    expect(around.nodes.map((node) => node.ref).sort()).toEqual([
      'deployment:shop/cart',
      'pod:shop/cart-1',
      'postgres:shop/cart-db',
      'redis:shop/session-cache',
      'service:shop/cart',
      'team:global/checkout',
    ]);
    expect(around.edges).toHaveLength(5);
    const filtered = graph.neighbourhood('deployment:shop/cart', {
      depth: 2,
      nodeKinds: ['deployment', 'redis', 'postgres'],
      edgeKinds: ['depends-on'],
      direction: 'out',
    });
    expect(filtered.nodes.map((node) => node.ref)).toEqual([
      'deployment:shop/cart',
      'redis:shop/session-cache',
      'postgres:shop/cart-db',
    ]);
    expect(filtered.edges.map((edge) => edge.kind)).toEqual(['depends-on', 'depends-on']);
    expect(graph.neighbourhood('deployment:shop/cart', { limit: 2 }).truncated).toBe(true);
  });

  it('lists simple paths, shortest first', () => {
    const graph = shop();
    const paths = graph.paths('service:shop/frontend', 'redis:shop/session-cache', { maxDepth: 5 });
    expect(paths[0]?.nodes).toEqual([
      'service:shop/frontend',
      'service:shop/cart',
      'deployment:shop/cart',
      'redis:shop/session-cache',
    ]);
    expect(
      paths.every((path, index) => index === 0 || path.nodes.length >= (paths[index - 1]?.nodes.length ?? 0)),
    ).toBe(true);
    expect(new Set(paths.map((path) => path.nodes.join('>'))).size).toBe(paths.length);
    expect(
      graph.paths('service:shop/frontend', 'redis:shop/session-cache', { direction: 'out', maxDepth: 2 }),
    ).toEqual([]);
    expect(
      graph.paths('service:shop/frontend', 'redis:shop/session-cache', { direction: 'out' }),
    ).toHaveLength(2);
  });
});

describe('changes, incidents and failure patterns', () => {
  it('finds changes near an entity in a time window', () => {
    const graph = shop();
    const deploy = { source: 'manual', citation: 'deploy webhook' };
    recordChange(
      graph,
      { id: 'deploy-41', at: now - 30 * hour, changeType: 'deploy', affected: ['deployment:shop/cart'] },
      deploy,
    );
    recordChange(
      graph,
      { id: 'deploy-42', at: now - 2 * hour, changeType: 'deploy', affected: ['deployment:shop/cart'] },
      deploy,
    );
    recordChange(
      graph,
      { id: 'config-7', at: now - hour, changeType: 'config', affected: ['redis:shop/session-cache'] },
      deploy,
    );
    recordChange(graph, { id: 'deploy-9', at: now - 3 * hour, affected: ['service:shop/frontend'] }, deploy);
    const near = graph.changesNear('service:shop/cart');
    expect(
      near.map((change) => [change.change.ref, change.entity, change.relation, change.distance]),
    ).toEqual([
      ['change:shop/config-7', 'redis:shop/session-cache', 'dependency', 1],
      ['change:shop/deploy-42', 'deployment:shop/cart', 'self', 0],
      ['change:shop/deploy-9', 'service:shop/frontend', 'dependent', 1],
    ]);
    expect(
      graph
        .changesNear('service:shop/cart', { depth: 0, withinMs: 48 * hour })
        .map((change) => change.change.ref),
    ).toEqual(['change:shop/deploy-42', 'change:shop/deploy-41']);
  });

  it('finds incidents and failure patterns touching an entity', () => {
    const graph = shop();
    const history = { source: 'incident', citation: 'postmortem INC-12' };
    const fix = 'remediation:global/restart-redis';
    graph.upsertNode({ ref: fix, attributes: { title: 'Restart Redis' }, provenance: history });
    const pattern = recordFailurePattern(
      graph,
      {
        id: 'redis-memory-fragmentation',
        title: 'Redis memory fragmentation',
        entityKinds: ['redis'],
        remediations: [fix],
      },
      history,
    );
    recordFailurePattern(graph, { id: 'pg-pool-exhaustion', entityKinds: ['postgres'] }, history);
    recordIncident(
      graph,
      {
        id: 'inc-12',
        title: 'Checkout latency',
        severity: 'P2',
        startedAt: now - 24 * hour,
        affected: ['deployment:shop/cart'],
        causes: [pattern],
        remediations: [fix],
      },
      history,
    );
    const touches = graph.incidentsTouching('service:shop/cart');
    expect(touches.incidents.map((touch) => [touch.incident.ref, touch.entity, touch.remediations])).toEqual([
      ['incident:shop/inc-12', 'deployment:shop/cart', [fix]],
    ]);
    expect(touches.failurePatterns.map((touch) => [touch.pattern.ref, touch.reason, touch.via])).toEqual([
      [pattern, 'caused-incident', 'incident:shop/inc-12'],
    ]);
    const redis = graph.incidentsTouching('redis:shop/session-cache');
    expect(
      redis.failurePatterns.map((touch) => [touch.pattern.ref, touch.reason, touch.remediations]),
    ).toEqual([[pattern, 'applies-to-kind', [fix]]]);
    expect(
      graph
        .incidentsTouching('redis:shop/session-cache', { depth: 1 })
        .incidents.map((touch) => touch.distance),
    ).toEqual([1]);
  });
});

describe('removal', () => {
  it('forgets removed edges and nodes in traversals', () => {
    const graph = shop();
    expect(graph.removeEdge('deployment:shop/cart -[depends-on]-> redis:shop/session-cache')).toBe(true);
    expect(graph.removeEdge('deployment:shop/cart -[depends-on]-> redis:shop/session-cache')).toBe(false);
    expect(
      graph.dependents('redis:shop/session-cache', { kinds: ['service'] }).map((hit) => hit.ref),
    ).toEqual(['service:shop/recommendation']);
    const cart = 'deployment:shop/cart';
    const degree = graph.edges({ from: cart }).length + graph.edges({ to: cart }).length;
    const edgesBefore = graph.edgeCount;
    expect(graph.removeNode(cart)).toBe(true);
    expect(graph.removeNode(cart)).toBe(false);
    expect(graph.edgeCount).toBe(edgesBefore - degree);
    expect(graph.edges().filter((edge) => edge.source === cart || edge.target === cart)).toEqual([]);
    expect(graph.edges({ to: 'postgres:shop/cart-db' }).map((edge) => edge.source)).not.toContain(cart);
    expect(graph.hasEdge('service:shop/cart -[selects]-> deployment:shop/cart')).toBe(false);
    expect(graph.neighbourhood('service:shop/cart').nodes.map((node) => node.ref)).not.toContain(cart);
    expect(graph.dependencies('service:shop/cart')).toEqual([]);
    expect(graph.findByName('cart').sort()).toEqual(['service:shop/cart']);
    expect(graph.dependents('postgres:shop/cart-db')).toEqual([]);
    // Linked again, it is found again.
    graph.upsertEdge({
      source: 'service:shop/cart',
      kind: 'depends-on',
      target: 'postgres:shop/cart-db',
      provenance: { source: 'manual', citation: 'catalogue' },
    });
    expect(graph.dependents('postgres:shop/cart-db').map((hit) => hit.ref)).toEqual(['service:shop/cart']);
  });
});

describe('nodes with many edges', () => {
  it('merge, find and remove edges of a hub as of any node', () => {
    const graph = createKnowledgeGraph({ clock });
    const provenance = { source: 'manual', citation: 'catalogue' };
    const services = Array.from({ length: 120 }, (_, index) => `service:shop/s-${index}`);
    // A change affecting every service (many outgoing edges) and a hub every service depends on
    // (many incoming edges), both in two kinds.
    for (const service of services) {
      for (const kind of ['affected', 'caused-by'] as const)
        graph.upsertEdge({ source: 'change:shop/deploy-1', kind, target: service, provenance });
      for (const kind of ['depends-on', 'calls'] as const)
        graph.upsertEdge({ source: service, kind, target: 'service:shop/hub', provenance });
    }
    expect(graph.edgeCount).toBe(480);
    // The same facts again change nothing; another source raises confidence in place.
    expect(
      graph.upsertEdge({
        source: 'change:shop/deploy-1',
        kind: 'affected',
        target: services[77] as string,
        provenance,
      }),
    ).toBe('unchanged');
    expect(
      graph.upsertEdge({
        source: 'change:shop/deploy-1',
        kind: 'affected',
        target: services[77] as string,
        provenance: { source: 'model', citation: 'chat', confidence: 0.5 },
      }),
    ).toBe('updated');
    expect(graph.edgeCount).toBe(480);
    expect(graph.getEdge(`change:shop/deploy-1 -[caused-by]-> ${services[99]}`)?.kind).toBe('caused-by');
    expect(graph.removeEdge(`change:shop/deploy-1 -[affected]-> ${services[99]}`)).toBe(true);
    expect(graph.hasEdge(`change:shop/deploy-1 -[affected]-> ${services[99]}`)).toBe(false);
    expect(graph.hasEdge(`change:shop/deploy-1 -[caused-by]-> ${services[99]}`)).toBe(true);
    expect(graph.edges({ from: 'change:shop/deploy-1' })).toHaveLength(239);
    expect(
      graph.upsertEdge({
        source: 'change:shop/deploy-1',
        kind: 'affected',
        target: services[99] as string,
        provenance,
      }),
    ).toBe('created');
    expect(graph.removeNode(services[5] as string)).toBe(true);
    expect(graph.edgeCount).toBe(476);
    expect(graph.edges({ from: 'change:shop/deploy-1' })).toHaveLength(238);
    expect(graph.dependents('service:shop/hub')).toHaveLength(119);
    expect(graph.removeNode('service:shop/hub')).toBe(true);
    expect(graph.edgeCount).toBe(238);
    expect(graph.edges({ from: services[0] as string })).toEqual([]);
  });
});

describe('the graphology escape hatch', () => {
  it('exports a plain graphology copy', () => {
    const copy = shop().toGraphology();
    expect(copy.order).toBe(12);
    expect(copy.getNodeAttributes('deployment:shop/cart')).toMatchObject({
      kind: 'deployment',
      tier: 1,
      confidence: 1,
    });
    // The copy's values are its own, even after a snapshot load (which shares equal values).
    const labelled = shop();
    for (const ref of ['pod:shop/cart-1', 'pod:shop/cart-2'])
      labelled.upsertNode({ ref, attributes: { labels: { app: 'cart' } }, provenance: kubernetes });
    const loaded = loadSnapshot(JSON.stringify(labelled.snapshot()));
    const labels = loaded.toGraphology().getNodeAttributes('pod:shop/cart-1').labels as Record<
      string,
      string
    >;
    labels.app = 'changed';
    expect(loaded.getNode<'pod'>('pod:shop/cart-1')?.attributes.labels).toEqual({ app: 'cart' });
    expect(loaded.getNode<'pod'>('pod:shop/cart-2')?.attributes.labels).toEqual({ app: 'cart' });
  });
});
