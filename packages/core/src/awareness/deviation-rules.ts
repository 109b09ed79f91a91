import type { MetricPoint } from '../contracts/telemetry';
import type { TrafficModel } from './types';

// The rules by which awareness calls a series out of its normal range, shared by the alert's own symptom and
// the corroborating series around it.

const minute = 60_000;

/**
 * A series out of its normal range for at least this long is sustained: about the `for:` of an alert rule,
 * longer than the bump of a rolling update or a one-off blip.
 */
export const symptomSustainedAfterMs = 3 * minute;
/** The recent level is the median (or the peak, for bursty series) of this last stretch. */
export const symptomRecentMs = 2 * minute;
/**
 * How long a series must be out of its normal range to count as sustained, and the stretch its recent level is
 * read over. Match them to your alert rules' `for:` durations; a lab whose rules fire after 5 s wants seconds.
 */
export interface SymptomTiming {
  /** Out of range at least this long is sustained, milliseconds (default {@link symptomSustainedAfterMs}). */
  sustainedAfterMs: number;
  /** The recent level is read over this last stretch, milliseconds (default {@link symptomRecentMs}). */
  recentMs: number;
}

/** The default {@link SymptomTiming}. */
export const defaultSymptomTiming: Readonly<SymptomTiming> = Object.freeze({
  sustainedAfterMs: symptomSustainedAfterMs,
  recentMs: symptomRecentMs,
});

/** Robust deviations from the baseline that count as out of the normal range. */
export const symptomThreshold = 3;
/** The least relative rise (of the median level) that corroborates: 15 %. */
export const minimumCorroboratingRise = 0.25;

/**
 * Metrics that scale with traffic — errors, CPU, depth, connections, evictions — so their rises are judged
 * per unit of traffic: the morning ramp alone is no trouble.
 */
export const loadDrivenMetrics: ReadonlySet<string> = new Set([
  'http_server_requests_total',
  'container_cpu_usage_seconds_total',
  'rabbitmq_queue_messages_ready',
  'db_client_connections_usage',
  'pg_stat_database_numbackends',
  'redis_evicted_keys_total',
]);

/**
 * A series divided by the traffic multiplier at each of its points: what it is per unit of traffic.
 *
 * @param points - the series
 * @param traffic - the traffic model
 */
export function perUnitOfTraffic(points: readonly MetricPoint[], traffic: TrafficModel): MetricPoint[] {
  return points.map(([at, value]) => {
    const multiplier = traffic.multiplierAt(at);
    return [at, value === null || !(multiplier > 0) ? value : value / multiplier];
  });
}
