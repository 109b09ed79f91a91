import { createCallContext, type EntityRef, type Labels } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createMockConnector } from '../connector/mock-connector';
import { quietScenario, sampleScenario } from '../fixtures/sample-scenarios';
import type { MockConnector, Scenario, ScenarioFault } from '../types';

const start = Date.parse('2026-03-02T10:00:00Z');
const minute = 60_000;

async function mean(
  connector: MockConnector,
  metric: string,
  entity: EntityRef,
  labels: Labels,
  fromMinute: number,
  toMinute: number,
): Promise<number> {
  const series = await connector.capabilities.metrics?.range(
    { metric, entity, labels, start: start + fromMinute * minute, end: start + toMinute * minute },
    createCallContext({ clock: connector }),
  );
  const values = (series ?? []).flatMap((one) => one.points.map(([, value]) => value ?? 0));
  expect(values.length, `${metric} ${JSON.stringify(labels)} on ${entity}`).toBeGreaterThan(0);
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

async function errorRatio(
  connector: MockConnector,
  entity: EntityRef,
  fromMinute: number,
  toMinute: number,
): Promise<number> {
  const errors = await mean(
    connector,
    'http_server_requests_total',
    entity,
    { status: '5xx' },
    fromMinute,
    toMinute,
  );
  const ok = await mean(
    connector,
    'http_server_requests_total',
    entity,
    { status: '2xx' },
    fromMinute,
    toMinute,
  );
  return errors / (errors + ok);
}

function withFault(fault: ScenarioFault, traffic?: Scenario['traffic']): MockConnector {
  return createMockConnector(
    { ...quietScenario(), faults: [fault], ...(traffic ? { traffic } : {}) },
    { now: start + 119 * minute },
  );
}

describe('propagation along dependsOn', () => {
  it('shows a fault three hops down in the alerting service (frontend → checkout → payments → payments-db)', async () => {
    const connector = createMockConnector(sampleScenario());
    const frontend = 'service:shop/frontend';
    const before = await errorRatio(connector, frontend, 10, 38);
    const during = await errorRatio(connector, frontend, 65, 80);
    expect(during).toBeGreaterThan(before * 5);
    expect(during).toBeGreaterThan(0.005);
    const latencyBefore = await mean(
      connector,
      'http_server_request_duration_seconds',
      frontend,
      { quantile: '0.5' },
      10,
      38,
    );
    const latencyDuring = await mean(
      connector,
      'http_server_request_duration_seconds',
      frontend,
      { quantile: '0.5' },
      65,
      80,
    );
    expect(latencyDuring).toBeGreaterThan(latencyBefore * 1.15);
    // Each hop on the way shows it too, the cause most.
    const payments = await errorRatio(connector, 'service:shop/payments', 65, 80);
    const checkout = await errorRatio(connector, 'service:shop/checkout', 65, 80);
    expect(payments).toBeGreaterThan(checkout);
    expect(checkout).toBeGreaterThan(during);
    const backends = await mean(
      connector,
      'pg_stat_database_numbackends',
      'postgres:shop/payments-db',
      {},
      65,
      80,
    );
    expect(backends).toBeGreaterThanOrEqual(90);
    // A bystander does not.
    const catalog = await errorRatio(connector, 'service:shop/catalog', 65, 80);
    expect(catalog).toBeLessThan(0.005);
  });

  it('accumulates latency up the call chain', async () => {
    const connector = withFault({
      type: 'db.slow-queries',
      target: 'payments-db',
      start: '+30m',
      params: { timeoutRatio: 0 },
    });
    const p99 = (entity: EntityRef, from: number, to: number) =>
      mean(connector, 'http_server_request_duration_seconds', entity, { quantile: '0.5' }, from, to);
    const increase = async (entity: EntityRef) => (await p99(entity, 60, 110)) - (await p99(entity, 5, 25));
    const payments = await increase('service:shop/payments');
    const checkout = await increase('service:shop/checkout');
    expect(payments).toBeGreaterThan(0.005);
    expect(checkout).toBeGreaterThan(0);
    expect(await increase('service:shop/catalog')).toBeLessThan(payments / 10);
  });

  it("network latency raises callers' client latency while the target looks healthy", async () => {
    const connector = withFault({
      type: 'network.latency',
      target: 'payments',
      start: '+30m',
      params: { addedMs: 400 },
    });
    const client = (from: number, to: number) =>
      mean(
        connector,
        'http_client_request_duration_seconds',
        'service:shop/checkout',
        { peer: 'service:shop/payments' },
        from,
        to,
      );
    expect(await client(60, 110)).toBeGreaterThan((await client(5, 25)) + 0.3);
    const server = (from: number, to: number) =>
      mean(
        connector,
        'http_server_request_duration_seconds',
        'service:shop/payments',
        { quantile: '0.99' },
        from,
        to,
      );
    expect(await server(60, 110)).toBeLessThan((await server(5, 25)) * 1.3);
    const cpu = (from: number, to: number) =>
      mean(connector, 'container_cpu_usage_seconds_total', 'service:shop/payments', {}, from, to);
    expect(await cpu(60, 110)).toBeLessThan((await cpu(5, 25)) * 1.2);
  });

  it('a slow consumer grows the queue; producer errors mean fewer messages', async () => {
    const slow = withFault({
      type: 'db.slow-queries',
      target: 'catalog-db',
      start: '+30m',
      params: { latencyMultiplier: 400, timeoutRatio: 0 },
    });
    const depth = (connector: MockConnector, from: number, to: number) =>
      mean(connector, 'rabbitmq_queue_messages_ready', 'queue:shop/order-events', {}, from, to);
    expect(await depth(slow, 100, 119)).toBeGreaterThan((await depth(slow, 5, 25)) * 10);
    const lag = await mean(slow, 'queue_consumer_lag_seconds', 'queue:shop/order-events', {}, 100, 119);
    expect(lag).toBeGreaterThan(10);

    const failing = withFault({
      type: 'deploy.bad-release',
      target: 'frontend',
      start: '+30m',
      params: { errorRatio: 0.5 },
    });
    const published = (from: number, to: number) =>
      mean(failing, 'rabbitmq_queue_messages_published_total', 'queue:shop/order-events', {}, from, to);
    expect(await published(60, 110)).toBeLessThan((await published(5, 25)) * 0.7);
  });

  it('starts gradual faults gradually and abrupt ones at once', async () => {
    const leak = withFault({
      type: 'redis.memory-fragmentation',
      target: 'session-cache',
      start: '+30m',
      params: { rampMinutes: 60 },
    });
    const ratio = (from: number, to: number) =>
      mean(leak, 'redis_mem_fragmentation_ratio', 'redis:shop/session-cache', {}, from, to);
    const early = await ratio(34, 36);
    const middle = await ratio(59, 61);
    const late = await ratio(95, 100);
    expect(middle).toBeGreaterThan(early + 0.2);
    expect(late).toBeGreaterThan(middle + 0.2);

    const release = withFault({ type: 'deploy.bad-release', target: 'catalog', start: '+30m' });
    expect(await errorRatio(release, 'service:shop/catalog', 31.5, 33)).toBeGreaterThan(0.08);
    expect(await errorRatio(release, 'service:shop/catalog', 20, 29.5)).toBeLessThan(0.01);
  });

  it('follows the diurnal traffic pattern: the peak at peakAt, low at night', async () => {
    const connector = createMockConnector(
      {
        ...quietScenario(),
        start: '2026-03-02T00:00:00Z',
        duration: '1d',
        step: '5m',
        traffic: { pattern: 'diurnal', peakMultiplier: 20, peakAt: '14:00' },
        trigger: { alert: 'X', entity: 'service:shop/frontend', severity: 'P4', at: '+23h' },
      },
      { now: Date.parse('2026-03-02T23:55:00Z') },
    );
    const dayStart = Date.parse('2026-03-02T00:00:00Z');
    const rate = async (hour: number) => {
      const series = await connector.capabilities.metrics?.range(
        {
          metric: 'http_server_requests_total',
          entity: 'service:shop/frontend',
          labels: { status: '2xx' },
          start: dayStart + (hour - 0.25) * 3_600_000,
          end: dayStart + (hour + 0.25) * 3_600_000,
        },
        createCallContext({ clock: connector }),
      );
      const values = series?.[0]?.points.map(([, value]) => value ?? 0) ?? [];
      return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    };
    const night = await rate(5);
    const peak = await rate(14);
    expect(peak / night).toBeGreaterThan(10);
    expect(peak).toBeGreaterThan(await rate(10));
    expect(peak).toBeGreaterThan(await rate(19));
  });
});
