import type { QuantileSeries } from '../simulation/quantiles';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity, SystemModel } from '../simulation/system-model';
import { countSeries, define, type SeriesDefinition } from './metric-definition';

const quantileLabels: [string, keyof QuantileSeries][] = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
];

/** The values while a cronjob runs (NaN otherwise); other entities' values unchanged. */
export function whileRunning(
  simulation: Simulation,
  entity: ModelEntity,
  values: Float64Array,
): Float64Array {
  if (entity.kind !== 'cronjob') return values;
  const { running } = simulation.jobActivity(entity.index);
  return values.map((value, step) => ((running[step] ?? 0) > 0 ? value : Number.NaN));
}

/** HTTP server duration quantiles and request counts of a service. */
export function httpServerSeries(entity: ModelEntity): SeriesDefinition[] {
  const series: SeriesDefinition[] = quantileLabels.map(([quantile, key]) =>
    define(
      entity,
      'http_server_request_duration_seconds',
      { quantile },
      'summary',
      'seconds',
      'Server-side request duration quantile.',
      (simulation) => simulation.health(entity.index).latency[key],
    ),
  );
  series.push(
    countSeries(
      entity,
      'http_server_requests_total',
      { status: '2xx' },
      'requests/s',
      'HTTP requests answered successfully.',
      (simulation) => {
        const health = simulation.health(entity.index);
        return simulation
          .inboundRate(entity.index)
          .map((rate, step) => rate * (1 - (health.errorRatio[step] ?? 0)));
      },
    ),
    countSeries(
      entity,
      'http_server_requests_total',
      { status: '5xx' },
      'requests/s',
      'HTTP requests answered with a server error.',
      (simulation) => {
        const health = simulation.health(entity.index);
        return simulation
          .inboundRate(entity.index)
          .map((rate, step) => rate * (health.errorRatio[step] ?? 0));
      },
    ),
  );
  return series;
}

/** Client-side call metrics to each dependency, plus pool metrics for postgres dependencies. */
export function httpClientSeries(model: SystemModel, entity: ModelEntity): SeriesDefinition[] {
  const series: SeriesDefinition[] = [];
  for (const edgeIndex of entity.outgoing) {
    const peer = model.entities[model.edges[edgeIndex]?.to ?? -1];
    if (!peer) continue;
    series.push(
      define(
        entity,
        'http_client_request_duration_seconds',
        { peer: peer.ref, quantile: '0.99' },
        'summary',
        'seconds',
        'Client-side call duration (99th percentile) to a dependency.',
        (simulation) => whileRunning(simulation, entity, simulation.edgeView(edgeIndex).latency.p99),
      ),
    );
    const statuses: ['2xx' | '5xx' | 'timeout', string][] = [
      ['2xx', 'Calls to a dependency that succeeded.'],
      ['5xx', 'Calls to a dependency answered with an error.'],
      ['timeout', 'Calls to a dependency that timed out.'],
    ];
    for (const [status, help] of statuses) {
      series.push(
        countSeries(
          entity,
          'http_client_requests_total',
          { peer: peer.ref, status },
          'requests/s',
          help,
          (simulation) => {
            const view = simulation.edgeView(edgeIndex);
            const calls = simulation.edgeRate(edgeIndex).map((rate, step) => {
              const errors = view.errorRatio[step] ?? 0;
              const timeouts = view.timeoutRatio[step] ?? 0;
              const share = status === '2xx' ? 1 - errors - timeouts : status === '5xx' ? errors : timeouts;
              return rate * Math.max(0, share);
            });
            return whileRunning(simulation, entity, calls);
          },
        ),
      );
    }
    if (peer.kind === 'postgres' && entity.kind === 'service')
      series.push(...databaseClientSeries(model, entity, peer, edgeIndex));
  }
  return series;
}

function databaseClientSeries(
  model: SystemModel,
  entity: ModelEntity,
  peer: ModelEntity,
  edgeIndex: number,
): SeriesDefinition[] {
  const clients = Math.max(1, peer.incoming.length);
  const poolSizes = (simulation: Simulation) =>
    simulation.settings(peer.index).maxConnections.map((max) => Math.max(1, Math.floor(max / clients)));
  const shares = (simulation: Simulation) => {
    const total = new Float64Array(model.stepCount);
    for (const other of peer.incoming) {
      const rates = simulation.edgeRate(other);
      for (let step = 0; step < total.length; step++) total[step] = (total[step] ?? 0) + (rates[step] ?? 0);
    }
    const mine = simulation.edgeRate(edgeIndex);
    return total.map((sum, step) => (sum > 0 ? (mine[step] ?? 0) / sum : 1 / clients));
  };
  const usage = (simulation: Simulation, state: 'used' | 'idle') => {
    const postgres = simulation.postgres(peer.index);
    const sizes = poolSizes(simulation);
    const mine = shares(simulation);
    return sizes.map((size, step) => {
      const share = mine[step] ?? 0;
      const used = Math.min(
        size,
        Math.round(((postgres.active[step] ?? 0) + (postgres.idleInTransaction[step] ?? 0)) * share),
      );
      const idle = Math.min(size - used, Math.round((postgres.idle[step] ?? 0) * share));
      return state === 'used' ? used : Math.max(0, idle);
    });
  };
  return [
    define(
      entity,
      'db_client_connections_usage',
      { peer: peer.ref, state: 'used' },
      'gauge',
      'connections',
      'Pooled database connections in use.',
      (simulation) => usage(simulation, 'used'),
    ),
    define(
      entity,
      'db_client_connections_usage',
      { peer: peer.ref, state: 'idle' },
      'gauge',
      'connections',
      'Pooled database connections idle.',
      (simulation) => usage(simulation, 'idle'),
    ),
    define(
      entity,
      'db_client_connections_max',
      { peer: peer.ref },
      'gauge',
      'connections',
      'Size of the database connection pool.',
      (simulation) => poolSizes(simulation),
    ),
    define(
      entity,
      'db_client_operation_duration_seconds',
      { peer: peer.ref, quantile: '0.99' },
      'summary',
      'seconds',
      'Database operation duration seen by the client, pool wait included (99th percentile).',
      (simulation) => simulation.edgeView(edgeIndex).latency.p99,
    ),
  ];
}
