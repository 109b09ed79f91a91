import type { MetricPoint } from '../contracts/telemetry';
import { fitTheilSen, type TheilSenFit } from './theil-sen';
import type { TrafficModel } from './types';

const hour = 3_600_000;
const gridStepMs = 60_000;

/** The least consistency (Kendall's τ) a rise needs before it is projected to a breach. */
export const minimumProjectionConsistency = 0.3;

/** What {@link projectSaturation} needs. */
export interface SaturationProjectionInput {
  /** The used series over the lookback, in time order; `null` values are skipped. */
  points: readonly MetricPoint[];
  /** The limit, same unit. */
  limit: number;
  /** Now, epoch milliseconds; later points are ignored. */
  now: number;
  /** How far ahead to look for the breach, milliseconds. */
  horizonMs: number;
  /** The traffic model, for a load-driven series (absent: a straight line in time). */
  traffic?: TrafficModel;
  /**
   * How a load-driven series follows traffic: `cumulative` (default) grows per request — a leak, a backlog, a
   * filling heap; `level` stands in proportion to the traffic of the moment — connections in use — so it
   * rises toward the peak and falls after it.
   */
  load?: 'cumulative' | 'level';
}

/** Where a saturation series is heading. */
export interface SaturationProjection {
  /** The robust level now (the fit's value at now). */
  current: number;
  /** Growth per hour at the current traffic. */
  growthPerHour: number;
  /** Kendall's τ of the series over the lookback. */
  consistency: number;
  /** Which model projected it: `traffic` (growth per request, or a level in proportion to traffic) or `time`. */
  model: 'traffic' | 'time';
  /** When it reaches the limit, within the horizon, epoch milliseconds. */
  breachAt?: number;
  /** When a straight line at the current rate reaches the limit (no horizon), epoch milliseconds. */
  naiveBreachAt?: number;
  /** The traffic multiplier now. */
  trafficNow?: number;
  /** The traffic multiplier at the breach. */
  trafficAtBreach?: number;
}

/**
 * Projects a saturation series to its limit.
 *
 * Without traffic: a Theil–Sen line in time. With traffic, the growth is taken to follow load: the series is
 * fitted against cumulative load `L(t) = ∫ multiplier dt` (in quiet-hour equivalents) rather than time, and
 * projected as `current + slope × (L(t) − L(now))`, so a leak that grows slowly at night grows as fast as the
 * morning peak multiplies requests. When the last hour follows wall time clearly better than load (median
 * residual below 0.8×), or the multiplier stays within 1 % over the window and horizon, the time line is used. A breach is projected only for a consistent rise
 * (Kendall's τ ≥ {@link minimumProjectionConsistency}). Returns `undefined` for fewer than 6 points or less
 * than 10 minutes of data.
 *
 * @param input - series, limit, now, horizon and traffic model
 */
export function projectSaturation(input: SaturationProjectionInput): SaturationProjection | undefined {
  const times: number[] = [];
  const values: number[] = [];
  for (const [at, value] of input.points) {
    if (value === null || !Number.isFinite(value) || at > input.now) continue;
    times.push(at);
    values.push(value);
  }
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined || times.length < 6 || last - first < 10 * 60_000)
    return undefined;
  const timeFit = fitTheilSen(
    times.map((at) => (at - input.now) / hour),
    values,
  );
  if (!timeFit) return undefined;
  const naiveBreachAt = straightLineBreach(timeFit, input.limit, input.now, Number.POSITIVE_INFINITY);

  const traffic = input.traffic;
  const load = traffic ? cumulativeLoad(traffic, first, input.now + input.horizonMs) : undefined;
  if (traffic && load?.varies && input.load === 'level') {
    const level = levelProjection(traffic, times, values, input, timeFit);
    if (level) return { ...level, ...(naiveBreachAt === undefined ? {} : { naiveBreachAt }) };
  } else if (traffic && load?.varies) {
    const loadNow = load.at(input.now);
    const loadFit = fitTheilSen(
      times.map((at) => load.at(at) - loadNow),
      values,
    );
    if (loadFit && !(timeFit.residual < 0.8 * loadFit.residual)) {
      const trafficNow = traffic.multiplierAt(input.now);
      const breachAt = loadBreach(loadFit, input, load, loadNow);
      return {
        current: loadFit.intercept,
        growthPerHour: loadFit.slope * trafficNow,
        consistency: loadFit.consistency,
        model: 'traffic',
        ...(breachAt === undefined ? {} : { breachAt, trafficAtBreach: traffic.multiplierAt(breachAt) }),
        ...(naiveBreachAt === undefined ? {} : { naiveBreachAt }),
        trafficNow,
      };
    }
  }
  const breachAt = straightLineBreach(timeFit, input.limit, input.now, input.horizonMs);
  return {
    current: timeFit.intercept,
    growthPerHour: timeFit.slope,
    consistency: timeFit.consistency,
    model: 'time',
    ...(breachAt === undefined ? {} : { breachAt }),
    ...(naiveBreachAt === undefined ? {} : { naiveBreachAt }),
  };
}

/**
 * A series that stands in proportion to the traffic of the moment: fitted as `a + b × multiplier(t)`, and
 * projected along the traffic model, so it reaches its highest at the peak and falls after it. Undefined when
 * the time line fits the last hour clearly better (median residual below 0.8×): then it is not following
 * traffic (a pool leaking connections grows with time).
 */
function levelProjection(
  traffic: TrafficModel,
  times: readonly number[],
  values: readonly number[],
  input: SaturationProjectionInput,
  timeFit: TheilSenFit,
): Omit<SaturationProjection, 'naiveBreachAt'> | undefined {
  const trafficNow = traffic.multiplierAt(input.now);
  const fit = fitTheilSen(
    times.map((at) => traffic.multiplierAt(at) - trafficNow),
    values,
  );
  if (!fit || timeFit.residual < 0.8 * fit.residual) return undefined;
  const slopePerHour = (traffic.multiplierAt(input.now + 60_000) - trafficNow) * 60 * fit.slope;
  let breachAt: number | undefined;
  if (fit.intercept >= input.limit) breachAt = input.now;
  else if (fit.slope > 0 && fit.consistency >= minimumProjectionConsistency)
    for (let at = input.now + gridStepMs; at <= input.now + input.horizonMs; at += gridStepMs)
      if (fit.intercept + fit.slope * (traffic.multiplierAt(at) - trafficNow) >= input.limit) {
        breachAt = at;
        break;
      }
  return {
    current: fit.intercept,
    growthPerHour: slopePerHour,
    consistency: fit.consistency,
    model: 'traffic',
    ...(breachAt === undefined ? {} : { breachAt, trafficAtBreach: traffic.multiplierAt(breachAt) }),
    trafficNow,
  };
}

function straightLineBreach(
  fit: TheilSenFit,
  limit: number,
  now: number,
  horizonMs: number,
): number | undefined {
  if (fit.intercept >= limit) return now;
  if (!(fit.slope > 0) || fit.consistency < minimumProjectionConsistency) return undefined;
  const after = ((limit - fit.intercept) / fit.slope) * hour;
  return after <= horizonMs ? now + after : undefined;
}

function loadBreach(
  fit: TheilSenFit,
  input: SaturationProjectionInput,
  load: CumulativeLoad,
  loadNow: number,
): number | undefined {
  if (fit.intercept >= input.limit) return input.now;
  if (!(fit.slope > 0) || fit.consistency < minimumProjectionConsistency) return undefined;
  const needed = (input.limit - fit.intercept) / fit.slope;
  let previousAt = input.now;
  let previousLoad = 0;
  for (let at = input.now + gridStepMs; at <= input.now + input.horizonMs; at += gridStepMs) {
    const gained = load.at(at) - loadNow;
    if (gained >= needed) {
      const fraction = gained === previousLoad ? 1 : (needed - previousLoad) / (gained - previousLoad);
      return Math.round(previousAt + fraction * (at - previousAt));
    }
    previousAt = at;
    previousLoad = gained;
  }
  return undefined;
}

interface CumulativeLoad {
  /** Cumulative load from the grid start to `epochMs`, in quiet-hour equivalents. */
  at(epochMs: number): number;
  /** False when the multiplier stays within 1 % over the grid: nothing to scale by. */
  varies: boolean;
}

function cumulativeLoad(traffic: TrafficModel, start: number, end: number): CumulativeLoad {
  const totals = [0];
  let previous = Math.max(0, traffic.multiplierAt(start));
  let lowest = previous;
  let highest = previous;
  for (let at = start + gridStepMs; at < end + gridStepMs; at += gridStepMs) {
    const current = Math.max(0, traffic.multiplierAt(at));
    lowest = Math.min(lowest, current);
    highest = Math.max(highest, current);
    totals.push((totals[totals.length - 1] as number) + ((previous + current) / 2) * (gridStepMs / hour));
    previous = current;
  }
  return {
    varies: highest > lowest * 1.01,
    at(epochMs) {
      const position = Math.min(Math.max((epochMs - start) / gridStepMs, 0), totals.length - 1);
      const lower = Math.floor(position);
      const upper = Math.min(lower + 1, totals.length - 1);
      const low = totals[lower] as number;
      return low + ((totals[upper] as number) - low) * (position - lower);
    },
  };
}
