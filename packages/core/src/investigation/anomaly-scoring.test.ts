import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../contracts/telemetry';
import { scoreAnomaly } from './anomaly-scoring';
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
