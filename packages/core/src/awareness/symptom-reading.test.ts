import { describe, expect, it } from 'vitest';
import type { Signal } from '../contracts/signal';
import { sustainedShift } from './corroboration';
import { hour, minute, now, readerOf, wobble } from './series-reader.fixture';
import { readSymptom } from './symptom-reading';
import type { TrafficModel } from './types';

const cache = 'redis:shop/cache' as const;
const api = 'service:shop/api' as const;
const window = { start: now - hour, end: now };
const latencyAlert: Signal = {
  id: 'a',
  source: 'test',
  kind: 'alert',
  entity: cache,
  severity: 'P3',
  at: new Date(now).toISOString(),
  summary: 'RedisLatencyHigh',
  labels: { alertname: 'RedisLatencyHigh' },
  payload: {},
};
const errorAlert: Signal = {
  ...latencyAlert,
  entity: api,
  summary: 'ApiErrorRateHigh',
  labels: { alertname: 'ApiErrorRateHigh' },
};

const latency = (value: (at: number) => number) =>
  readerOf([
    { entity: cache, metric: 'redis_latency_percentiles_usec', value: (at) => value(at) * wobble(at) },
  ]);
const stepAt =
  (since: number, factor = 3) =>
  (at: number) =>
    at >= now - since ? 800 * factor : 800;

describe('readSymptom', () => {
  it('tells quiet, fresh and sustained apart by how long the series has been out of its range', async () => {
    expect(
      await readSymptom(
        latencyAlert,
        latency(() => 800),
        window,
      ),
    ).toMatchObject({
      state: 'quiet',
      abnormalForMs: 0,
    });
    const fresh = await readSymptom(latencyAlert, latency(stepAt(2 * minute)), window);
    expect(fresh).toMatchObject({ state: 'fresh', metric: 'redis_latency_percentiles_usec', entity: cache });
    expect(fresh?.abnormalForMs).toBe(2 * minute);
    const sustained = await readSymptom(latencyAlert, latency(stepAt(10 * minute)), window);
    expect(sustained).toMatchObject({ state: 'sustained', abnormalForMs: 10 * minute });
    expect(sustained?.ratio).toBeCloseTo(3, 1);
    expect(sustained?.score).toBeGreaterThan(3);
  });

  it('calls a symptom sustained after the time it is told, for alert rules with short for: durations', async () => {
    const twoMinutes = latency(stepAt(2 * minute));
    const timing = { sustainedAfterMs: minute, recentMs: 30_000 };
    expect(await readSymptom(latencyAlert, twoMinutes, window, undefined, timing)).toMatchObject({
      state: 'sustained',
      abnormalForMs: 2 * minute,
    });
    expect(await readSymptom(latencyAlert, twoMinutes, window)).toMatchObject({ state: 'fresh' });
  });

  it('sees a shift that began before the lookback against the history before it', async () => {
    const reading = await readSymptom(latencyAlert, latency(stepAt(90 * minute, 1.5)), window);
    // Out of range since before the lookback began: the lookback is as far back as it says.
    expect(reading).toMatchObject({ state: 'sustained', abnormalForMs: hour });
    expect(reading?.ratio).toBeCloseTo(1.5, 1);
  });

  it('counts earlier excursions that came back', async () => {
    const blips = (at: number) =>
      [now - 45 * minute, now - 25 * minute].some((start) => at >= start && at < start + 3 * minute)
        ? 2400
        : 800;
    expect(await readSymptom(latencyAlert, latency(blips), window)).toMatchObject({
      state: 'quiet',
      episodes: 2,
    });
  });

  it('judges a series that scales with traffic per unit of traffic', async () => {
    // Errors double with the morning ramp over the last half hour: the ramp, not trouble.
    const ramp = (at: number) =>
      at <= now - 30 * minute ? 1 : 1 + (at - (now - 30 * minute)) / (30 * minute);
    const traffic: TrafficModel = { multiplierAt: ramp };
    const reader = readerOf([
      {
        entity: api,
        metric: 'http_server_requests_total',
        labels: { status: '5xx' },
        value: (at) => 2 * ramp(at) * wobble(at),
      },
    ]);
    expect((await readSymptom(errorAlert, reader, window))?.state).toBe('sustained');
    expect((await readSymptom(errorAlert, reader, window, () => traffic))?.state).toBe('quiet');
  });

  it('reads an external through its callers and says nothing without data', async () => {
    const external: Signal = { ...latencyAlert, entity: 'external:shop/payments' };
    const reader = readerOf([
      {
        entity: api,
        metric: 'http_client_request_duration_seconds',
        labels: { quantile: '0.99', peer: 'external:shop/payments' },
        value: (at) => (at >= now - 8 * minute ? 4 : 0.3) * wobble(at),
      },
    ]);
    expect(await readSymptom(external, reader, window)).toMatchObject({ state: 'sustained', entity: api });
    expect(await readSymptom(latencyAlert, readerOf([]), window)).toBeUndefined();
  });
});

describe('sustainedShift', () => {
  const series = (value: (at: number) => number) => {
    const points: [number, number][] = [];
    for (let at = now - hour; at <= now; at += 30_000) points.push([at, value(at) * wobble(at)]);
    return points;
  };

  it('sees a step that has lasted, not a blip, not a series at zero', () => {
    expect(
      sustainedShift(
        series((at) => (at >= now - 10 * minute ? 150 : 100)),
        window,
      ),
    ).toBeCloseTo(0.5, 1);
    expect(
      sustainedShift(
        series((at) => (at >= now - 2 * minute ? 300 : 100)),
        window,
      ),
    ).toBeUndefined();
    expect(
      sustainedShift(
        series((at) => (at >= now - 10 * minute ? 110 : 100)),
        window,
      ),
    ).toBeUndefined();
    expect(
      sustainedShift(
        series((at) => (at >= now - 10 * minute ? 1 : 0)).map(([at, value]) => [at, Math.round(value)]),
        window,
      ),
    ).toBeUndefined();
  });
});
