import type { Labels } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { MetricPoint } from '../contracts/telemetry';
import type { TelemetryReader } from './telemetry-reading';
import { fitTheilSen } from './theil-sen';

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
}

/**
 * The series read around a situation for sustained trends: queue depth, creeping error rates and latency,
 * connection pools, database connections, Redis latency and evictions.
 */
export const defaultCorroboratingSeries: readonly CorroboratingSeries[] = [
  { metric: 'rabbitmq_queue_messages_ready', entityKinds: ['queue'], title: 'queue depth' },
  {
    metric: 'http_server_requests_total',
    labels: { status: '5xx' },
    entityKinds: ['service'],
    title: '5xx rate',
  },
  {
    metric: 'http_server_request_duration_seconds',
    labels: { quantile: '0.99' },
    entityKinds: ['service'],
    title: 'p99 latency',
  },
  {
    metric: 'db_client_connections_usage',
    labels: { state: 'used' },
    entityKinds: ['service'],
    title: 'connection pool in use',
  },
  { metric: 'pg_stat_database_numbackends', entityKinds: ['postgres'], title: 'connections' },
  {
    metric: 'pg_stat_activity_count',
    labels: { state: 'idle in transaction' },
    entityKinds: ['postgres'],
    title: 'idle-in-transaction connections',
  },
  { metric: 'redis_latency_percentiles_usec', entityKinds: ['redis'], title: 'latency' },
  { metric: 'redis_evicted_keys_total', entityKinds: ['redis'], title: 'evictions' },
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
export function sustainedRise(points: readonly MetricPoint[], minimumRise = 0.15): SustainedRise | undefined {
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
  const level = Math.max(Math.abs(sorted[sorted.length >> 1] as number), 1e-9);
  const relativeRise = (fit.slope * (last - first)) / level;
  if (relativeRise < minimumRise) return undefined;
  return { slopePerHour: fit.slope, relativeRise, consistency: fit.consistency };
}

/** A corroborating trend found near a situation. */
export interface CorroborationFinding {
  /** The entity. */
  entity: EntityRef;
  /** The metric. */
  metric: string;
  /** Words for humans. */
  title: string;
  /** Hops from the situation. */
  hops: number;
  /** The rise. */
  rise: SustainedRise;
}

/**
 * Reads the corroborating series of each entity in a neighbourhood and keeps those in a sustained rise
 * (the strongest series per entity and metric), skipping series the caller already accounts for.
 *
 * @param neighbourhood - entities and their hops from the situation, nearest first
 * @param reader - where series come from
 * @param window - the lookback
 * @param skip - `entity metric` keys to leave out (the alerts' own symptoms, forecast series)
 * @param catalogue - the series to read
 */
export async function findCorroboration(
  neighbourhood: ReadonlyMap<EntityRef, number>,
  reader: TelemetryReader,
  window: { start: number; end: number },
  skip: ReadonlySet<string>,
  catalogue: readonly CorroboratingSeries[] = defaultCorroboratingSeries,
): Promise<CorroborationFinding[]> {
  const reads: Promise<CorroborationFinding | undefined>[] = [];
  for (const [entity, hops] of neighbourhood) {
    const kind = entity.slice(0, entity.indexOf(':'));
    for (const wanted of catalogue) {
      if (!wanted.entityKinds.includes(kind) || skip.has(`${entity} ${wanted.metric}`)) continue;
      reads.push(
        reader
          .series({
            metric: wanted.metric,
            entity,
            ...(wanted.labels ? { labels: wanted.labels } : {}),
            ...window,
          })
          .then((series) => {
            let strongest: SustainedRise | undefined;
            for (const one of series) {
              const rise = sustainedRise(one.points);
              if (rise && (!strongest || rise.relativeRise > strongest.relativeRise)) strongest = rise;
            }
            return strongest
              ? { entity, metric: wanted.metric, title: wanted.title, hops, rise: strongest }
              : undefined;
          }),
      );
    }
  }
  const findings = await Promise.all(reads);
  return findings.filter((finding): finding is CorroborationFinding => finding !== undefined);
}
