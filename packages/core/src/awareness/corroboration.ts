import type { Labels } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { MetricPoint } from '../contracts/telemetry';
import { scoreAnomaly } from '../investigation/anomaly-scoring';
import {
  defaultSymptomTiming,
  minimumCorroboratingRise,
  perUnitOfTraffic,
  type SymptomTiming,
  symptomThreshold,
} from './deviation-rules';
import type { TelemetryReader } from './telemetry-reading';
import { fitTheilSen } from './theil-sen';
import type { TrafficModel } from './types';

const hour = 3_600_000;

/** A series that, rising, corroborates trouble nearby. */
export interface CorroboratingSeries {
  /** The metric (names of the failure-pattern library and the symptom table). */
  metric: string;
  /** Labels to select. */
  labels?: Labels;
  /** Entity kinds that have it. */
  entityKinds: string[];
  /** Words for humans. */
  title: string;
  /**
   * True for a count that scales with traffic (errors per second, depth, connections in use): its rise is
   * measured per unit of traffic, so the morning ramp alone corroborates nothing.
   */
  loadDriven?: boolean;
}

/**
 * The series read around a situation for sustained rises: queue depth, creeping error rates and latency,
 * the latency of calls to dependencies (what a caller sees of a slow dependency or a slow network path),
 * connection pools, database connections, Redis latency and evictions.
 */
export const defaultCorroboratingSeries: readonly CorroboratingSeries[] = [
  { metric: 'rabbitmq_queue_messages_ready', entityKinds: ['queue'], title: 'queue depth', loadDriven: true },
  {
    metric: 'http_server_requests_total',
    labels: { status: '5xx' },
    entityKinds: ['service'],
    title: '5xx rate',
    loadDriven: true,
  },
  {
    metric: 'http_server_request_duration_seconds',
    labels: { quantile: '0.99' },
    entityKinds: ['service'],
    title: 'p99 latency',
  },
  {
    metric: 'http_client_request_duration_seconds',
    labels: { quantile: '0.99' },
    entityKinds: ['service'],
    title: 'p99 of calls',
  },
  {
    metric: 'db_client_operation_duration_seconds',
    labels: { quantile: '0.99' },
    entityKinds: ['service'],
    title: 'p99 of database calls',
  },
  {
    metric: 'db_client_connections_usage',
    labels: { state: 'used' },
    entityKinds: ['service'],
    title: 'connection pool in use',
    loadDriven: true,
  },
  {
    metric: 'pg_stat_database_numbackends',
    entityKinds: ['postgres'],
    title: 'connections',
    loadDriven: true,
  },
  {
    metric: 'pg_stat_activity_count',
    labels: { state: 'idle in transaction' },
    entityKinds: ['postgres'],
    title: 'idle-in-transaction connections',
  },
  { metric: 'redis_latency_percentiles_usec', entityKinds: ['redis'], title: 'latency' },
  { metric: 'redis_evicted_keys_total', entityKinds: ['redis'], title: 'evictions', loadDriven: true },
];

/** A sustained rise of a series. */
export interface SustainedRise {
  /** Theil–Sen slope, per hour. */
  slopePerHour: number;
  /** The rise over the window relative to the median level (0.2 = +20 %). */
  relativeRise: number;
  /** Kendall's τ. */
  consistency: number;
}

/**
 * Whether a series rose steadily over its window: a Theil–Sen slope that adds at least `minimumRise`
 * (default 15 %) of the median level over the window, with Kendall's τ ≥ 0.4 (most pairs of points agree).
 * Needs 6 points over 15 minutes.
 *
 * @param points - the series
 * @param minimumRise - the least relative rise that counts
 */
export function sustainedRise(
  points: readonly MetricPoint[],
  minimumRise = minimumCorroboratingRise,
): SustainedRise | undefined {
  const times: number[] = [];
  const values: number[] = [];
  for (const [at, value] of points) {
    if (value === null || !Number.isFinite(value)) continue;
    times.push(at / hour);
    values.push(value);
  }
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined || times.length < 6 || last - first < 0.25) return undefined;
  const fit = fitTheilSen(times, values);
  if (!fit || fit.slope <= 0 || fit.consistency < 0.4) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  // A series that sits at zero (no idle sessions, no evictions) has no level to rise relative to.
  const median = sorted[sorted.length >> 1] as number;
  if (median === 0) return undefined;
  const level = Math.abs(median);
  const relativeRise = (fit.slope * (last - first)) / level;
  if (relativeRise < minimumRise) return undefined;
  return { slopePerHour: fit.slope, relativeRise, consistency: fit.consistency };
}

/**
 * Whether a series shifted up and stayed there: its recent level (median of the last 2 minutes) is at least
 * 3 robust deviations and `minimumRise` (15 %) above the median of the first half of the window, and it has
 * been beyond 3 deviations for at least 5 minutes (most points since, and the last one). An abrupt fault (a bad
 * release, a slow network path) shows as such a step, which a trend over the hour does not see yet; a blip of
 * a couple of minutes does neither.
 *
 * @param points - the series
 * @param window - the lookback
 * @param minimumRise - the least relative rise that counts
 * @param timing - how long is sustained, and the recent stretch
 */
export function sustainedShift(
  points: readonly MetricPoint[],
  window: { start: number; end: number },
  minimumRise = minimumCorroboratingRise,
  timing: SymptomTiming = defaultSymptomTiming,
): number | undefined {
  const anomaly = scoreAnomaly(points, {
    baselineEnd: window.start + (window.end - window.start) / 2,
    recentStart: window.end - timing.recentMs,
    threshold: symptomThreshold,
    direction: 'up',
  });
  if (!anomaly || anomaly.score < symptomThreshold || anomaly.onset === undefined) return undefined;
  if (window.end - anomaly.onset < timing.sustainedAfterMs || anomaly.baseline === 0) return undefined;
  const level = Math.abs(anomaly.baseline);
  const relativeRise = (anomaly.recent - anomaly.baseline) / level;
  return relativeRise >= minimumRise ? relativeRise : undefined;
}

/** A corroborating rise found near a situation. */
export interface CorroborationFinding {
  /** The entity. */
  entity: EntityRef;
  /** The metric. */
  metric: string;
  /** The labels of the series that rose most (its `peer`, for calls to a dependency). */
  labels: Labels;
  /** Words for humans. */
  title: string;
  /** Hops from the situation. */
  hops: number;
  /** `trend`: a steady rise over the window; `shift`: a step up that has lasted. */
  how: 'trend' | 'shift';
  /** The rise relative to the median (trend) or baseline (shift) level: 0.2 = +20 %. */
  relativeRise: number;
}

/**
 * Reads the corroborating series of each entity in a neighbourhood and keeps those in a sustained rise or
 * shift (the strongest series per entity and metric), leaving out series the caller already accounts for.
 *
 * @param neighbourhood - entities and their hops from the situation, nearest first
 * @param reader - where series come from
 * @param window - the lookback
 * @param skip - true for series to leave out (the alerts' own symptoms, forecast series)
 * @param trafficOf - the traffic model that drives an entity, if known: load-driven series are divided by
 *   its multiplier point by point before they are judged
 * @param catalogue - the series to read
 * @param timing - how long is sustained, and the recent stretch (default {@link defaultSymptomTiming})
 */
export async function findCorroboration(
  neighbourhood: ReadonlyMap<EntityRef, number>,
  reader: TelemetryReader,
  window: { start: number; end: number },
  skip: (entity: EntityRef, metric: string, labels: Labels) => boolean,
  trafficOf: (entity: EntityRef) => TrafficModel | undefined = () => undefined,
  catalogue: readonly CorroboratingSeries[] = defaultCorroboratingSeries,
  timing: SymptomTiming = defaultSymptomTiming,
): Promise<CorroborationFinding[]> {
  const reads: Promise<CorroborationFinding | undefined>[] = [];
  for (const [entity, hops] of neighbourhood) {
    const kind = entity.slice(0, entity.indexOf(':'));
    for (const wanted of catalogue) {
      if (!wanted.entityKinds.includes(kind)) continue;
      reads.push(
        reader
          .series({
            metric: wanted.metric,
            entity,
            ...(wanted.labels ? { labels: wanted.labels } : {}),
            ...window,
          })
          .then((series) => {
            let strongest: CorroborationFinding | undefined;
            const traffic = wanted.loadDriven ? trafficOf(entity) : undefined;
            for (const one of series) {
              if (skip(entity, wanted.metric, one.labels)) continue;
              const points = traffic ? perUnitOfTraffic(one.points, traffic) : one.points;
              const trend = sustainedRise(points)?.relativeRise;
              const shift = sustainedShift(points, window, minimumCorroboratingRise, timing);
              const how = shift !== undefined && (trend === undefined || shift > trend) ? 'shift' : 'trend';
              const relativeRise = how === 'shift' ? shift : trend;
              if (relativeRise === undefined || (strongest && strongest.relativeRise >= relativeRise))
                continue;
              strongest = {
                entity,
                metric: wanted.metric,
                labels: one.labels,
                title: wanted.title,
                hops,
                how,
                relativeRise,
              };
            }
            return strongest;
          }),
      );
    }
  }
  const findings = await Promise.all(reads);
  return findings.filter((finding): finding is CorroborationFinding => finding !== undefined);
}
