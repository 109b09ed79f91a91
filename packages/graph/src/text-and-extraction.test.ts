import { describe, expect, it } from 'vitest';
import { createKnowledgeGraph } from './knowledge-graph';
import { extractRelations, type RelationModelRequest } from './relation-extraction';
import { findMentions, ingestText } from './text-mentions';

const clock = { now: () => Date.parse('2026-03-02T01:00:00Z') };

function shop() {
  const graph = createKnowledgeGraph({ clock });
  const provenance = { source: 'kubernetes', citation: 'scan' };
  for (const ref of [
    'service:shop/cart',
    'deployment:shop/cart',
    'redis:shop/session-cache',
    'postgres:shop/cart-db',
    'service:shop/recommendation',
    'service:staging/cart',
    'team:global/checkout',
  ]) {
    graph.upsertNode({ ref, provenance });
  }
  return graph;
}

describe('findMentions', () => {
  it('matches known names on word boundaries, preferring the Service over its Deployment', () => {
    const graph = shop();
    const text =
      'The cart-db pool was exhausted; cart retries hit session-cache.shop.svc.cluster.local. Ask #checkout. Not: carts, shopping-cart.';
    const mentions = findMentions(graph, text, { namespace: 'shop' });
    expect(mentions.map((mention) => [mention.ref, mention.text])).toEqual([
      ['postgres:shop/cart-db', 'cart-db'],
      ['service:shop/cart', 'cart'],
      ['redis:shop/session-cache', 'session-cache'],
      ['team:global/checkout', 'checkout'],
    ]);
    // Without a namespace, a name in two namespaces matches both.
    expect(findMentions(graph, 'cart is slow').map((mention) => mention.ref)).toEqual([
      'service:shop/cart',
      'service:staging/cart',
    ]);
    // Full references are matched as such.
    expect(findMentions(graph, 'see redis:shop/session-cache.').map((mention) => mention.ref)).toEqual([
      'redis:shop/session-cache',
    ]);
  });
});

describe('ingestText', () => {
  it('links a runbook to the entities it mentions, tentatively, with a redacted citation', () => {
    const graph = shop();
    const report = ingestText(
      graph,
      'If recommendation is slow, check session-cache memory (redis-cli -a hunter2 INFO memory).',
      {
        citation: 'runbook: https://wiki.example.com/redis?token=hunter2',
        document: 'doc:shop/redis-runbook',
        documentAttributes: { title: 'Redis runbook' },
        namespace: 'shop',
      },
    );
    expect(report.mentions.map((mention) => mention.ref)).toEqual([
      'service:shop/recommendation',
      'redis:shop/session-cache',
    ]);
    expect(report).toMatchObject({ nodesCreated: 1, edgesCreated: 2 });
    const edge = graph.getEdge('redis:shop/session-cache -[documented-by]-> doc:shop/redis-runbook');
    expect(edge?.confidence).toBe(0.7);
    expect(edge?.provenance[0]?.citation).toBe('runbook: https://wiki.example.com/redis?token=[redacted]');
    expect(graph.getNode('doc:shop/redis-runbook')?.attributes).toEqual({ title: 'Redis runbook' });
    // The mentioned entities themselves are untouched.
    expect(graph.getNode('redis:shop/session-cache')?.provenance.map((entry) => entry.source)).toEqual([
      'kubernetes',
    ]);
    expect(JSON.stringify(graph.snapshot())).not.toContain('hunter2');
  });
});

describe('extractRelations', () => {
  const message =
    'since 01:00 cart is timing out on session-cache, and the nightly cart-db-backup hammers cart-db. DATABASE_URL=postgres://cart:s3cret@cart-db/cart';

  it('adds tentative relations with the message as citation', async () => {
    const graph = shop();
    const requests: RelationModelRequest[] = [];
    const report = await extractRelations(graph, message, {
      namespace: 'shop',
      citation: '#incidents 01:12 alice',
      model: async (request) => {
        requests.push(request);
        return {
          relations: [
            {
              source: 'cart',
              kind: 'depends-on',
              target: 'redis:shop/session-cache',
              confidence: 0.95,
              evidence: 'cart is timing out on session-cache',
            },
            { source: 'cart-db-backup', kind: 'depends-on', target: 'cart-db' },
            { source: 'service:shop/cart', kind: 'depends-on', target: 'service:shop/cart' },
          ],
        };
      },
    });
    expect(report.errors).toEqual([]);
    expect(report.relations).toEqual([
      {
        source: 'service:shop/cart',
        kind: 'depends-on',
        target: 'redis:shop/session-cache',
        confidence: 0.8,
      },
    ]);
    expect(report.skipped.map((entry) => [entry.documentIndex, entry.reason])).toEqual([
      [1, 'unknown entity "cart-db-backup"'],
      [2, 'source and target are the same entity'],
    ]);
    const edge = graph.getEdge('service:shop/cart -[depends-on]-> redis:shop/session-cache');
    expect(edge?.confidence).toBeLessThan(1);
    expect(edge?.provenance[0]).toMatchObject({ source: 'model', confidence: 0.8 });
    expect(edge?.provenance[0]?.citation).toContain(
      '#incidents 01:12 alice: since 01:00 cart is timing out on session-cache',
    );
    expect(edge?.attributes.description).toBe('cart is timing out on session-cache');
    expect(graph.edges({ maxConfidence: 1 })).toHaveLength(1);
    // Neither the prompt nor the graph sees the password.
    expect(requests[0]?.prompt).toContain('- redis:shop/session-cache');
    expect(requests[0]?.prompt).not.toContain('s3cret');
    expect(JSON.stringify(graph.snapshot())).not.toContain('s3cret');
  });

  it('reports a reply that does not match the schema, and a failed call, without touching the graph', async () => {
    const graph = shop();
    const before = JSON.stringify(graph.snapshot());
    const bad = await extractRelations(graph, message, {
      model: async () => '{"relations": [{"source": "cart", "kind": "loves", "target": "cart-db"}]}',
    });
    expect(bad.errors[0]).toMatchObject({
      code: 'invalid-model-reply',
      documentIndex: 0,
      path: 'relations[0].kind',
    });
    const failed = await extractRelations(graph, message, {
      model: async () => {
        throw new Error('rate limited');
      },
    });
    expect(failed.errors[0]).toMatchObject({ code: 'model-failed' });
    expect(failed.errors[0]?.message).toContain('rate limited');
    expect(JSON.stringify(graph.snapshot())).toBe(before);
  });

  it('skips names that are ambiguous across namespaces', async () => {
    const graph = shop();
    const report = await extractRelations(graph, 'cart calls recommendation', {
      model: async () => ({
        relations: [{ source: 'cart', kind: 'calls', target: 'recommendation', confidence: 0.6 }],
      }),
    });
    expect(report.skipped[0]?.reason).toMatch(/^ambiguous entity "cart"/);
  });
});
