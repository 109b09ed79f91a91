import { createCallContext, type MetricSeries } from '@aisre/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { labAdminClient, labRedisUrl } from './test-support/lab-redis';

// A real fault: fill the lab's Redis (64 MB maxmemory, allkeys-lru) past its limit and read what the connector
// reports, as the investigation engine will: used memory against the limit, evictions as a rate.
const entity = 'redis:lab/cache';
const prefix = 'aisre-test:fill:';
let admin: Redis;

async function fill(count: number, offset: number): Promise<void> {
  const value = 'x'.repeat(1024);
  for (let batch = 0; batch < count; batch += 1000) {
    const pipeline = admin.pipeline();
    for (let index = batch; index < Math.min(batch + 1000, count); index += 1)
      pipeline.set(`${prefix}${offset + index}`, value);
    await pipeline.exec();
  }
}

async function removeFill(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await admin.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

beforeAll(async () => {
  admin = labAdminClient();
  await removeFill();
});

afterAll(async () => {
  await removeFill();
  admin.disconnect();
});

const last = (series: MetricSeries[] | undefined) => series?.[0]?.points.at(-1)?.[1] ?? Number.NaN;

describe('memory pressure on the real Redis', () => {
  it('shows used memory reaching maxmemory and evictions rising while it is filled past its limit', async () => {
    const connector = createRedisConnector({ url: labRedisUrl(), entity, env: {}, freshnessMs: 0 });
    const context = createCallContext();
    const range = (metric: string) =>
      connector.capabilities.metrics?.range({ metric, entity, start: 0, end: Date.now() + 60_000 }, context);
    try {
      await connector.sampler.sample(context);
      const usedBefore = last(await range('redis_memory_used_bytes'));
      // 100 000 values of 1 KiB into 64 MB, sampled after each fifth.
      for (let step = 0; step < 5; step += 1) {
        await fill(20_000, step * 20_000);
        await connector.sampler.sample(context);
      }
      const used = last(await range('redis_memory_used_bytes'));
      const max = last(await range('redis_memory_max_bytes'));
      const evictionRates =
        (await range('redis_evicted_keys_total'))?.[0]?.points.map(([, rate]) => rate) ?? [];
      console.log(
        `memory pressure: used ${usedBefore} → ${used} of ${max} bytes (${((used / max) * 100).toFixed(1)} %), evictions/s by sample: ${evictionRates
          .map((rate) => (rate === null ? 'null' : rate.toFixed(0)))
          .join(', ')}`,
      );
      expect(max).toBe(64 * 1024 * 1024);
      expect(used / max).toBeGreaterThan(0.95);
      expect(evictionRates[0]).toBeNull();
      expect(Math.max(...evictionRates.map((rate) => rate ?? 0))).toBeGreaterThan(100);
      const [, evictedTotal] = (await admin.info('stats')).match(/evicted_keys:(\d+)/) ?? [];
      expect(Number(evictedTotal)).toBeGreaterThan(20_000);
    } finally {
      await connector.close();
    }
  });
});
