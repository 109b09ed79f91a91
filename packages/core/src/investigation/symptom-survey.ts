import type { EntityRef } from '../contracts/entity-ref';
import type { MetricPoint, MetricSeries } from '../contracts/telemetry';
import { anomalyDegree, median, poissonScale, scoreAnomaly } from './anomaly-scoring';
import { recentWindowMs, type ScoringWindows } from './checks';

/**
 * What a statistic is, read from its unit: a `ratio` (0..1, such as availability: a share of requests), a
 * `rate` of events (a counter served per second, unit `…/s`: additive, Poisson-distributed counts) or a
 * `mean` over events (latency: the average or a quantile of the requests of each step).
 */
export type StatisticKind = 'ratio' | 'rate' | 'mean';

/**
 * The kind of a statistic from its unit: `ratio` → `ratio`, a unit ending in `/s` → `rate`, anything else
 * → `mean`.
 *
 * @param unit - the series' unit
 */
export function statisticKindOf(unit: string): StatisticKind {
  if (unit === 'ratio') return 'ratio';
  if (unit.endsWith('/s')) return 'rate';
  return 'mean';
}

/** How one entity's symptom series reads during the symptom: the input of the propagation analysis. */
export interface EntityObservation {
  /** The entity. */
  entity: EntityRef;
  /** The series read, `metric{labels}`. */
  series: string;
  /** Its unit. */
  unit: string;
  /** Robust z of the recent level against the baseline, in the trouble direction (positive: worse). */
  z: number;
  /** Degree of observation of an anomaly, 0..1 (a smooth step of `z` centred on 3). */
  degree: number;
  /** Median of the baseline, in the unit. */
  baseline: number;
  /** Recent level (median, or peak for bursts), in the unit. */
  recent: number;
  /** The change in the trouble direction (recent − baseline, negated when trouble is `down`), in the unit. */
  excess: number;
  /** The scale `z` is measured in (after the floors). */
  scale: number;
  /** Events per second during the recent window, when a volume series was read. */
  rate: number | undefined;
  /** When the series left its baseline for good, if it did (epoch ms). */
  onset: number | undefined;
  /** True when the entity served no requests during the symptom (its volume is zero, its statistic empty). */
  idle: boolean;
}

/** Options of {@link observeEntities}. */
export interface SurveyOptions {
  /** The direction of trouble (`down` for availability). */
  direction: 'up' | 'down';
  /** How the recent window is summarised (`peak` for bursts). */
  aggregate: 'median' | 'peak';
  /** Baseline points are those before this time, epoch ms. */
  baselineEnd: number;
  /** Recent points are those from this time to `asOf`, epoch ms. */
  recentStart: number;
  /** The as-of time, epoch ms. */
  asOf: number;
  /** The data's step, milliseconds (counts per step are rate × step). */
  stepMs: number | undefined;
  /** Scale floor relative to the baseline level for means and rates (default 0.05). */
  relativeFloor?: number;
}

const label = (series: MetricSeries) => {
  const text = Object.keys(series.labels)
    .sort()
    .map((name) => `${name}="${series.labels[name]}"`)
    .join(',');
  return `${series.metric}${text ? `{${text}}` : ''}`;
};

/** The pointwise sum of an entity's volume series (status-partitioned counters add up to the total). */
function summedVolume(series: readonly MetricSeries[]): Map<EntityRef, MetricPoint[]> {
  const byEntity = new Map<EntityRef, Map<number, number>>();
  for (const one of series) {
    const sums = byEntity.get(one.entity) ?? new Map<number, number>();
    for (const [at, value] of one.points) {
      if (value === null || !Number.isFinite(value)) continue;
      sums.set(at, (sums.get(at) ?? 0) + value);
    }
    byEntity.set(one.entity, sums);
  }
  const out = new Map<EntityRef, MetricPoint[]>();
  for (const [entity, sums] of byEntity)
    out.set(
      entity,
      [...sums].sort((a, b) => a[0] - b[0]),
    );
  return out;
}

function windowValues(points: readonly MetricPoint[], from: number, to: number): number[] {
  const values: number[] = [];
  for (const [at, value] of points)
    if (at >= from && at <= to && value !== null && Number.isFinite(value)) values.push(value);
  return values;
}

/**
 * The standard error sampling alone gives a statistic at one step, when it can be told: a rate of events is
 * a Poisson count per step ({@link poissonScale}); a ratio over n events a step is binomial (√(p(1−p)/n), p at least
 * 1/(N+1) for the N events of the whole baseline — the rule of succession — so a clean 100 % still has a
 * scale); a mean over n events varies by about its level ÷ √n (a coefficient of variation of 1, as for
 * exponential service times). `undefined` when the step or, for ratios and means, the event count is unknown.
 */
function samplingError(
  kind: StatisticKind,
  centre: number,
  baselineValues: readonly number[],
  eventsPerStep: number | undefined,
  baselineEvents: number,
  stepSeconds: number | undefined,
): number | undefined {
  if (kind === 'rate') {
    if (stepSeconds === undefined || stepSeconds <= 0) return undefined;
    return poissonScale(baselineValues, stepSeconds);
  }
  if (eventsPerStep === undefined) return undefined;
  const n = Math.max(eventsPerStep, 1);
  if (kind === 'ratio') {
    const p = Math.max(
      Math.min(Math.abs(centre), Math.abs(1 - centre)),
      1 / (Math.max(baselineEvents, n) + 1),
    );
    return Math.sqrt((p * (1 - p)) / n);
  }
  return Math.abs(centre) / Math.sqrt(n);
}

/**
 * Reads every entity's symptom series over the same windows: each entity's worst series (most anomalous in
 * the trouble direction) scored robustly against its baseline, with a scale floored by the sampling noise its
 * event volume implies (a component serving five requests a step is far noisier than one serving five hundred)
 * and, for means and rates, by `relativeFloor` of its level. Entities without points in both windows are left
 * out.
 *
 * @param statistic - the symptom metric's series, every entity's
 * @param volume - the volume metric's series (requests per second), every entity's; may be empty
 * @param options - windows, direction, aggregation
 */
export function observeEntities(
  statistic: readonly MetricSeries[],
  volume: readonly MetricSeries[],
  options: SurveyOptions,
): Map<EntityRef, EntityObservation> {
  const volumes = summedVolume(volume);
  const stepSeconds = options.stepMs === undefined ? undefined : options.stepMs / 1000;
  const sign = options.direction === 'up' ? 1 : -1;
  const out = new Map<EntityRef, EntityObservation>();
  for (const series of statistic) {
    const baselineValues = windowValues(series.points, Number.NEGATIVE_INFINITY, options.baselineEnd - 1);
    if (baselineValues.length === 0) continue;
    const kind = statisticKindOf(series.unit);
    const centre = median(baselineValues);
    const volumePoints = volumes.get(series.entity);
    const baselineRate = volumePoints
      ? windowValues(volumePoints, Number.NEGATIVE_INFINITY, options.baselineEnd - 1)
      : [];
    const recentRate = volumePoints ? windowValues(volumePoints, options.recentStart, options.asOf) : [];
    const eventsPerStep =
      stepSeconds !== undefined && baselineRate.length > 0 ? median(baselineRate) * stepSeconds : undefined;
    const baselineEvents =
      stepSeconds === undefined ? 0 : baselineRate.reduce((sum, value) => sum + value * stepSeconds, 0);
    const sampling = samplingError(kind, centre, baselineValues, eventsPerStep, baselineEvents, stepSeconds);
    const relativeFloor = kind === 'ratio' && sampling !== undefined ? 0 : (options.relativeFloor ?? 0.05);
    const score = scoreAnomaly(series.points, {
      baselineEnd: options.baselineEnd,
      recentStart: options.recentStart,
      relativeFloor,
      absoluteFloor: Math.max(sampling ?? 0, 1e-9),
      recentAggregate: options.aggregate,
      direction: options.direction,
      minimumBaseline: 1,
    });
    if (!score) continue;
    const z = sign * score.score;
    const existing = out.get(series.entity);
    if (existing && existing.z >= z) continue;
    out.set(series.entity, {
      entity: series.entity,
      series: label(series),
      unit: series.unit,
      z,
      degree: anomalyDegree(z, 'up'),
      baseline: score.baseline,
      recent: score.recent,
      excess: sign * (score.recent - score.baseline),
      scale: score.scale,
      rate: recentRate.length > 0 ? median(recentRate) : undefined,
      onset: score.onset,
      idle: false,
    });
  }
  // An entity that served nothing during the symptom has no statistic to read, yet it is observed: it cannot
  // have passed anything up.
  for (const [entity, points] of volumes) {
    if (out.has(entity)) continue;
    const recent = windowValues(points, options.recentStart, options.asOf);
    if (recent.length === 0 || recent.some((value) => value > 0)) continue;
    out.set(entity, {
      entity,
      series: 'no requests',
      unit: '',
      z: 0,
      degree: anomalyDegree(0, 'up'),
      baseline: 0,
      recent: 0,
      excess: 0,
      scale: 0,
      rate: 0,
      onset: undefined,
      idle: true,
    });
  }
  return out;
}

/** Options of {@link surveySymptom}. */
export interface SymptomSurveyOptions {
  /** The alerting entity. */
  trigger: EntityRef;
  /** The as-of time, epoch ms. */
  asOf: number;
  /** The investigation's scoring windows (recent window, data step). */
  windows: ScoringWindows;
  /** The direction of trouble. */
  direction: 'up' | 'down';
  /** How the recent window is summarised. */
  aggregate: 'median' | 'peak';
}

/**
 * Reads a survey of the symptom series, every entity's. The alerting entity's own series is read first, over
 * the usual windows (the first 40 % of the data as baseline, the recent window) with its sampling noise: when
 * it left its baseline (if it is anomalous) is the symptom onset, and every entity is then read before it
 * (baseline) and since (recent) — the usual windows again when there is no onset.
 *
 * @param statistic - the symptom metric's series, every entity's
 * @param volume - the volume metric's series, every entity's (may be empty)
 * @param options - the alerting entity, the as-of time and windows, the direction and aggregation
 */
export function surveySymptom(
  statistic: readonly MetricSeries[],
  volume: readonly MetricSeries[],
  options: SymptomSurveyOptions,
): {
  observations: Map<EntityRef, EntityObservation>;
  alerting: EntityObservation | undefined;
  onset: number | undefined;
} {
  const firstPoints = statistic.flatMap((one) => {
    const found = one.points.find((point) => point[1] !== null);
    return found ? [found[0]] : [];
  });
  const first = firstPoints.length > 0 ? Math.min(...firstPoints) : options.asOf;
  const span = options.asOf - first;
  const base = {
    direction: options.direction,
    aggregate: options.aggregate,
    asOf: options.asOf,
    stepMs: options.windows.stepMs,
  };
  const usual = {
    baselineEnd: first + span * 0.4,
    recentStart: options.asOf - recentWindowMs(options.windows, span, options.aggregate === 'peak'),
  };
  const own = (one: MetricSeries) => one.entity === options.trigger;
  const alerting = observeEntities(statistic.filter(own), volume.filter(own), { ...base, ...usual }).get(
    options.trigger,
  );
  const onset = alerting && alerting.degree > 0.5 ? alerting.onset : undefined;
  const windows = onset === undefined ? usual : { baselineEnd: onset, recentStart: onset };
  return { observations: observeEntities(statistic, volume, { ...base, ...windows }), alerting, onset };
}
