import { describe, expect, it } from 'vitest';
import { createKnowledgeGraph } from './knowledge-graph';
import { ingestSpans, type SpanRecord } from './span-ingest';

const start = Date.parse('2026-03-02T01:00:00Z');
const clock = { now: () => start + 60_000 };

/** 100 checkout requests over 10 s: frontend → cart (HTTP) → session-cache (Redis) and cart-db (PostgreSQL). */
function checkoutTraces(): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let index = 0; index < 100; index++) {
    const traceId = `t${index}`;
    const at = start + index * 100;
    const failed = index % 10 === 0;
    spans.push(
      {
        traceId,
        spanId: 'a',
        kind: 'server',
        serviceName: 'frontend',
        startTimeMs: at,
        durationMs: 40 + index,
      },
      {
        traceId,
        spanId: 'b',
        parentSpanId: 'a',
        kind: 'client',
        serviceName: 'frontend',
        startTimeMs: at + 1,
        durationMs: 30 + index,
        attributes: { 'peer.service': 'cart' },
        status: failed ? 'error' : 'ok',
      },
      {
        traceId,
        spanId: 'c',
        parentSpanId: 'b',
        kind: 'server',
        serviceName: 'cart',
        startTimeMs: at + 2,
        durationMs: 28 + index,
        status: failed ? { code: 2 } : { code: 1 },
      },
      {
        traceId,
        spanId: 'd',
        parentSpanId: 'c',
        kind: 'client',
        serviceName: 'cart',
        startTimeMs: at + 3,
        durationMs: 2,
        attributes: {
          'db.system': 'redis',
          'server.address': 'session-cache.shop.svc.cluster.local',
          'server.port': 6379,
        },
      },
      {
        traceId,
        spanId: 'e',
        parentSpanId: 'c',
        kind: 'client',
        serviceName: 'cart',
        startTimeMs: at + 5,
        durationMs: index < 95 ? 5 : 500,
        attributes: { 'db.system': 'postgresql', 'server.address': 'cart-db', 'db.name': 'cart' },
      },
    );
  }
  return spans.map((span) => ({
    ...span,
    resource: { attributes: { 'service.namespace': 'shop' } },
  }));
}

describe('ingestSpans', () => {
  it('turns spans into calls edges with rate, error ratio and latency percentiles', () => {
    const graph = createKnowledgeGraph({ clock });
    const report = ingestSpans(graph, checkoutTraces());
    expect(report.errors).toEqual([]);
    expect(report.ingested).toBe(500);
    expect(
      graph
        .edges({ kinds: ['calls'] })
        .map((edge) => edge.key)
        .sort(),
    ).toEqual([
      'service:shop/cart -[calls]-> postgres:shop/cart-db',
      'service:shop/cart -[calls]-> redis:shop/session-cache',
      'service:shop/frontend -[calls]-> service:shop/cart',
    ]);
    const frontend = graph.getEdge<'calls'>('service:shop/frontend -[calls]-> service:shop/cart');
    expect(frontend?.attributes).toMatchObject({
      callCount: 100,
      errorRatio: 0.1,
      latencyP50Ms: 79,
      latencyP95Ms: 124,
      latencyP99Ms: 128,
      operation: 'call',
    });
    // 100 calls over the window from the first start to the last end (the slow query of the last trace).
    expect(frontend?.attributes.rate).toBeCloseTo(100 / 10.405, 2);
    const database = graph.getEdge<'calls'>('service:shop/cart -[calls]-> postgres:shop/cart-db');
    expect(database?.attributes).toMatchObject({
      latencyP50Ms: 5,
      latencyP95Ms: 5,
      latencyP99Ms: 500,
      operation: 'query',
    });
    expect(database?.provenance[0]).toMatchObject({ source: 'traces', confidence: 0.95 });
    expect(database?.provenance[0]?.citation).toMatch(/^100 spans, e\.g\. trace t\d+ span e$/);
    expect(graph.dependents('postgres:shop/cart-db', { depth: 2 }).map((hit) => hit.ref)).toEqual([
      'service:shop/cart',
      'service:shop/frontend',
    ]);
  });

  it('counts a call from the server side when the caller has no client span', () => {
    const graph = createKnowledgeGraph({ clock });
    ingestSpans(
      graph,
      [
        { traceId: 't', spanId: '1', kind: 'server', serviceName: 'gateway', durationMs: 9 },
        {
          traceId: 't',
          spanId: '2',
          parentSpanId: '1',
          kind: 'server',
          serviceName: 'orders',
          durationMs: 7,
        },
      ],
      { namespace: 'shop', windowMs: 1000 },
    );
    expect(graph.getEdge('service:shop/gateway -[calls]-> service:shop/orders')?.attributes).toMatchObject({
      callCount: 1,
      rate: 1,
    });
  });

  it('reads OTLP JSON spans and messaging spans', () => {
    const graph = createKnowledgeGraph({ clock });
    const report = ingestSpans(graph, [
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        name: 'publish cart-events',
        kind: 4,
        startTimeUnixNano: '1772413200000000000',
        endTimeUnixNano: '1772413200003000000',
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'cart' } },
            { key: 'k8s.namespace.name', value: { stringValue: 'shop' } },
          ],
        },
        attributes: [
          { key: 'messaging.system', value: { stringValue: 'kafka' } },
          { key: 'messaging.destination.name', value: { stringValue: 'cart-events' } },
        ],
        status: { code: 'STATUS_CODE_UNSET' },
      },
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'fff19b7ec3c1b175',
        kind: 'SPAN_KIND_CLIENT',
        durationMs: 120,
        resource: { attributes: { 'service.name': 'checkout', 'service.namespace': 'shop' } },
        attributes: {
          'url.full': 'https://user:pw@api.payments.example.com/v1/charges',
          'http.response.status_code': 502,
        },
        status: { code: 'STATUS_CODE_ERROR' },
      },
    ]);
    expect(report.errors).toEqual([]);
    expect(graph.getEdge('service:shop/cart -[calls]-> queue:shop/cart-events')?.attributes).toMatchObject({
      operation: 'publish',
      latencyP50Ms: 3,
    });
    expect(
      graph.getEdge('service:shop/checkout -[calls]-> external:global/api.payments.example.com')?.attributes,
    ).toMatchObject({
      errorRatio: 1,
    });
    expect(JSON.stringify(graph.snapshot())).not.toContain(':pw@');
  });

  it('reports malformed spans with their index and path, and ingests the others', () => {
    const graph = createKnowledgeGraph({ clock });
    const report = ingestSpans(graph, [
      { traceId: 't', spanId: '1', kind: 'server', serviceName: 'gateway', durationMs: 9 },
      { traceId: 't', spanId: 2, serviceName: 'orders', durationMs: 7 },
      { traceId: 't', spanId: '3', serviceName: 'orders' },
      { traceId: 't', spanId: '4', durationMs: 1 },
      { traceId: 't', spanId: '5', parentSpanId: '1', kind: 'client', serviceName: 'gateway', durationMs: 1 },
    ]);
    expect(report.errors.map((error) => [error.code, error.documentIndex, error.path])).toEqual([
      ['invalid-span', 1, 'spanId'],
      ['invalid-span', 2, 'durationMs'],
      ['invalid-span', 3, 'resource.attributes'],
    ]);
    expect(report.ingested).toBe(1);
    expect(report.skipped).toEqual([
      expect.objectContaining({ documentIndex: 4, reason: expect.stringMatching(/no peer/) }),
    ]);
    expect(graph.hasNode('service:default/gateway')).toBe(true);
  });
});
