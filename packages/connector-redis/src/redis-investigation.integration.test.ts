import { createInvestigator, type Signal } from '@aisre/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { labAdminClient, labRedisUrl } from './test-support/lab-redis';

// The engine reading this connector alone, as it reads the mock's or redis_exporter's series: a real Redis is
// sampled in the background while it serves light traffic (8 s), then is filled past its 64 MB limit (16 s: the
// engine judges saturation on the median of its recent window, which here is the whole short history); an alert
// on it is investigated through the connector's capabilities.
const entity = 'redis:lab/cache';
const prefix = 'aisre-test:investigation:';
let admin: Redis;

async function removeKeys(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await admin.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Cache traffic for `durationMs` of wall time: each round writes `perRound` new values of 1 KiB and reads as many
 * keys spread over all those written so far, as a cache's readers do (once keys are evicted, those reads miss).
 */
async function traffic(
  perRound: number,
  pauseMs: number,
  durationMs: number,
  first: number,
): Promise<number> {
  const value = 'x'.repeat(1024);
  const end = Date.now() + durationMs;
  let next = first;
  while (Date.now() < end) {
    const pipeline = admin.pipeline();
    for (let index = 0; index < perRound; index += 1) {
      pipeline.set(`${prefix}${next}`, value);
      pipeline.get(`${prefix}${(next * 7919) % (next + 1)}`);
      next += 1;
    }
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return next;
}

beforeAll(async () => {
  admin = labAdminClient();
  await removeKeys();
});

afterAll(async () => {
  await removeKeys();
  admin.disconnect();
});

describe('an investigation through the connector, on a real Redis filled past its limit', () => {
  it('leads with redis.memory-pressure on the instance', async () => {
    const connector = createRedisConnector({ url: labRedisUrl(), entity, env: {} });
    const failures: unknown[] = [];
    connector.sampler.start({ intervalMs: 500, onError: (error) => failures.push(error) });
    try {
      const written = await traffic(20, 200, 8000, 0);
      await traffic(2000, 50, 16_000, written);
      const trigger: Signal = {
        id: 'alert-redis-memory-high',
        source: 'alertmanager',
        kind: 'alert',
        entity,
        severity: 'P3',
        at: new Date().toISOString(),
        summary: 'Redis memory above 90 % of maxmemory',
        labels: { alertname: 'RedisMemoryHigh' },
        payload: {},
      };
      const report = await createInvestigator({ connectors: [connector] }).investigate(trigger);
      const evidence = report.evidence
        .map((item) => `[${item.id}] ${item.verdict}: ${item.summary}`)
        .join('\n');
      console.log(
        `readings ${connector.sampler.readingCount}, ended ${report.ending.kind}: ${report.ending.reason}\n${evidence}`,
      );
      expect(failures).toEqual([]);
      // The connector's part is the data; how confident the engine gets on 24 s of history is the engine's. The
      // leading candidate must be the fault that was injected.
      const leader = report.conclusion ?? report.alternatives[0];
      expect(leader, evidence).toMatchObject({ entity, fault: 'redis.memory-pressure' });
    } finally {
      await connector.close();
    }
  });
});
