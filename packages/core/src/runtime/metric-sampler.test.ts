import { describe, expect, it } from 'vitest';
import type { MetricDescriptor } from '../contracts/telemetry';
import { ConnectorError, InvalidInputError } from '../errors/aisre-error';
import { createCallContext, createManualClock } from './call-context';
import { createMetricSampler, type IntervalTimer, type MetricReading } from './metric-sampler';

const entity = 'redis:lab/cache';
const usedMemory: MetricDescriptor = {
  name: 'redis_memory_used_bytes',
  entity,
  type: 'gauge',
  unit: 'bytes',
  labels: {},
  help: 'used_memory from INFO',
};
const commands: MetricDescriptor = {
  name: 'redis_commands_processed_total',
  entity,
  type: 'counter',
  unit: 'commands',
  labels: {},
  help: 'total_commands_processed from INFO',
};

/** A source whose values are set by the test, counting how often it is read. */
function scriptedSource() {
  const state = { memory: 100 as number | null, commands: 0, reads: 0, failing: false };
  const read = async (): Promise<MetricReading[]> => {
    state.reads += 1;
    if (state.failing) throw new ConnectorError('redis', 'connector-redis: INFO failed: connection refused');
    return [
      { descriptor: usedMemory, value: state.memory },
      { descriptor: commands, value: state.commands },
    ];
  };
  return { state, read };
}

describe('createMetricSampler', () => {
  it('keeps gauge readings and answers range queries from them', async () => {
    const clock = createManualClock(1_000_000);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock });
    const context = createCallContext({ clock });
    for (const memory of [100, 200, 300]) {
      source.state.memory = memory;
      await sampler.sample(context);
      clock.advance(10_000);
    }
    const [series] = await sampler.metrics.range(
      { metric: 'redis_memory_used_bytes', entity, start: 1_000_000, end: 1_020_000 },
      context,
    );
    expect(series?.points).toEqual([
      [1_000_000, 100],
      [1_010_000, 200],
      [1_020_000, 300],
    ]);
    expect(series?.unit).toBe('bytes');
  });

  it('serves counters as per-second rates, a reset counting the new total as the increase', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock });
    const context = createCallContext({ clock });
    for (const total of [1000, 1500, 2500, 300]) {
      source.state.commands = total;
      await sampler.sample(context);
      clock.advance(10_000);
    }
    const [series] = await sampler.metrics.range(
      { metric: 'redis_commands_processed_total', start: 0, end: 30_000 },
      context,
    );
    expect(series?.points).toEqual([
      [0, null],
      [10_000, 50],
      [20_000, 100],
      [30_000, 30],
    ]);
  });

  it('counts a counter first seen after the first reading from zero when the source leaves zeros out', async () => {
    for (const absentCountersAreZero of [false, true]) {
      const clock = createManualClock(0);
      let reads = 0;
      const read = async (): Promise<MetricReading[]> => {
        reads += 1;
        return reads === 1
          ? [{ descriptor: usedMemory, value: 1 }]
          : [
              { descriptor: usedMemory, value: 1 },
              { descriptor: commands, value: 20 },
            ];
      };
      const sampler = createMetricSampler({ source: 'test', read, clock, absentCountersAreZero });
      const context = createCallContext({ clock });
      await sampler.sample(context);
      clock.advance(10_000);
      await sampler.sample(context);
      const [series] = await sampler.metrics.range(
        { metric: 'redis_commands_processed_total', start: 0, end: 10_000 },
        context,
      );
      expect(series?.points).toEqual(
        absentCountersAreZero
          ? [
              [0, null],
              [10_000, 2],
            ]
          : [[10_000, null]],
      );
    }
  });

  it('reads the source again only when its newest reading is stale, and shares concurrent reads', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock, freshnessMs: 5000 });
    const context = createCallContext({ clock });
    await Promise.all([
      sampler.metrics.list({}, context),
      sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 0, end: 0 }, context),
    ]);
    expect(source.state.reads).toBe(1);
    clock.advance(4000);
    await sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 0, end: 4000 }, context);
    expect(source.state.reads).toBe(1);
    clock.advance(2000);
    await sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 0, end: 6000 }, context);
    expect(source.state.reads).toBe(2);
    // A query about the past does not need a new reading.
    clock.advance(60_000);
    await sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 0, end: 6000 }, context);
    expect(source.state.reads).toBe(2);
  });

  it('stamps a reading with the time it was asked for, so a query ending now sees the reading it caused', async () => {
    const clock = createManualClock(5000);
    const slowRead = async (): Promise<MetricReading[]> => {
      clock.advance(250);
      return [{ descriptor: usedMemory, value: 42 }];
    };
    const sampler = createMetricSampler({ source: 'test', read: slowRead, clock });
    const context = createCallContext({ clock });
    const [series] = await sampler.metrics.range(
      { metric: 'redis_memory_used_bytes', start: 0, end: 5000 },
      context,
    );
    expect(series?.points).toEqual([[5000, 42]]);
  });

  it('loses nothing when a reading fails, and reports the failure', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock });
    const context = createCallContext({ clock });
    await sampler.sample(context);
    clock.advance(10_000);
    source.state.failing = true;
    await expect(
      sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 0, end: 10_000 }, context),
    ).rejects.toBeInstanceOf(ConnectorError);
    source.state.failing = false;
    clock.advance(10_000);
    const [series] = await sampler.metrics.range(
      { metric: 'redis_memory_used_bytes', start: 0, end: 20_000 },
      context,
    );
    expect(series?.points.map(([at]) => at)).toEqual([0, 20_000]);
  });

  it('forgets readings older than the retention', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock, retentionMs: 25_000 });
    const context = createCallContext({ clock });
    for (let index = 0; index < 5; index += 1) {
      await sampler.sample(context);
      clock.advance(10_000);
    }
    expect(sampler.readingCount).toBe(3);
    const [series] = await sampler.metrics.range(
      { metric: 'redis_memory_used_bytes', start: 0, end: 40_000 },
      context,
    );
    expect(series?.points.map(([at]) => at)).toEqual([20_000, 30_000, 40_000]);
  });

  it('filters by entity and labels, and rejects malformed queries with a typed error', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock });
    const context = createCallContext({ clock });
    expect(await sampler.metrics.list({ entity: 'redis:lab/other' }, context)).toEqual([]);
    expect((await sampler.metrics.list({ entity }, context)).map((metric) => metric.name).sort()).toEqual([
      'redis_commands_processed_total',
      'redis_memory_used_bytes',
    ]);
    expect(
      await sampler.metrics.range(
        { metric: 'redis_memory_used_bytes', labels: { db: 'db0' }, start: 0, end: 0 },
        context,
      ),
    ).toEqual([]);
    await expect(
      sampler.metrics.range({ metric: 'redis_memory_used_bytes', start: 10, end: 0 }, context),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => createMetricSampler({ source: 'test', read: source.read, clock, retentionMs: 0 })).toThrow(
      InvalidInputError,
    );
  });

  it('samples on a timer until stopped or aborted, and reports failed readings without stopping', async () => {
    const clock = createManualClock(0);
    const source = scriptedSource();
    const sampler = createMetricSampler({ source: 'test', read: source.read, clock });
    let tick: (() => void) | undefined;
    let cleared = 0;
    const timer: IntervalTimer = {
      every(_intervalMs, callback) {
        tick = callback;
        return () => {
          cleared += 1;
          tick = undefined;
        };
      },
    };
    const errors: unknown[] = [];
    const controller = new AbortController();
    sampler.start({
      intervalMs: 1000,
      timer,
      signal: controller.signal,
      onError: (error) => errors.push(error),
    });
    const fire = async () => {
      tick?.();
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1000);
    };
    await fire();
    source.state.failing = true;
    await fire();
    source.state.failing = false;
    await fire();
    expect(sampler.readingCount).toBe(2);
    expect(errors).toHaveLength(1);
    controller.abort();
    expect(cleared).toBe(1);
    expect(tick).toBeUndefined();
    expect(() => sampler.start({ intervalMs: 0, timer })).toThrow(InvalidInputError);
  });
});
