import type { JsonValue, Labels } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { LogRecord, MetricSeries } from '../contracts/telemetry';
import {
  anomalyDegree,
  median,
  poissonScale,
  scoreAnomaly,
  scoreTrend,
  signatureLikelihoodRatio,
  trendDegree,
} from './anomaly-scoring';
import type { LogSignature, MetricSignature } from './failure-patterns';

/** A check: one capability call whose result bears on one or more hypotheses. */
export type CheckSpec =
  | { kind: 'metric'; key: string; entity: EntityRef; on: 'self' | 'callers'; metric: string; labels: Labels }
  | { kind: 'logs'; key: string; entity: EntityRef; on: 'self' | 'callers' };

const anomalyCache = new WeakMap<MetricSeries, Map<string, ReturnType<typeof scoreAnomaly>>>();
const trendCache = new WeakMap<MetricSeries, ReturnType<typeof scoreTrend>>();

/** Scores a series once per scoring setup: several hypotheses often read the same series the same way. */
function cachedAnomaly(
  series: MetricSeries,
  key: string,
  compute: () => ReturnType<typeof scoreAnomaly>,
): ReturnType<typeof scoreAnomaly> {
  let byKey = anomalyCache.get(series);
  if (!byKey) {
    byKey = new Map();
    anomalyCache.set(series, byKey);
  }
  if (byKey.has(key)) return byKey.get(key);
  const score = compute();
  byKey.set(key, score);
  return score;
}

/** The trend of a series, computed once per series. */
function cachedTrend(series: MetricSeries): ReturnType<typeof scoreTrend> {
  if (trendCache.has(series)) return trendCache.get(series);
  const trend = scoreTrend(series.points);
  trendCache.set(series, trend);
  return trend;
}

/** The timestamp of a series' first point with a value, or `undefined` when it has none. */
function firstValuedTimestamp(series: MetricSeries): number | undefined {
  for (const point of series.points) if (point[1] !== null) return point[0];
  return undefined;
}

/** The key of a metric check (one query serves every signature that reads the same series). */
export function metricCheckKey(
  entity: EntityRef,
  on: 'self' | 'callers',
  metric: string,
  labels: Labels = {},
): string {
  const labelText = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(',');
  return `metric|${on}|${entity}|${metric}|${labelText}`;
}

/** The key of a log check: the entity's own lines, or its callers' lines about it. */
export function logCheckKey(entity: EntityRef, on: 'self' | 'callers' = 'self'): string {
  return on === 'self' ? `logs|${entity}` : `logs|callers|${entity}`;
}

/** How much a signature can move a hypothesis, on average: half the spread of its two log-likelihood ratios. */
export function signatureInformation(sensitivity: number, specificity: number): number {
  const observed = Math.log(sensitivity / Math.max(1 - specificity, 1e-3));
  const absent = Math.log(Math.max(1 - sensitivity, 1e-3) / specificity);
  return (Math.abs(observed) + Math.abs(absent)) / 2;
}

/** The windows a metric is judged on. */
export interface ScoringWindows {
  /** The time telemetry is read as of. */
  asOf: number;
  /** When the symptom started, if known (epoch ms). */
  symptomOnset: number | undefined;
  /** How long the recent window is, milliseconds. */
  recentMs: number;
  /** The data's step, milliseconds, when known: windows span at least three steps and precedence tolerates two. */
  stepMs?: number;
}

/** The recent window for a series: the configured one, at least three data steps, at most a quarter of the span. */
export function recentWindowMs(windows: ScoringWindows, spanMs: number, peak = false): number {
  const base = Math.max(windows.recentMs * (peak ? 2 : 1), 3 * (windows.stepMs ?? 0));
  return Math.min(base, spanMs * 0.25);
}

/** The median spacing of a series' points, milliseconds (undefined below two points). */
export function stepOf(points: readonly (readonly [number, number | null])[]): number | undefined {
  if (points.length < 2) return undefined;
  const gaps: number[] = [];
  for (let index = 1; index < points.length; index++)
    gaps.push(
      (points[index] as [number, number | null])[0] - (points[index - 1] as [number, number | null])[0],
    );
  return median(gaps);
}

/** Below this many points a series is short (a 25-minute recording at 5-minute steps): one baseline point will do. */
export const shortSeriesPoints = 12;

/**
 * The fewest baseline points a series is scored on: two, or one for a short series (fewer than
 * {@link shortSeriesPoints} values up to the as-of time), whose scale then comes from the floors alone.
 *
 * @param points - the series
 * @param asOf - the as-of time, epoch ms
 */
export function minimumBaselineOf(points: MetricSeries['points'], asOf: number): number {
  let count = 0;
  for (const [at, value] of points) if (at <= asOf && value !== null && Number.isFinite(value)) count++;
  return count < shortSeriesPoints ? 1 : 2;
}

/**
 * The scale floor of a rate of events (a counter served per second, unit `…/s`): the noise of its counts per
 * step ({@link poissonScale}) over the baseline. 0 for other units or an unknown step.
 *
 * @param series - the series
 * @param baselineEnd - where its baseline ends, epoch ms
 * @param stepMs - the data's step, milliseconds
 */
export function countingFloor(series: MetricSeries, baselineEnd: number, stepMs: number | undefined): number {
  if (!series.unit.endsWith('/s') || stepMs === undefined || stepMs <= 0) return 0;
  const baseline: number[] = [];
  for (const [at, value] of series.points)
    if (at < baselineEnd && value !== null && Number.isFinite(value)) baseline.push(value);
  return poissonScale(baseline, stepMs / 1000);
}

/** What a metric reading says for one signature. */
export interface MetricReading {
  /** The likelihood ratio for the hypothesis. */
  likelihoodRatio: number;
  /** One sentence. */
  summary: string;
  /** The data it rests on. */
  excerpt: JsonValue;
  /** The change point of the worst series, if any. */
  onset: number | undefined;
}

function round(value: number, digits = 4): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value);
  return Number(value.toPrecision(digits));
}

/** Thins a series to at most `count` evenly spaced points, for excerpts. */
function thin(points: MetricSeries['points'], count: number): JsonValue {
  if (points.length <= count) return points.map(([at, value]) => [at, value === null ? null : round(value)]);
  const out: JsonValue[] = [];
  for (let index = 0; index < count; index++) {
    const point = points[Math.round((index * (points.length - 1)) / (count - 1))];
    if (point) out.push([point[0], point[1] === null ? null : round(point[1])]);
  }
  return out;
}

/**
 * Reads a metric signature off the series a check returned: scores each series robustly against its own
 * early part, keeps the one that deviates most in the signature's direction, turns the deviation into a
 * degree of observation and that into a likelihood ratio; an anomaly that started after the symptom weakens it.
 * Returns `undefined` when no series has enough points.
 */
export function readMetricSignature(
  series: readonly MetricSeries[],
  signature: MetricSignature,
  windows: ScoringWindows,
): MetricReading | undefined {
  let best: { score: NonNullable<ReturnType<typeof scoreAnomaly>>; series: MetricSeries } | undefined;
  for (const one of series) {
    const first = firstValuedTimestamp(one);
    if (first === undefined) continue;
    const span = windows.asOf - first;
    const recentMs = recentWindowMs(windows, span, signature.aggregate === 'peak');
    const score = cachedAnomaly(
      one,
      `${signature.aggregate ?? 'median'}|${signature.relativeFloor ?? 0.05}|${signature.direction}|${recentMs}|${first}`,
      () =>
        scoreAnomaly(one.points, {
          recentAggregate: signature.aggregate ?? 'median',
          baselineEnd: first + span * 0.4,
          recentStart: windows.asOf - recentMs,
          relativeFloor: signature.relativeFloor ?? 0.05,
          absoluteFloor: Math.max(1e-6, countingFloor(one, first + span * 0.4, windows.stepMs)),
          direction: signature.direction,
          minimumBaseline: minimumBaselineOf(one.points, windows.asOf),
        }),
    );
    if (!score) continue;
    const directional = signature.direction === 'up' ? score.score : -score.score;
    const bestDirectional = best
      ? signature.direction === 'up'
        ? best.score.score
        : -best.score.score
      : Number.NEGATIVE_INFINITY;
    if (directional > bestDirectional) best = { score, series: one };
  }
  if (!best) return undefined;
  const trend = signature.trend ? cachedTrend(best.series) : undefined;
  const levelDegree = anomalyDegree(best.score.score, signature.direction);
  const degree = trend ? Math.max(levelDegree, trendDegree(trend, signature.direction)) : levelDegree;
  const observed = signature.expect === 'present' ? degree : 1 - degree;
  let likelihoodRatio = signatureLikelihoodRatio(observed, signature.sensitivity, signature.specificity);
  const onset = degree > 0.5 ? best.score.onset : undefined;
  let timing = '';
  if (
    signature.expect === 'present' &&
    onset !== undefined &&
    windows.symptomOnset !== undefined &&
    likelihoodRatio > 1
  ) {
    const lagMs = onset - windows.symptomOnset;
    const tolerance = Math.max(5 * 60_000, 2 * (windows.stepMs ?? 0));
    if (lagMs > tolerance) {
      likelihoodRatio = 1 + (likelihoodRatio - 1) * 0.5;
      timing = `; it started ${Math.round(lagMs / 60_000)} min after the symptom`;
    } else if (lagMs <= 0) {
      likelihoodRatio *= 1.25;
      timing = `; it started ${Math.round(-lagMs / 60_000)} min before the symptom`;
    }
  }
  const labelText = Object.entries(best.series.labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(',');
  const where = signature.on === 'callers' ? ` seen by ${best.series.entity}` : '';
  const trendText = trend
    ? `, trend ${trend.relativeDrift >= 0 ? '+' : ''}${Math.round(trend.relativeDrift * 100)} % (Mann–Kendall z ${round(trend.z, 3)})`
    : '';
  const summary = `${best.series.metric}${labelText ? `{${labelText}}` : ''}${where}: ${round(best.score.baseline)} → ${round(best.score.recent)} ${best.series.unit} (robust z ${round(best.score.score, 3)}${trendText})${timing}`;
  return {
    likelihoodRatio,
    summary,
    onset,
    excerpt: {
      series: `${best.series.metric}${labelText ? `{${labelText}}` : ''}`,
      entity: best.series.entity,
      baseline: round(best.score.baseline),
      recent: round(best.score.recent),
      z: round(best.score.score, 3),
      ...(trend ? { trendZ: round(trend.z, 3), drift: round(trend.relativeDrift, 3) } : {}),
      onset: onset === undefined ? null : new Date(onset).toISOString(),
      points: thin(best.series.points, 8),
    },
  };
}

/** A scheduled job's runs, and the datastore whose health is compared during and outside them. */
export interface RunAlignmentSignature {
  /** Marks this kind of signature. */
  alignment: true;
  /** The datastore the job uses. */
  datastore: EntityRef;
  /** The job's run windows, epoch ms. */
  runs: { start: number; end: number }[];
  /** P(degradation concentrated in the runs | the job causes it). */
  sensitivity: number;
  /** P(not concentrated in the runs | another cause). */
  specificity: number;
}

/**
 * Compares a datastore's health while a scheduled job runs with its health outside the runs: a job that
 * contends for the datastore degrades it during its runs and not between them; a datastore that is just as
 * degraded between runs has another cause. Returns `undefined` without points on both sides.
 */
export function readRunAlignment(
  series: readonly MetricSeries[],
  signature: RunAlignmentSignature,
): MetricReading | undefined {
  const inside: number[] = [];
  const outside: number[] = [];
  let worst: MetricSeries | undefined;
  let worstScore = Number.NEGATIVE_INFINITY;
  for (const one of series) {
    const during: number[] = [];
    const between: number[] = [];
    for (const [at, value] of one.points) {
      if (value === null) continue;
      (signature.runs.some((run) => at >= run.start && at <= run.end) ? during : between).push(value);
    }
    if (during.length < 2 || between.length < 4) continue;
    const centre = median(between);
    const scale = Math.max(
      1.4826 * median(between.map((value) => Math.abs(value - centre))),
      Math.abs(centre) * 0.05,
      1e-9,
    );
    const score = (median(during) - centre) / scale;
    if (score > worstScore) {
      worstScore = score;
      worst = one;
      inside.splice(0, inside.length, ...during);
      outside.splice(0, outside.length, ...between);
    }
  }
  if (!worst) return undefined;
  const degree = anomalyDegree(worstScore, 'up');
  return {
    likelihoodRatio: signatureLikelihoodRatio(degree, signature.sensitivity, signature.specificity),
    summary: `${worst.metric} of ${signature.datastore} during the job's ${signature.runs.length} run(s): ${round(median(inside))} vs ${round(median(outside))} ${worst.unit} between runs (robust z ${round(worstScore, 3)})`,
    excerpt: {
      series: worst.metric,
      entity: worst.entity,
      duringRuns: round(median(inside)),
      betweenRuns: round(median(outside)),
      z: round(worstScore, 3),
      runs: signature.runs.map((run) => [new Date(run.start).toISOString(), new Date(run.end).toISOString()]),
    },
    onset: undefined,
  };
}

/** What a log search says for one signature. */
export function readLogSignature(records: readonly LogRecord[], signature: LogSignature): MetricReading {
  const needles = signature.anyOf.map((text) => text.toLowerCase());
  const matching = records.filter((record) =>
    needles.some((needle) => record.message.toLowerCase().includes(needle)),
  );
  const degree = matching.length >= 3 ? 0.95 : matching.length > 0 ? 0.75 : 0.1;
  const first = matching[matching.length - 1];
  return {
    likelihoodRatio: signatureLikelihoodRatio(degree, signature.sensitivity, signature.specificity),
    summary:
      matching.length > 0
        ? `${matching.length} log line(s) like "${truncate(first?.message ?? '', 120)}"`
        : `no log line mentions ${signature.anyOf.map((text) => `"${text}"`).join(', ')}`,
    excerpt: matching.slice(0, 3).map((record) => ({
      at: record.at,
      entity: record.entity,
      level: record.level,
      message: truncate(record.message, 240),
    })),
    onset: first ? Date.parse(first.at) : undefined,
  };
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * Reads a utilization signature: the recent level of the metric (the fullest series) divided by the recent
 * level of its limit series; the reading is "observed" smoothly around the signature's threshold
 * (e.g. 0.85 of `max_connections`). Returns `undefined` when either side has no data.
 */
export function readSaturation(
  series: readonly MetricSeries[],
  limits: readonly MetricSeries[],
  signature: MetricSignature,
  windows: ScoringWindows,
): MetricReading | undefined {
  const limit = signature.limit;
  if (!limit) return undefined;
  const recentLevel = (one: MetricSeries, aggregate: 'median' | 'peak' = 'median') => {
    const window = Math.max(windows.recentMs * (aggregate === 'peak' ? 2 : 1), 3 * (windows.stepMs ?? 0));
    const values = one.points
      .filter(([at, value]) => value !== null && at >= windows.asOf - window)
      .map(([, value]) => value as number);
    if (values.length === 0) return undefined;
    return aggregate === 'peak' ? Math.max(...values) : median(values);
  };
  const limitLevels = limits
    .map((one) => recentLevel(one))
    .filter((value): value is number => value !== undefined && value > 0);
  if (limitLevels.length === 0) return undefined;
  const capacity = median(limitLevels);
  let fullest: { series: MetricSeries; level: number; summed?: number } | undefined;
  for (const one of series) {
    const level = recentLevel(one, signature.aggregate);
    if (level !== undefined && (!fullest || level > fullest.level)) fullest = { series: one, level };
  }
  if (!fullest) return undefined;
  // One limit shared by several usage series of the entity (max_connections against the backends of each
  // database): their sum is what meets it.
  if (limits.length === 1 && series.length > 1) {
    const levels = series
      .map((one) => recentLevel(one, signature.aggregate))
      .filter((level) => level !== undefined);
    const total = levels.reduce((sum, level) => sum + level, 0);
    if (total > fullest.level) fullest = { series: fullest.series, level: total, summed: levels.length };
  }
  const utilization = fullest.level / capacity;
  const degree = 1 / (1 + Math.exp(-(utilization - limit.threshold) * 40));
  const observed = signature.expect === 'present' ? degree : 1 - degree;
  return {
    likelihoodRatio: signatureLikelihoodRatio(observed, signature.sensitivity, signature.specificity),
    summary: `${fullest.series.metric}${fullest.summed ? ` (sum of ${fullest.summed} series)` : ''} at ${Math.round(utilization * 100)} % of ${limit.metric} (${round(fullest.level)} of ${round(capacity)} ${fullest.series.unit}; threshold ${Math.round(limit.threshold * 100)} %)`,
    excerpt: {
      series: fullest.series.metric,
      entity: fullest.series.entity,
      level: round(fullest.level),
      limit: limit.metric,
      capacity: round(capacity),
      ...(fullest.summed ? { summedSeries: fullest.summed } : {}),
      utilization: round(utilization, 3),
      points: thin(fullest.series.points, 8),
    },
    onset: undefined,
  };
}
