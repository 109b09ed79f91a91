import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../contracts/telemetry';
import { poissonScale, scoreAnomaly } from './anomaly-scoring';
import { minimumBaselineOf, shortSeriesPoints } from './checks';

const step = 300_000;
const points = (values: (number | null)[]): MetricPoint[] =>
  values.map((value, index) => [index * step, value]);

describe('scoreAnomaly', () => {
  it('needs two baseline points unless told that one will do', () => {
    const short = points([0.1, 0.3, 0.3]);
    const windows = { baselineEnd: step, recentStart: step, relativeFloor: 0.05 };
    expect(scoreAnomaly(short, windows)).toBeUndefined();
    const score = scoreAnomaly(short, { ...windows, minimumBaseline: 1 });
    expect(score?.baseline).toBe(0.1);
    expect(score?.scale).toBeCloseTo(0.005, 9);
    expect(score?.score).toBeCloseTo(40, 6);
    expect(score?.onset).toBe(step);
  });
});

describe('minimumBaselineOf', () => {
  it('lets a short series be scored on one baseline point, not a long one', () => {
    expect(minimumBaselineOf(points([1, 2, null, 3]), 10 * step)).toBe(1);
    const long = points(Array.from({ length: shortSeriesPoints }, () => 1));
    expect(minimumBaselineOf(long, shortSeriesPoints * step)).toBe(2);
    // Points after the as-of time do not count.
    expect(minimumBaselineOf(long, 3 * step)).toBe(1);
  });
});

describe('poissonScale', () => {
  it('is the noise of a count per step, with the rule of succession after quiet steps', () => {
    // 4 events a step on average: √4 = 2 events a 300 s step.
    expect(poissonScale([4 / 300, 4 / 300], 300)).toBeCloseTo(2 / 300, 12);
    // No events in 99 steps: λ = 1/100, so one event is 10 deviations; after one quiet step, λ = 1/2.
    expect(poissonScale(Array(99).fill(0), 30)).toBeCloseTo(0.1 / 30, 12);
    expect(poissonScale([0], 300)).toBeCloseTo(Math.sqrt(0.5) / 300, 12);
  });
});
