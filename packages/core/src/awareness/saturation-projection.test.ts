import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../contracts/telemetry';
import {
  breachAt,
  cumulativeTraffic,
  gibibyte,
  hour,
  minute,
  threeAm,
  trafficAt,
} from './awareness-test-system.fixture';
import { projectSaturation } from './saturation-projection';
import { fitTheilSen } from './theil-sen';
import { diurnalTrafficModel, flatTrafficModel, trafficModelFromAttributes } from './traffic-model';

const series = (value: (at: number) => number, from = threeAm - hour, to = threeAm): MetricPoint[] => {
  const points: MetricPoint[] = [];
  for (let at = from; at <= to; at += 30_000) points.push([at, value(at)]);
  return points;
};
const traffic = diurnalTrafficModel({ peakMultiplier: 30, peakAt: '09:00' });

describe('fitTheilSen', () => {
  it('recovers a line and shrugs off outliers', () => {
    const xs = Array.from({ length: 40 }, (_, index) => index);
    const ys = xs.map((x) => 3 + 2 * x);
    ys[5] = 500;
    ys[17] = -300;
    ys[30] = 1e6;
    const fit = fitTheilSen(xs, ys);
    expect(fit?.slope).toBeCloseTo(2, 10);
    expect(fit?.intercept).toBeCloseTo(3, 10);
    expect(fit?.consistency).toBeGreaterThan(0.8);
  });

  it('says nothing for too few points or a single abscissa', () => {
    expect(fitTheilSen([1, 2], [1, 2])).toBeUndefined();
    expect(fitTheilSen([1, 1, 1], [1, 2, 3])).toBeUndefined();
  });

  it('thins long inputs to a bounded number of points', () => {
    const xs = Array.from({ length: 5000 }, (_, index) => index);
    expect(fitTheilSen(xs, xs)?.count).toBeLessThanOrEqual(180);
  });
});

describe('diurnal traffic model', () => {
  it('peaks at the given time, is quietest twelve hours away, and matches the fixture', () => {
    const nine = Date.parse('2026-03-02T09:00:00Z');
    expect(traffic.multiplierAt(nine)).toBeCloseTo(30, 10);
    expect(traffic.multiplierAt(nine + 12 * hour)).toBeCloseTo(1, 10);
    for (const at of [threeAm, threeAm + 97 * minute, nine + 5 * hour])
      expect(traffic.multiplierAt(at)).toBeCloseTo(trafficAt(at), 10);
  });

  it('is read from topology attributes, nested or flat, and rejects nonsense', () => {
    expect(
      trafficModelFromAttributes({ traffic: { pattern: 'diurnal', peakMultiplier: 30, peakAt: '09:00' } })
        ?.description,
    ).toBe('diurnal, ×30 at 09:00 UTC');
    expect(trafficModelFromAttributes({ trafficPattern: 'diurnal' })?.description).toBe(
      'diurnal, ×10 at 14:00 UTC',
    );
    expect(trafficModelFromAttributes({ trafficPattern: 'flat' })).toBe(flatTrafficModel);
    expect(trafficModelFromAttributes({ tier: 1 })).toBeUndefined();
    expect(trafficModelFromAttributes({ traffic: { pattern: 'diurnal', peakAt: '25:00' } })).toBeUndefined();
    expect(() => diurnalTrafficModel({ peakMultiplier: 0.5, peakAt: '09:00' })).toThrow(/multiplier/);
  });
});

describe('projectSaturation', () => {
  const limit = 16 * gibibyte;
  const leak = (7 * gibibyte) / (cumulativeTraffic(breachAt) - cumulativeTraffic(threeAm));
  const growing = series((at) => 9 * gibibyte + leak * (cumulativeTraffic(at) - cumulativeTraffic(threeAm)));

  it('scales a load-driven leak by traffic: the 3 AM trickle breaks before the 09:00 peak', () => {
    const projection = projectSaturation({
      points: growing,
      limit,
      now: threeAm,
      horizonMs: 24 * hour,
      traffic,
    });
    expect(projection?.model).toBe('traffic');
    expect(Math.abs((projection?.breachAt ?? 0) - breachAt)).toBeLessThan(2 * minute);
    expect(projection?.current).toBeCloseTo(9 * gibibyte, -6);
    expect(projection?.trafficNow).toBeCloseTo(2.81, 2);
    expect(projection?.naiveBreachAt ?? 0).toBeGreaterThan(threeAm + 24 * hour);
  });

  it('projects a straight line without traffic, and nothing beyond the horizon', () => {
    const projection = projectSaturation({ points: growing, limit, now: threeAm, horizonMs: 24 * hour });
    expect(projection).toMatchObject({ model: 'time' });
    expect(projection?.breachAt).toBeUndefined();
    const line = series((at) => 50 + (40 * (at - (threeAm - hour))) / hour);
    const straight = projectSaturation({ points: line, limit: 100, now: threeAm, horizonMs: 24 * hour });
    expect(straight?.growthPerHour).toBeCloseTo(40, 6);
    expect(straight?.breachAt).toBeCloseTo(threeAm + 0.25 * hour, -3);
  });

  it('keeps the time line when the series follows wall time rather than load', () => {
    const line = series((at) => 50 + (10 * (at - (threeAm - hour))) / hour);
    const projection = projectSaturation({
      points: line,
      limit: 100,
      now: threeAm,
      horizonMs: 24 * hour,
      traffic,
    });
    expect(projection?.model).toBe('time');
    expect(projection?.breachAt).toBeCloseTo(threeAm + 4 * hour, -3);
  });

  it('never projects a breach from a flat or noisy series, and reports one already crossed', () => {
    const noisy = series((at) => 70 + ((at / 30_000) % 7) - 3);
    expect(
      projectSaturation({ points: noisy, limit: 100, now: threeAm, horizonMs: 24 * hour, traffic })?.breachAt,
    ).toBeUndefined();
    const full = projectSaturation({
      points: series(() => 120),
      limit: 100,
      now: threeAm,
      horizonMs: 24 * hour,
    });
    expect(full?.breachAt).toBe(threeAm);
    expect(
      projectSaturation({
        points: series(() => 1, threeAm - 5 * minute),
        limit: 2,
        now: threeAm,
        horizonMs: hour,
      }),
    ).toBeUndefined();
  });
});
