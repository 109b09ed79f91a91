import type { ChangeEvent, EntityRef, Labels, MetricType, TopologySnapshot } from '@aisre/core';

/**
 * "Your own telemetry": what a small shop exports, as it might come out of a metrics store and a change
 * log. Checkout calls inventory, and both read the orders database. At 14:02 a Terraform change lowers the
 * database's planner settings; from 14:05 its queries turn into sequential scans, checkout's p99 latency
 * climbs, and at 14:20 CheckoutLatencyHigh fires. A checkout deploy an hour earlier is a red herring.
 *
 * The metrics are one row per 5-minute sample and one column per series; counters are per-second rates.
 */
export const metricsCsv = `time,checkout_p99_seconds,checkout_5xx_per_second,inventory_p99_seconds,inventory_5xx_per_second,orders_db_mean_exec_seconds,orders_db_backends,orders_db_locks,orders_db_max_tx_seconds
2026-05-12T12:20:00Z,0.30,0.037,0.12,0.006,0.0044,40,11,0.94
2026-05-12T12:25:00Z,0.33,0.047,0.12,0.011,0.0044,39,10,0.97
2026-05-12T12:30:00Z,0.30,0.031,0.13,0.011,0.0045,42,13,0.99
2026-05-12T12:35:00Z,0.32,0.049,0.12,0.010,0.0041,41,13,1.03
2026-05-12T12:40:00Z,0.31,0.037,0.12,0.011,0.0045,43,11,0.97
2026-05-12T12:45:00Z,0.32,0.041,0.11,0.011,0.0045,39,10,1.03
2026-05-12T12:50:00Z,0.31,0.040,0.11,0.006,0.0042,39,10,0.76
2026-05-12T12:55:00Z,0.31,0.038,0.12,0.008,0.0040,39,10,0.89
2026-05-12T13:00:00Z,0.29,0.049,0.12,0.012,0.0045,41,11,1.03
2026-05-12T13:05:00Z,0.33,0.039,0.12,0.010,0.0043,43,12,0.94
2026-05-12T13:10:00Z,0.31,0.035,0.13,0.010,0.0039,43,12,1.02
2026-05-12T13:15:00Z,0.29,0.043,0.12,0.011,0.0041,42,10,0.78
2026-05-12T13:20:00Z,0.31,0.030,0.12,0.011,0.0040,41,14,0.89
2026-05-12T13:25:00Z,0.30,0.032,0.13,0.007,0.0042,41,11,0.82
2026-05-12T13:30:00Z,0.30,0.043,0.12,0.011,0.0040,40,10,0.91
2026-05-12T13:35:00Z,0.30,0.048,0.11,0.010,0.0040,43,11,0.92
2026-05-12T13:40:00Z,0.32,0.047,0.12,0.009,0.0042,42,12,0.75
2026-05-12T13:45:00Z,0.32,0.041,0.12,0.010,0.0044,43,13,0.82
2026-05-12T13:50:00Z,0.31,0.044,0.12,0.012,0.0045,40,10,0.83
2026-05-12T13:55:00Z,0.32,0.032,0.11,0.010,0.0040,42,14,1.02
2026-05-12T14:00:00Z,0.29,0.032,0.11,0.010,0.0039,39,12,0.98
2026-05-12T14:05:00Z,0.60,0.095,0.30,0.007,0.0245,41,12,0.80
2026-05-12T14:10:00Z,1.13,0.164,0.65,0.006,0.0586,45,14,0.99
2026-05-12T14:15:00Z,1.56,0.236,0.90,0.007,0.0999,42,14,0.79
2026-05-12T14:20:00Z,1.73,0.277,1.08,0.009,0.1070,42,11,0.94
`;

/** What one CSV column holds: which entity, which metric (named as exporters name it), its labels and unit. */
export interface MetricColumn {
  /** The entity the series describes. */
  entity: EntityRef;
  /** The metric name. */
  metric: string;
  /** Labels that tell the series apart. */
  labels: Labels;
  /** How the metric behaves. */
  type: MetricType;
  /** The unit. */
  unit: string;
  /** What it measures. */
  help: string;
}

const checkout: EntityRef = 'service:shop/checkout';
const inventory: EntityRef = 'service:shop/inventory';
const ordersDb: EntityRef = 'postgres:shop/orders-db';

/** How the CSV's columns map to entities and metric names the engine's failure patterns know. */
export const metricColumns: Readonly<Record<string, MetricColumn>> = {
  checkout_p99_seconds: {
    entity: checkout,
    metric: 'http_server_request_duration_seconds',
    labels: { quantile: '0.99' },
    type: 'summary',
    unit: 'seconds',
    help: 'Server-side request latency, 99th percentile',
  },
  checkout_5xx_per_second: {
    entity: checkout,
    metric: 'http_server_requests_total',
    labels: { status: '5xx' },
    type: 'counter',
    unit: 'requests',
    help: 'Requests answered with a 5xx status',
  },
  inventory_p99_seconds: {
    entity: inventory,
    metric: 'http_server_request_duration_seconds',
    labels: { quantile: '0.99' },
    type: 'summary',
    unit: 'seconds',
    help: 'Server-side request latency, 99th percentile',
  },
  inventory_5xx_per_second: {
    entity: inventory,
    metric: 'http_server_requests_total',
    labels: { status: '5xx' },
    type: 'counter',
    unit: 'requests',
    help: 'Requests answered with a 5xx status',
  },
  orders_db_mean_exec_seconds: {
    entity: ordersDb,
    metric: 'pg_stat_statements_mean_exec_time_seconds',
    labels: {},
    type: 'gauge',
    unit: 'seconds',
    help: 'Mean execution time of statements (pg_stat_statements)',
  },
  orders_db_backends: {
    entity: ordersDb,
    metric: 'pg_stat_database_numbackends',
    labels: {},
    type: 'gauge',
    unit: 'connections',
    help: 'Backends connected to the database',
  },
  orders_db_max_tx_seconds: {
    entity: ordersDb,
    metric: 'pg_stat_activity_max_tx_duration',
    labels: {},
    type: 'gauge',
    unit: 'seconds',
    help: 'Age of the oldest open transaction',
  },
  orders_db_locks: {
    entity: ordersDb,
    metric: 'pg_locks_count',
    labels: {},
    type: 'gauge',
    unit: 'locks',
    help: 'Locks held',
  },
};

/** The change log: deploys, configuration changes and scaling, oldest first. */
export const changeLog: readonly ChangeEvent[] = [
  {
    id: 'chg-1041',
    entity: checkout,
    kind: 'deploy',
    at: '2026-05-12T13:05:00Z',
    summary: 'checkout v3.18.0 → v3.18.1 (copy changes on the payment page)',
    actor: 'github-actions',
    attributes: { from: 'v3.18.0', to: 'v3.18.1' },
  },
  {
    id: 'chg-1042',
    entity: ordersDb,
    kind: 'config',
    at: '2026-05-12T14:02:00Z',
    summary: 'orders-db: random_page_cost 1.1 → 4, effective_cache_size 24GB → 4GB',
    actor: 'terraform (PR #2291)',
    attributes: {
      keys: ['random_page_cost', 'effective_cache_size'],
      from: ['1.1', '24GB'],
      to: ['4', '4GB'],
    },
  },
  {
    id: 'chg-1043',
    entity: inventory,
    kind: 'scale',
    at: '2026-05-12T14:12:00Z',
    summary: 'inventory scaled from 4 to 7 replicas by the autoscaler',
    actor: 'horizontal-pod-autoscaler',
    attributes: { from: 4, to: 7 },
  },
];

/** The shop's structure: who calls whom. */
export const topology: Omit<TopologySnapshot, 'observedAt'> = {
  entities: [
    { ref: checkout, attributes: { tier: 1, team: 'payments', replicas: 6 } },
    { ref: inventory, attributes: { tier: 2, team: 'catalog', replicas: 4 } },
    { ref: ordersDb, attributes: { engine: 'postgres 16', maxConnections: 200 } },
  ],
  relations: [
    { from: checkout, to: inventory, kind: 'depends-on', attributes: {} },
    { from: checkout, to: ordersDb, kind: 'depends-on', attributes: {} },
    { from: inventory, to: ordersDb, kind: 'depends-on', attributes: {} },
  ],
  kubernetesObjects: [],
};

/** The slowest statements of the orders database as pg_stat_statements shows them after the change. */
export const slowStatements: readonly { query: string; calls: number; meanMs: number; plan: string }[] = [
  {
    query: 'SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
    calls: 48_210,
    meanMs: 212.4,
    plan: 'Seq Scan on orders (was: Index Scan using orders_customer_id_created_at_idx)',
  },
  {
    query: 'SELECT quantity FROM stock WHERE sku = ANY($1)',
    calls: 96_033,
    meanMs: 64.9,
    plan: 'Seq Scan on stock (was: Index Scan using stock_pkey)',
  },
  {
    query: 'INSERT INTO orders (customer_id, total_cents, items) VALUES ($1, $2, $3)',
    calls: 5_120,
    meanMs: 3.1,
    plan: 'Insert on orders',
  },
];
