/**
 * Latency distributions as three quantiles, and the arithmetic the simulation needs on them: reading any
 * level, the share above a timeout, capping at a timeout, and composing a request from its own work and
 * its calls.
 */

/** A latency distribution at one instant, seconds. */
export interface Quantiles {
  /** Median. */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
}

/** Quantiles over time, one value per step. */
export interface QuantileSeries {
  /** Median per step. */
  p50: Float64Array;
  /** 95th percentile per step. */
  p95: Float64Array;
  /** 99th percentile per step. */
  p99: Float64Array;
}

/** An empty quantile series of `length` steps. */
export function createQuantileSeries(length: number): QuantileSeries {
  return { p50: new Float64Array(length), p95: new Float64Array(length), p99: new Float64Array(length) };
}

/** The quantiles of a series at one step. */
export function quantilesAt(series: QuantileSeries, step: number): Quantiles {
  return { p50: series.p50[step] ?? 0, p95: series.p95[step] ?? 0, p99: series.p99[step] ?? 0 };
}

/** Stores `value` at `step`. */
export function setQuantiles(series: QuantileSeries, step: number, value: Quantiles): void {
  series.p50[step] = value.p50;
  series.p95[step] = value.p95;
  series.p99[step] = value.p99;
}

function knots(value: Quantiles): [number, number][] {
  const p95 = Math.max(value.p95, value.p50);
  const p99 = Math.max(value.p99, p95);
  return [
    [0, value.p50 * 0.35],
    [0.5, value.p50],
    [0.95, p95],
    [0.99, p99],
    [0.999, p99 + (p99 - p95) * 1.5 + p99 * 0.1],
    [1, p99 + (p99 - p95) * 2 + p99 * 0.15],
  ];
}

/** The latency at `level` (0..1), interpolating between the known quantiles. */
export function quantileAt(value: Quantiles, level: number): number {
  const points = knots(value);
  const clamped = Math.min(1, Math.max(0, level));
  for (let index = 1; index < points.length; index++) {
    const [highLevel, highValue] = points[index] ?? [1, 0];
    const [lowLevel, lowValue] = points[index - 1] ?? [0, 0];
    if (clamped <= highLevel)
      return lowValue + ((highValue - lowValue) * (clamped - lowLevel)) / (highLevel - lowLevel);
  }
  return points[points.length - 1]?.[1] ?? 0;
}

/** The share of calls slower than `threshold` seconds. */
export function shareAbove(value: Quantiles, threshold: number): number {
  const points = knots(value);
  if (threshold <= (points[0]?.[1] ?? 0)) return 1;
  for (let index = 1; index < points.length; index++) {
    const [highLevel, highValue] = points[index] ?? [1, 0];
    const [lowLevel, lowValue] = points[index - 1] ?? [0, 0];
    if (threshold <= highValue) {
      const level =
        highValue === lowValue
          ? highLevel
          : lowLevel + ((highLevel - lowLevel) * (threshold - lowValue)) / (highValue - lowValue);
      return Math.max(0, 1 - level);
    }
  }
  return 0;
}

/** The distribution seen by a client that gives up after `timeout` seconds. */
export function capQuantiles(value: Quantiles, timeout: number): Quantiles {
  return {
    p50: Math.min(value.p50, timeout),
    p95: Math.min(value.p95, timeout),
    p99: Math.min(value.p99, timeout),
  };
}

/** Scales every quantile by `factor`. */
export function scaleQuantiles(value: Quantiles, factor: number): Quantiles {
  return { p50: value.p50 * factor, p95: value.p95 * factor, p99: value.p99 * factor };
}

/** One kind of call a request makes: how many per request and how long each takes. */
export interface CallShare {
  /** Calls per request (below 1: the share of requests that make one). */
  fanout: number;
  /** The latency of one call. */
  latency: Quantiles;
}

const levels = [0.5, 0.95, 0.99] as const;

/**
 * The latency of a request that does its own work (`own`) and makes `calls` one after the other.
 * The median adds the calls' medians; a tail level is set by the slowest single call kind reaching it
 * (a call made by only 10 % of requests shapes the 99th percentile from its own 90th).
 */
export function composeLatency(own: Quantiles, calls: readonly CallShare[]): Quantiles {
  let medianOfCalls = 0;
  for (const call of calls) medianOfCalls += call.fanout * call.latency.p50;
  const result: number[] = [];
  for (const level of levels) {
    let best = quantileAt(own, level) + medianOfCalls;
    for (const call of calls) {
      const share = Math.min(1, call.fanout);
      if (share <= 1 - level) continue;
      const callLevel = 1 - (1 - level) / share;
      const others = medianOfCalls - call.fanout * call.latency.p50;
      const extraCalls = Math.max(0, call.fanout - 1) * call.latency.p50;
      const candidate = own.p50 + quantileAt(call.latency, callLevel) + extraCalls + others;
      if (candidate > best) best = candidate;
    }
    result.push(best);
  }
  const [p50 = 0, p95 = 0, p99 = 0] = result;
  return { p50, p95: Math.max(p95, p50), p99: Math.max(p99, p95, p50) };
}
