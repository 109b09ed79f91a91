import { createInvestigator, type Signal } from '@aisre/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { labAdminClient, labRedisUrl } from './test-support/lab-redis';

// The engine reading this connector alone, as it reads the mock's or redis_exporter's series: a real Redis is
// sampled in the background while it serves light cache traffic, then is filled past its 64 MB limit and kept
// there (the engine judges saturation on the median of its recent window, which here is the whole short history);
// an alert on it is investigated through the connector's capabilities.
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

/** Cache traffic: writes values of 1 KiB and reads keys spread over all written so far, as a cache's readers do. */
function cacheTraffic() {
  const value = 'x'.repeat(1024);
  let written = 0;
  let seed = 7;
  return async (perRound: number): Promise<void> => {
    const pipeline = admin.pipeline();
    for (let index = 0; index < perRound; index += 1) {
      pipeline.set(`${prefix}${written}`, value);
      written += 1;
      // A fixed linear congruential sequence: reads land all over the key space (misses once keys are evicted).
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      pipeline.get(`${prefix}${seed % written}`);
    }
    await pipeline.exec();
  };
}

async function usedFraction(): Promise<number> {
  const memory = await admin.info('memory');
  const used = Number(/used_memory:(\d+)/.exec(memory)?.[1]);
  const max = Number(/maxmemory:(\d+)/.exec(memory)?.[1]);
  return used / max;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
      const round = cacheTraffic();
      const started = Date.now();
      // Light traffic for 6 s, then writes until the instance is at its limit, then pressure for twice as long as
      // all that took: however loaded the machine, the fault holds for most of the history the engine reads.
      while (Date.now() - started < 6000) {
        await round(20);
        await pause(200);
      }
      while ((await usedFraction()) < 0.95) await round(2000);
      const pressureEnds = Date.now() + 2 * (Date.now() - started);
      while (Date.now() < pressureEnds) {
        await round(2000);
        await pause(50);
      }
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
