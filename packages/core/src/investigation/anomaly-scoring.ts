import type { MetricPoint } from '../contracts/telemetry';
import { medianInPlace } from './median-selection';

/**
 * Robust anomaly scoring of a series against its own baseline.
 *
 * The baseline is every point before `baselineEnd`; its centre is the median and its scale
 * 1.4826 × MAD (the normal-consistent median absolute deviation), floored so that a flat baseline does not
 * turn noise into huge scores: the floor is `relativeFloor` × |median| or `absoluteFloor`, whichever is larger.
 * The recent level is the median of the points after `recentStart`. The score is
 * (recent − centre) / scale, so 3 means "three robust standard deviations above normal".
 */
export interface AnomalyScore {
  /** Robust z-score of the recent level against the baseline (positive: above normal). */
  score: number;
  /** Median of the baseline. */
  baseline: number;
  /** Median of the recent points. */
  recent: number;
  /** The scale used (after the floor). */
  scale: number;
  /** When the series left its baseline for good (epoch ms), if it did: the change point. */
  onset: number | undefined;
  /** Points in the baseline and in the recent window. */
  counts: { baseline: number; recent: number };
}

/** Options of {@link scoreAnomaly}. */
export interface AnomalyScoringOptions {
  /** Baseline points are those before this time (epoch ms). */
  baselineEnd: number;
  /** Recent points are those at or after this time (epoch ms). */
  recentStart: number;
  /** Scale floor relative to |baseline median| (default 0.05). */
  relativeFloor?: number;
  /** Absolute scale floor (default 1e-9). */
  absoluteFloor?: number;
  /** How the recent window is summarised: its median (default) or its peak, for bursts and rare events. */
  recentAggregate?: 'median' | 'peak';
  /** The z-score a point must pass to count as anomalous for the change point (default 3). */
  threshold?: number;
  /** Direction of interest for the change point (default `both`). */
  direction?: 'up' | 'down' | 'both';
  /**
   * The fewest baseline points a score needs (default 2). A short series (a 25-minute recording at 5-minute
   * steps) may be scored on one baseline point; its scale then comes from the floors alone.
   */
  minimumBaseline?: number;
}

/** Median of a numeric array (copied, not mutated). NaN for an empty array. */
export function median(values: readonly number[]): number {
  return medianInPlace(Float64Array.from(values));
}

/**
 * The scale sampling alone gives a rate of events (a counter served per second): its values are counts per
 * step, Poisson-distributed, so one step moves by about √λ events, λ the mean count per step over the
 * baseline — at least 1/(k+1) for a baseline of k steps without any (the rule of succession), so one event
 * after a long quiet baseline stands out and two after a single quiet step do not. Returns √λ ÷ step, per
 * second.
 *
 * @param baselineRates - the baseline's values, events per second
 * @param stepSeconds - the data's step, seconds
 */
export function poissonScale(baselineRates: readonly number[], stepSeconds: number): number {
  const mean =
    baselineRates.length === 0
      ? 0
      : baselineRates.reduce((sum, value) => sum + Math.abs(value), 0) / baselineRates.length;
  const perStep = Math.max(mean * stepSeconds, 1 / (baselineRates.length + 1));
  return Math.sqrt(perStep) / stepSeconds;
}

/** Median absolute deviation around `centre`. */
export function medianAbsoluteDeviation(values: readonly number[], centre: number): number {
  return median(values.map((value) => Math.abs(value - centre)));
}

/**
 * Scores the recent level of a series against its baseline. Returns `undefined` when the baseline has fewer
 * than `minimumBaseline` points (default two) or the recent window none (nothing can be said).
 *
 * @param points - the series, in time order; `null` values are missing and skipped
 * @param options - where the baseline ends and the recent window starts
 */
export function scoreAnomaly(
  points: readonly MetricPoint[],
  options: AnomalyScoringOptions,
): AnomalyScore | undefined {
  const baselineValues: number[] = [];
  const recentValues: number[] = [];
  for (const [at, value] of points) {
    if (value === null || !Number.isFinite(value)) continue;
    if (at < options.baselineEnd) baselineValues.push(value);
    if (at >= options.recentStart) recentValues.push(value);
  }
  if (baselineValues.length < Math.max(1, options.minimumBaseline ?? 2) || recentValues.length < 1)
    return undefined;
  const centre = median(baselineValues);
  const mad = medianAbsoluteDeviation(baselineValues, centre) * 1.4826;
  const scale = Math.max(
    mad,
    Math.abs(centre) * (options.relativeFloor ?? 0.05),
    options.absoluteFloor ?? 1e-9,
  );
  const recent =
    options.recentAggregate === 'peak'
      ? (options.direction === 'down' ? Math.min : Math.max)(...recentValues)
      : median(recentValues);
  const score = (recent - centre) / scale;
  const direction = options.direction ?? (score >= 0 ? 'up' : 'down');
  const onset = changePoint(points, centre, scale, options.threshold ?? 3, direction, options.baselineEnd);
  return {
    score,
    baseline: centre,
    recent,
    scale,
    onset,
    counts: { baseline: baselineValues.length, recent: recentValues.length },
  };
}

/**
 * The change point: the earliest time after which at least 80 % of the points (and the last one) are beyond
 * `threshold` robust deviations in the given direction. Found in one pass from the end.
 */
function changePoint(
  points: readonly MetricPoint[],
  centre: number,
  scale: number,
  threshold: number,
  direction: 'up' | 'down' | 'both',
  notBefore: number,
): number | undefined {
  const beyond = (value: number) => {
    const z = (value - centre) / scale;
    return direction === 'up'
      ? z >= threshold
      : direction === 'down'
        ? z <= -threshold
        : Math.abs(z) >= threshold;
  };
  let total = 0;
  let anomalous = 0;
  let onset: number | undefined;
  let lastChecked = false;
  for (let index = points.length - 1; index >= 0; index--) {
    const point = points[index] as MetricPoint;
    const value = point[1];
    if (value === null || !Number.isFinite(value)) continue;
    const isBeyond = beyond(value);
    if (!lastChecked) {
      lastChecked = true;
      if (!isBeyond) return undefined;
    }
    total++;
    if (isBeyond) anomalous++;
    if (isBeyond && anomalous / total >= 0.8) onset = point[0];
  }
  return onset !== undefined && onset < notBefore ? notBefore : onset;
}

/**
 * How strongly an anomaly score shows the expected deviation, 0..1: a smooth step centred on `centre`
 * robust deviations (default 3, width 1). Used as the degree of belief that the signature was observed.
 *
 * @param score - robust z-score
 * @param direction - the expected direction
 * @param centre - the score at which the degree is 0.5
 */
export function anomalyDegree(score: number, direction: 'up' | 'down', centre = 3): number {
  const signed = direction === 'up' ? score : -score;
  return 1 / (1 + Math.exp(-(signed - centre) * 1.5));
}

/**
 * The likelihood ratio of a signature given the degree to which it was observed (soft evidence):
 * P(reading | H) ÷ P(reading | not H), where the reading is "observed" with probability `degree`.
 * At degree 1 it is sensitivity ÷ (1 − specificity); at 0, (1 − sensitivity) ÷ specificity; at 0.5, 1.
 *
 * @param degree - belief that the signature was observed, 0..1
 * @param sensitivity - P(signature observed | hypothesis true)
 * @param specificity - P(signature absent | hypothesis false)
 */
export function signatureLikelihoodRatio(degree: number, sensitivity: number, specificity: number): number {
  const ifTrue = degree * sensitivity + (1 - degree) * (1 - sensitivity);
  const ifFalse = degree * (1 - specificity) + (1 - degree) * specificity;
  return Math.max(ifTrue, 1e-3) / Math.max(ifFalse, 1e-3);
}

/** A monotonic trend of a series: Mann–Kendall statistic and Theil–Sen drift over the window. */
export interface TrendScore {
  /** Mann–Kendall z (positive: rising). */
  z: number;
  /** Theil–Sen drift over the whole window relative to the median level (0.2 = rose by 20 %). */
  relativeDrift: number;
}

/**
 * Scores a monotonic trend (a leak, creeping fragmentation, a filling disk) that a level comparison misses
 * when the baseline itself is already drifting. The series is thinned so the
 * quadratic statistics stay cheap (at most 64 points: ~2k pairs). Returns `undefined` below 8 points.
 *
 * @param points - the series in time order
 */
export function scoreTrend(points: readonly MetricPoint[]): TrendScore | undefined {
  const values = points.filter(
    (point): point is [number, number] => point[1] !== null && Number.isFinite(point[1]),
  );
  if (values.length < 8) return undefined;
  const stride = Math.ceil(values.length / 64);
  const sample = values.filter((_, index) => index % stride === 0);
  const n = sample.length;
  const times = new Float64Array(n);
  const levels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const point = sample[i] as [number, number];
    times[i] = point[0];
    levels[i] = point[1];
  }
  let s = 0;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let slopeCount = 0;
  for (let i = 0; i < n; i++) {
    const ti = times[i] as number;
    const vi = levels[i] as number;
    for (let j = i + 1; j < n; j++) {
      const tj = times[j] as number;
      const vj = levels[j] as number;
      s += Math.sign(vj - vi);
      if (tj !== ti) slopes[slopeCount++] = (vj - vi) / (tj - ti);
    }
  }
  const sd = Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const z = s === 0 ? 0 : (s - Math.sign(s)) / sd;
  const slope = medianInPlace(slopes, slopeCount);
  const span = (times[n - 1] as number) - (times[0] as number);
  const level = Math.abs(medianInPlace(levels));
  const relativeDrift = level > 0 ? (slope * span) / level : 0;
  return { z, relativeDrift };
}

/**
 * How strongly a trend shows a sustained drift in `direction`, 0..1: both a significant Mann–Kendall z
 * (centred on 4) and a material drift (centred on 15 % of the level) are needed.
 */
export function trendDegree(trend: TrendScore, direction: 'up' | 'down'): number {
  const sign = direction === 'up' ? 1 : -1;
  const significance = 1 / (1 + Math.exp(-(sign * trend.z - 4) * 1.2));
  const material = 1 / (1 + Math.exp(-(sign * trend.relativeDrift - 0.15) * 25));
  return significance * material;
}
