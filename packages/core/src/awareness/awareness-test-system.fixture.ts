// A small fake system for the awareness tests: a shop with a diurnal ×30 traffic peak at 09:00 UTC, telemetry
// from closed-form curves plus a deterministic jitter, a change feed, a signal feed and a recording notifier.
// Not exported; the real simulator is @aisre/connector-mock.
import type { Labels } from '../contracts/common';
import type { Connector, Notification, TopologyEntity } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { ChangeEvent, MetricSeries } from '../contracts/telemetry';
import { ConnectorError } from '../errors/aisre-error';
import { throwIfAborted } from '../runtime/call-context';

export const minute = 60_000;
export const hour = 60 * minute;
export const gibibyte = 2 ** 30;
/** The start of the simulated telemetry. */
export const start = Date.parse('2026-03-02T01:00:00Z');
/** 3 AM: when the alerts fire. */
export const threeAm = Date.parse('2026-03-02T03:00:00Z');
/** When the growing cache reaches its 16 GiB limit at the diurnal traffic. */
export const breachAt = Date.parse('2026-03-02T08:30:00Z');
const step = 30_000;

export const refs = {
  frontend: 'service:shop/frontend',
  recommendation: 'service:shop/recommendation',
  cart: 'service:shop/cart',
  cache: 'redis:shop/recommendation-cache',
  database: 'postgres:shop/cart-db',
  events: 'queue:shop/cart-events',
} as const satisfies Record<string, EntityRef>;

const peakMultiplier = 30;
const peakOffset = 9 * hour;
const day = 24 * hour;

/** The traffic multiplier: 1 + 29 cos⁸(π (t − 09:00) / 24 h), the model awareness reads from the topology. */
export function trafficAt(at: number): number {
  return 1 + (peakMultiplier - 1) * Math.cos((Math.PI * (at - peakOffset)) / day) ** 8;
}

/** ∫ trafficAt dt in hours, closed form (cos⁸ x = (35 + 56 cos 2x + 28 cos 4x + 8 cos 6x + cos 8x) / 128). */
export function cumulativeTraffic(at: number): number {
  const x = (Math.PI * (at - peakOffset)) / day;
  const primitive =
    (35 * x + 28 * Math.sin(2 * x) + 7 * Math.sin(4 * x) + (4 / 3) * Math.sin(6 * x) + Math.sin(8 * x) / 8) /
    128;
  return at / hour + (peakMultiplier - 1) * (24 / Math.PI) * primitive;
}

const memoryAtThreeAm = 9 * gibibyte;
const memoryLimit = 16 * gibibyte;
/** Bytes per quiet-hour of traffic: the leak reaches the limit at {@link breachAt}. */
const leak = (memoryLimit - memoryAtThreeAm) / (cumulativeTraffic(breachAt) - cumulativeTraffic(threeAm));

function jitter(key: string, at: number, size: number): number {
  let hash = 0x811c9dc5;
  for (const char of `${key}@${at}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  hash ^= hash >>> 15;
  return 1 + ((hash >>> 0) / 0xffffffff - 0.5) * 2 * size;
}

export interface AwarenessTestSystemOptions {
  /** The connector's now. */
  now?: number;
  /** Whether the cache's memory grows with traffic or stays flat. */
  memory: 'growing' | 'flat';
  /**
   * Whether the cache's neighbours show sustained trends (creeping latency and 5xx). With it, the cache's own
   * latency has been up for ten minutes (a sustained symptom); without it, for two (a blip that may pass).
   */
  corroboration: boolean;
  /** Signals served by `signals.list`. */
  signals?: Signal[];
  /** Make the notifier throw. */
  notifierFails?: boolean;
}

export interface AwarenessTestSystem extends Connector {
  /** Notifications received. */
  notifications: Notification[];
  /** Metric range queries received. */
  queries: string[];
  /** Pushes a signal to subscribers. */
  push(signal: Signal): void;
}

export function createAwarenessTestSystem(options: AwarenessTestSystemOptions): AwarenessTestSystem {
  const now = options.now ?? threeAm;
  const notifications: Notification[] = [];
  const queries: string[] = [];
  const listeners = new Set<(signal: Signal) => void>();
  const lastHour = (at: number) => Math.min(1, Math.max(0, (at - (now - hour)) / hour));

  const value = (entity: EntityRef, metric: string, labels: Labels, at: number): number | undefined => {
    const j = (size: number) => jitter(`${entity}${metric}`, at, size);
    const creep = options.corroboration ? lastHour(at) : 0;
    if (entity === refs.cache) {
      if (metric === 'redis_memory_used_bytes')
        return options.memory === 'growing'
          ? (memoryAtThreeAm + leak * (cumulativeTraffic(at) - cumulativeTraffic(threeAm))) * j(0.0005)
          : memoryAtThreeAm * j(0.002);
      if (metric === 'redis_latency_percentiles_usec')
        return 800 * (1 + (at >= now - (options.corroboration ? 10 : 2) * minute ? 1.5 : 0)) * j(0.05);
      if (metric === 'redis_evicted_keys_total') return 0;
    }
    if (entity === refs.recommendation && metric === 'http_server_request_duration_seconds')
      return labels.quantile === '0.99' ? 0.08 * (1 + 0.6 * creep) * j(0.03) : undefined;
    if (entity === refs.frontend && metric === 'http_server_requests_total')
      return labels.status === '5xx' ? 0.2 * (1 + 2 * creep) * j(0.1) : 100 * j(0.05);
    if (
      (entity === refs.frontend || entity === refs.cart) &&
      metric === 'http_server_request_duration_seconds'
    )
      return labels.quantile === '0.99' ? 0.12 * j(0.05) : undefined;
    if (entity === refs.database && metric === 'pg_stat_database_numbackends') return 30 * j(0.05);
    if (entity === refs.events && metric === 'rabbitmq_queue_messages_ready') return 40 * j(0.2);
    return undefined;
  };
  const labelSets = (metric: string): Labels[] => {
    if (metric === 'http_server_requests_total') return [{ status: '2xx' }, { status: '5xx' }];
    if (metric === 'http_server_request_duration_seconds') return [{ quantile: '0.5' }, { quantile: '0.99' }];
    return [{}];
  };

  return {
    name: 'awareness-test',
    tools: [],
    notifications,
    queries,
    push(signal) {
      for (const listener of listeners) listener(signal);
    },
    capabilities: {
      topology: {
        async scan(context) {
          throwIfAborted(context.signal, 'awareness-test: topology');
          const relation = (from: EntityRef, to: EntityRef, kind = 'depends-on') => ({
            from,
            to,
            kind,
            attributes: {},
          });
          const entities: TopologyEntity[] = [
            {
              ref: refs.frontend,
              attributes: {
                tier: 1,
                rps: 120,
                traffic: { pattern: 'diurnal', peakMultiplier, peakAt: '09:00' },
              },
            },
            { ref: refs.recommendation, attributes: { tier: 2 } },
            { ref: refs.cart, attributes: { tier: 2 } },
            { ref: refs.cache, attributes: { maxMemoryMb: 16_384 } },
            { ref: refs.database, attributes: { maxConnections: 100 } },
            { ref: refs.events, attributes: {} },
          ];
          return {
            observedAt: new Date(now).toISOString(),
            entities,
            relations: [
              relation(refs.frontend, refs.recommendation),
              relation(refs.frontend, refs.cart),
              relation(refs.frontend, refs.events),
              relation(refs.recommendation, refs.cache),
              relation(refs.cart, refs.database),
              relation(refs.cart, refs.events, 'consumes'),
            ],
            kubernetesObjects: [],
          };
        },
      },
      metrics: {
        async list() {
          return [];
        },
        async range(query, context) {
          throwIfAborted(context.signal, 'awareness-test: metrics');
          queries.push(`${query.entity ?? '*'} ${query.metric}`);
          const from = Math.ceil(Math.max(query.start, start) / step) * step;
          const to = Math.min(query.end, now);
          const out: MetricSeries[] = [];
          for (const entity of query.entity ? [query.entity] : Object.values(refs)) {
            for (const labels of labelSets(query.metric)) {
              if (
                query.labels &&
                Object.entries(query.labels).some(([name, wanted]) => labels[name] !== wanted)
              )
                continue;
              const points: MetricSeries['points'] = [];
              for (let at = from; at <= to; at += step) {
                const reading = value(entity, query.metric, labels, at);
                if (reading !== undefined) points.push([at, reading]);
              }
              if (points.length > 0) out.push({ metric: query.metric, entity, labels, unit: '', points });
            }
          }
          return out;
        },
      },
      changes: {
        async list(query, context) {
          throwIfAborted(context.signal, 'awareness-test: changes');
          const changes: ChangeEvent[] = [
            {
              id: 'deploy-frontend-42',
              entity: refs.frontend,
              kind: 'deploy',
              at: new Date(threeAm - 40 * minute).toISOString(),
              summary: 'frontend v41 → v42',
              attributes: {},
            },
          ];
          return changes.filter((change) => {
            const at = Date.parse(change.at);
            return at >= query.start && at <= Math.min(query.end, now);
          });
        },
      },
      signals: {
        async list(query) {
          return (options.signals ?? []).filter((signal) => {
            const at = Date.parse(signal.at);
            return at >= query.start && at <= query.end;
          });
        },
        subscribe(listener, subscribeOptions) {
          listeners.add(listener);
          subscribeOptions.signal?.addEventListener('abort', () => listeners.delete(listener), {
            once: true,
          });
          return () => listeners.delete(listener);
        },
      },
      notifier: {
        async notify(notification) {
          if (options.notifierFails)
            throw new ConnectorError('awareness-test', 'awareness-test: notifier is down', {
              isRetryable: true,
            });
          notifications.push(notification);
          return { delivered: true, id: `note-${notifications.length}` };
        },
      },
    },
  };
}

/** A signal of the tests: an alert by default. */
export function alert(
  entity: EntityRef,
  alertname: string,
  overrides: Partial<Signal> & { atMs?: number } = {},
): Signal {
  const { atMs, ...rest } = overrides;
  return {
    id: `${alertname}-${entity}-${atMs ?? threeAm}`,
    source: 'alertmanager',
    kind: 'alert',
    entity,
    severity: 'P3',
    at: new Date(atMs ?? threeAm).toISOString(),
    summary: `${alertname} on ${entity}`,
    labels: { alertname },
    payload: {},
    ...rest,
  };
}
