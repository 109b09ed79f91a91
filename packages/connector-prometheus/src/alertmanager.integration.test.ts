// End to end against the lab (docs/lab.md): real faults in Redis and PostgreSQL, Prometheus's rules, the real
// Alertmanager posting to the receiver mounted at AISRE_LAB_WEBHOOK_URL, firing then resolved.
import { createServer, type Server } from 'node:http';
import { createCallContext, type Signal, signalSchema, systemClock } from '@aisre/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerReceiver } from './alertmanager-receiver';
import { lab, labCommand, waitFor } from './lab-environment.fixture';
import { createPrometheusConnector } from './prometheus-connector';

const received: { at: number; signal: Signal }[] = [];
const statuses: number[] = [];
const receiver = createAlertmanagerReceiver({
  onSignal: (signal) => void received.push({ at: Date.now(), signal }),
});
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== lab.webhookUrl.pathname) {
      response.writeHead(404).end();
      return;
    }
    response.on('finish', () => statuses.push(response.statusCode));
    void receiver.handle(request, response);
  });
  await new Promise<void>((resolve) =>
    server.listen(Number(lab.webhookUrl.port), lab.webhookUrl.hostname, () => resolve()),
  );
});

afterAll(async () => {
  // Whatever happened, the lab is left without faults.
  await labCommand('heal', 'redis-memory').catch(() => undefined);
  await labCommand('heal', 'postgres-connections').catch(() => undefined);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function arrived(alertname: string, status: 'firing' | 'resolved', since: number) {
  return () =>
    received.find(
      ({ signal }) =>
        signal.labels.alertname === alertname &&
        signal.status === status &&
        Date.parse(signal.at) >= since - 1_000,
    );
}

describe('Alertmanager → receiver → signals, with real faults', () => {
  it('delivers firing then resolved signals about the faulty entities, as signals.list sees them', async () => {
    const faultAt = Date.now();
    console.log(await labCommand('fault', 'redis-memory'));
    console.log(await labCommand('fault', 'postgres-connections', '16'));
    const injected = Date.now();
    const redis = await waitFor('RedisMemoryHigh firing', arrived('RedisMemoryHigh', 'firing', faultAt));
    const postgres = await waitFor(
      'PostgresConnectionsHigh firing',
      arrived('PostgresConnectionsHigh', 'firing', faultAt),
    );
    for (const { signal } of [redis, postgres]) signalSchema.parse(signal);
    expect(redis.signal).toMatchObject({
      source: 'alertmanager',
      kind: 'alert',
      entity: lab.redisEntity,
      severity: 'P1',
    });
    expect(redis.signal.summary).toMatch(/^Redis cache memory at \d+(\.\d+)?% of maxmemory$/);
    expect(redis.signal.labels.symptom_metric).toBe('redis_memory_used_bytes');
    expect(postgres.signal).toMatchObject({ entity: lab.postgresEntity, severity: 'P3' });
    console.log(
      `fault → firing webhook: redis ${redis.at - faultAt} ms, postgres ${postgres.at - faultAt} ms (faults injected in ${injected - faultAt} ms)`,
    );

    // Prometheus's own view of the same alerts: the same entities, fingerprints and starts.
    const connector = createPrometheusConnector({
      baseURL: lab.prometheusUrl,
      env: {},
      scrapeIntervalMs: 1000,
    });
    const listed = await connector.capabilities.signals?.list(
      { start: faultAt - 10_000, end: Date.now() },
      createCallContext({ clock: systemClock }),
    );
    for (const delivered of [redis.signal, postgres.signal]) {
      const same = listed?.find(
        (signal) => signal.fingerprint === delivered.fingerprint && signal.status === 'firing',
      );
      expect(same, `signals.list has ${delivered.labels.alertname}`).toBeDefined();
      expect(same?.entity).toBe(delivered.entity);
      expect(Math.abs(Date.parse(same?.at ?? '') - Date.parse(delivered.at))).toBeLessThanOrEqual(1_000);
    }

    const healAt = Date.now();
    await labCommand('heal', 'redis-memory');
    await labCommand('heal', 'postgres-connections');
    const redisResolved = await waitFor(
      'RedisMemoryHigh resolved',
      arrived('RedisMemoryHigh', 'resolved', faultAt),
    );
    const postgresResolved = await waitFor(
      'PostgresConnectionsHigh resolved',
      arrived('PostgresConnectionsHigh', 'resolved', faultAt),
    );
    expect(redisResolved.signal).toMatchObject({
      fingerprint: redis.signal.fingerprint,
      at: redis.signal.at,
    });
    expect(postgresResolved.signal).toMatchObject({
      fingerprint: postgres.signal.fingerprint,
      at: postgres.signal.at,
    });
    expect(typeof redisResolved.signal.payload.endsAt).toBe('string');
    console.log(
      `heal → resolved webhook: redis ${redisResolved.at - healAt} ms, postgres ${postgresResolved.at - healAt} ms`,
    );
    // Each occurrence reached onSignal once per status, however often Alertmanager sent it.
    const keys = received.map(({ signal }) => `${signal.fingerprint}|${signal.at}|${signal.status}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(statuses.every((status) => status === 200)).toBe(true);

    // Once a step has passed without it, ALERTS shows the occurrence as resolved too.
    const redisListed = await waitFor(
      'signals.list to show RedisMemoryHigh resolved',
      async () => {
        const after = await connector.capabilities.signals?.list(
          { start: faultAt - 10_000, end: Date.now() },
          createCallContext({ clock: systemClock }),
        );
        return after?.find(
          (signal) => signal.fingerprint === redis.signal.fingerprint && signal.status === 'resolved',
        );
      },
      15_000,
    );
    expect(redisListed.entity).toBe(lab.redisEntity);
  });
});
