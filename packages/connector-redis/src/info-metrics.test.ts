import { createCallContext, createManualClock } from '@aisre/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infoMetricReadings } from './info-metrics';
import { infoNumber, parseInfo, parseInfoFields } from './info-parser';
import { createRedisConnector } from './redis-connector';
import { recordedPassword, startRecordedRedis } from './test-support/recorded-redis';
import type { RespServer } from './test-support/resp-replay-server';
import { recordedReply } from './test-support/resp-replay-server';

const entity = 'redis:lab/cache';

function recordedInfo(name: string) {
  const reply = recordedReply(name).toString('utf8');
  return parseInfo(reply.slice(reply.indexOf('\r\n') + 2));
}

function readingValue(
  readings: ReturnType<typeof infoMetricReadings>,
  name: string,
  labels: Record<string, string> = {},
) {
  return readings.find(
    (reading) =>
      reading.descriptor.name === name &&
      Object.entries(labels).every(([key, value]) => reading.descriptor.labels[key] === value),
  )?.value;
}

describe('parseInfo', () => {
  it('reads sections, fields with colons in their values, and compound fields', () => {
    const sections = parseInfo(
      '# Server\r\nexecutable:/usr/bin/redis-server\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=500\r\n',
    );
    expect(sections.server?.executable).toBe('/usr/bin/redis-server');
    expect(parseInfoFields(sections.keyspace?.db0 ?? '')).toEqual({
      keys: '3',
      expires: '1',
      avg_ttl: '500',
    });
    expect([
      infoNumber('ok'),
      infoNumber('err'),
      infoNumber('1.18'),
      infoNumber('allkeys-lru'),
      infoNumber(''),
    ]).toEqual([1, 0, 1.18, undefined, undefined]);
  });
});

describe('infoMetricReadings of a recorded INFO all (Redis 7.0.15)', () => {
  const readings = infoMetricReadings(recordedInfo('info-all'), entity);

  it('serves memory, keyspace, commandstats, latencystats and errorstats under redis_exporter names', () => {
    expect(readingValue(readings, 'redis_memory_max_bytes')).toBe(67_108_864);
    expect(readingValue(readings, 'redis_memory_used_bytes')).toBeGreaterThan(1_000_000);
    expect(readingValue(readings, 'redis_keyspace_hits_total')).toBe(2000);
    expect(readingValue(readings, 'redis_keyspace_misses_total')).toBe(1000);
    expect(readingValue(readings, 'redis_db_keys', { db: 'db0' })).toBe(2001);
    expect(readingValue(readings, 'redis_db_keys_expiring', { db: 'db0' })).toBe(200);
    expect(readingValue(readings, 'redis_db_keys', { db: 'db1' })).toBe(1);
    expect(readingValue(readings, 'redis_commands_total', { cmd: 'get' })).toBe(3000);
    expect(
      readingValue(readings, 'redis_latency_percentiles_usec', { cmd: 'get', quantile: '99' }),
    ).toBeGreaterThan(0);
    expect(readingValue(readings, 'redis_errors_total', { err: 'WRONGTYPE' })).toBe(1);
    expect(readingValue(readings, 'redis_rdb_last_bgsave_status')).toBe(1);
    const info = readings.find((reading) => reading.descriptor.name === 'redis_instance_info');
    expect(info?.descriptor.labels).toMatchObject({
      maxmemory_policy: 'allkeys-lru',
      redis_version: '7.0.15',
      role: 'master',
    });
  });

  it('marks totals as counters with per-second units and levels as gauges', () => {
    const evicted = readings.find((reading) => reading.descriptor.name === 'redis_evicted_keys_total');
    expect(evicted?.descriptor).toMatchObject({ type: 'counter', unit: 'keys/s', entity });
    const fragmentation = readings.find(
      (reading) => reading.descriptor.name === 'redis_mem_fragmentation_ratio',
    );
    expect(fragmentation?.descriptor).toMatchObject({ type: 'gauge', unit: 'ratio' });
  });
});

describe('metrics over two recorded readings: before and after filling 64 MB', () => {
  let server: RespServer & { config: Map<string, string> };
  beforeAll(async () => {
    server = await startRecordedRedis();
  });
  afterAll(() => server.close());

  it('shows used memory at the limit and evictions as a rate, as the memory-pressure pattern reads them', async () => {
    const clock = createManualClock(Date.parse('2026-12-07T14:00:00Z'));
    const connector = createRedisConnector({ url: server.url, entity, clock, env: {} });
    const context = createCallContext({ clock });
    await connector.sampler.sample(context);
    clock.advance(30_000);
    server.reply('INFO ALL', recordedReply('info-all-after-fill'));
    await connector.sampler.sample(context);
    const range = async (metric: string) =>
      (
        await connector.capabilities.metrics?.range({ metric, entity, start: 0, end: clock.now() }, context)
      )?.[0]?.points;
    const used = (await range('redis_memory_used_bytes'))?.at(-1)?.[1] ?? 0;
    const max = (await range('redis_memory_max_bytes'))?.at(-1)?.[1] ?? 1;
    expect(used / max).toBeGreaterThan(0.99);
    const evictions = await range('redis_evicted_keys_total');
    expect(evictions?.[0]?.[1]).toBeNull();
    const evicted = Number(recordedInfo('info-all-after-fill').stats?.evicted_keys);
    expect(evicted).toBeGreaterThan(40_000);
    expect(evictions?.[1]?.[1]).toBeCloseTo(evicted / 30, 6);
    expect(server.received.filter((parts) => parts[0] === 'auth').map((parts) => parts[1])).toEqual([
      recordedPassword,
    ]);
    await connector.close();
  });
});
