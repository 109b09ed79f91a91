import { createCallContext } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createMockConnector } from './connector/mock-connector';
import { sampleScenario } from './fixtures/sample-scenarios';
import { dumpTelemetry } from './fixtures/telemetry-dump';

const start = Date.parse('2026-03-02T10:00:00Z');

describe('determinism', () => {
  it('gives identical telemetry for the same scenario and seed', async () => {
    const first = await dumpTelemetry(createMockConnector(sampleScenario()), start, { spanLimit: 500 });
    const second = await dumpTelemetry(createMockConnector(sampleScenario()), start, { spanLimit: 500 });
    expect(second).toBe(first);
  });

  it('does not depend on query order', async () => {
    const forwards = createMockConnector(sampleScenario());
    const backwards = createMockConnector(sampleScenario());
    const context = createCallContext({ clock: forwards });
    const queries = [
      { metric: 'redis_latency_percentiles_usec', entity: 'redis:shop/session-cache' as const },
      { metric: 'http_server_request_duration_seconds', entity: 'service:shop/frontend' as const },
      { metric: 'pg_stat_activity_count' },
      { metric: 'rabbitmq_queue_messages_ready' },
      { metric: 'http_client_requests_total', entity: 'service:shop/payments' as const },
    ].map((query) => ({ ...query, start, end: start + 7_200_000 }));
    const logsFirst = await backwards.capabilities.logs?.search(
      { start: start + 3_000_000, end: start + 4_000_000, limit: 50 },
      context,
    );
    const ahead = [];
    for (const query of queries) ahead.push(await forwards.capabilities.metrics?.range(query, context));
    const behind = [];
    for (const query of [...queries].reverse())
      behind.unshift(await backwards.capabilities.metrics?.range(query, context));
    expect(behind).toEqual(ahead);
    const logsAfter = await forwards.capabilities.logs?.search(
      { start: start + 3_000_000, end: start + 4_000_000, limit: 50 },
      context,
    );
    expect(logsAfter).toEqual(logsFirst);
  });

  it('changes with the seed', async () => {
    const one = await dumpTelemetry(createMockConnector(sampleScenario()), start, { spanLimit: 100 });
    const other = await dumpTelemetry(createMockConnector(sampleScenario({ seed: 43 })), start, {
      spanLimit: 100,
    });
    expect(other).not.toBe(one);
  });
});
