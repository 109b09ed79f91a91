import type { Labels } from '../contracts/common';
import type { Signal } from '../contracts/signal';

/** Which series shows an alert's symptom. */
export interface SymptomSeries {
  /** The metric. */
  metric: string;
  /** Label filter. */
  labels: Labels;
  /** Read on the entity itself or on its callers (for externals). */
  on: 'self' | 'callers';
  /** The direction of trouble. */
  direction: 'up' | 'down';
  /** How the recent window is summarised: errors and restarts come in bursts, so their peak counts. */
  aggregate?: 'median' | 'peak';
  /**
   * The series counting the events the statistic summarises (requests per second; every series of the metric
   * on an entity is summed, so status-partitioned counters give the total). With it, the symptom survey weighs
   * how much one entity's change accounts for its callers' and floors each entity's sampling noise.
   */
  volume?: { metric: string; labels: Labels };
}

/** The request counter HTTP server statistics are computed over. */
const httpRequests = { metric: 'http_server_requests_total', labels: {} };

const latency = (metric: string, labels: Labels = { quantile: '0.99' }): SymptomSeries => ({
  metric,
  labels,
  on: 'self',
  direction: 'up',
});

/**
 * Picks the series that shows the trigger's symptom: the one the alert names in its labels (`symptom_metric`,
 * with optional `symptom_quantile` and `symptom_direction` `up` | `down`), or else one chosen from the entity's
 * kind and words in the alert's name and summary (latency, errors, memory, connections, queue depth).
 * Documented in docs/investigation.md.
 *
 * @param trigger - the trigger signal
 */
export function symptomSeriesFor(trigger: Signal): SymptomSeries {
  const named = trigger.labels.symptom_metric;
  if (named) {
    // The alert names its own series: `symptom_metric`, optional `symptom_quantile`, `symptom_direction` and
    // `symptom_volume_metric` (the request counter the statistic is computed over).
    const quantile = trigger.labels.symptom_quantile;
    const volume = trigger.labels.symptom_volume_metric;
    return {
      metric: named,
      labels: quantile ? { quantile } : {},
      on: 'self',
      direction: trigger.labels.symptom_direction === 'down' ? 'down' : 'up',
      ...(volume ? { volume: { metric: volume, labels: {} } } : {}),
    };
  }
  const kind = trigger.entity.slice(0, trigger.entity.indexOf(':'));
  const words = `${trigger.labels.alertname ?? ''} ${trigger.summary}`.toLowerCase();
  const mentions = (pattern: RegExp) => pattern.test(words);
  switch (kind) {
    case 'redis':
      if (mentions(/memory|evict/)) return latency('redis_memory_used_bytes', {});
      return latency('redis_latency_percentiles_usec', {});
    case 'postgres':
      if (mentions(/connection|backend|client/)) return latency('pg_stat_database_numbackends', {});
      if (mentions(/disk|space|volume/)) return latency('kubelet_volume_stats_used_bytes', {});
      return latency('pg_stat_statements_mean_exec_time_seconds', {});
    case 'queue':
      return latency('rabbitmq_queue_messages_ready', {});
    case 'external':
      return {
        metric: 'http_client_request_duration_seconds',
        labels: { quantile: '0.99' },
        on: 'callers',
        direction: 'up',
      };
    case 'cronjob':
      return latency('container_cpu_usage_seconds_total', {});
    default:
      if (mentions(/error|5xx|fail|availability|unavailable/)) {
        return {
          metric: 'http_server_requests_total',
          labels: { status: '5xx' },
          on: 'self',
          direction: 'up',
          aggregate: 'peak',
        };
      }
      if (mentions(/memory|oom/)) return latency('container_memory_working_set_bytes', {});
      if (mentions(/cpu|throttl/)) return latency('container_cpu_usage_seconds_total', {});
      if (mentions(/restart|crash/)) {
        return { ...latency('kube_pod_container_status_restarts_total', {}), aggregate: 'peak' };
      }
      if (mentions(/disk|space|volume/)) return latency('kubelet_volume_stats_used_bytes', {});
      return { ...latency('http_server_request_duration_seconds'), volume: httpRequests };
  }
}
