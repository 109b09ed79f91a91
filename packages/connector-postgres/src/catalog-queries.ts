// The catalog queries the connector runs, each with the zod schema of its rows. Every name is qualified with
// pg_catalog, so a view of the same name earlier in search_path cannot stand in for the real one. Each text
// starts with a tag comment (`/* aisre-connector-postgres: <name> */`) that names it in pg_stat_activity and
// lets a recorded-rows test client answer it.
import { ConnectorError, formatInputIssues, toInputIssues } from '@aisre/core';
import { z } from 'zod';
import { moduleName } from './postgres-errors';
import type { PostgresSession } from './postgres-session';

/** A catalog query: its name (the tag), what it reads (for messages), its SQL and the schema of one row. */
export interface CatalogQuery<Row> {
  /** The tag in the SQL comment. */
  name: string;
  /** What it reads, for messages (`pg_stat_activity`). */
  reads: string;
  /** The SQL text. */
  text: string;
  /** The schema of one row. */
  row: z.ZodType<Row>;
}

function tagged(name: string, sql: string): string {
  return `/* ${moduleName}: ${name} */ ${sql.replace(/\s+/g, ' ').trim()}`;
}

/** A number that `pg` may hand over as a string (int8, numeric). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, 'expected a number')
    .transform(Number),
]);

/** The states pg_stat_activity reports (postgres_exporter's list, which it fills with zeros). */
export const sessionStates = [
  'active',
  'idle',
  'idle in transaction',
  'idle in transaction (aborted)',
  'fastpath function call',
  'disabled',
] as const;

/** The lock modes pg_locks reports, lower-case as postgres_exporter labels them. */
export const lockModes = [
  'accesssharelock',
  'rowsharelock',
  'rowexclusivelock',
  'shareupdateexclusivelock',
  'sharelock',
  'sharerowexclusivelock',
  'exclusivelock',
  'accessexclusivelock',
  'sireadlock',
] as const;

const valuesList = (values: readonly string[]) => values.map((value) => `('${value}')`).join(', ');

/** One row of {@link activityByState}. */
export interface ActivityCountRow {
  datname: string;
  state: string;
  count: number;
  max_tx_duration: number;
  waiting: number;
}

/** Sessions by database and state, with the oldest transaction and the lock waiters (postgres_exporter's query plus `waiting`). */
export const activityByState: CatalogQuery<ActivityCountRow> = {
  name: 'activity-by-state',
  reads: 'pg_stat_activity',
  text: tagged(
    'activity-by-state',
    `SELECT d.datname::text AS datname, s.state,
       COALESCE(a.count, 0)::int AS count,
       COALESCE(a.max_tx_duration, 0)::float8 AS max_tx_duration,
       COALESCE(a.waiting, 0)::int AS waiting
     FROM pg_catalog.pg_database d
     CROSS JOIN (VALUES ${valuesList(sessionStates)}) AS s(state)
     LEFT JOIN (
       SELECT datname, state, count(*) AS count,
         max(extract(epoch FROM now() - xact_start))::float8 AS max_tx_duration,
         count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting
       FROM pg_catalog.pg_stat_activity GROUP BY datname, state
     ) a ON a.datname = d.datname AND a.state = s.state
     ORDER BY 1, 2`,
  ),
  row: z.object({
    datname: z.string(),
    state: z.string(),
    count: numeric,
    max_tx_duration: numeric,
    waiting: numeric,
  }),
};

/** One row of {@link connectionUse}. */
export interface ConnectionUseRow {
  max_connections: number;
  superuser_reserved_connections: number;
  reserved_connections: number | null;
  client_backends: number;
  own_pid: number;
  is_superuser: boolean;
}

/** Client backends (what counts against `max_connections`) and the limits. */
export const connectionUse: CatalogQuery<ConnectionUseRow> = {
  name: 'connection-use',
  reads: 'pg_stat_activity and the connection settings',
  text: tagged(
    'connection-use',
    `SELECT current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS superuser_reserved_connections,
       (SELECT setting::int FROM pg_catalog.pg_settings WHERE name = 'reserved_connections') AS reserved_connections,
       (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend')::int AS client_backends,
       pg_catalog.pg_backend_pid() AS own_pid,
       current_setting('is_superuser') = 'on' AS is_superuser`,
  ),
  row: z.object({
    max_connections: numeric,
    superuser_reserved_connections: numeric,
    reserved_connections: numeric.nullable(),
    client_backends: numeric,
    own_pid: numeric,
    is_superuser: z.boolean(),
  }),
};

/** One row of pg_settings. */
export interface SettingRow {
  name: string;
  setting: string | null;
  unit: string | null;
  vartype: string;
  source: string | null;
  short_desc: string | null;
  pending_restart: boolean | null;
}

const settingRow = z.object({
  name: z.string(),
  setting: z.string().nullable(),
  unit: z.string().nullable(),
  vartype: z.string(),
  source: z.string().nullable(),
  short_desc: z.string().nullable(),
  pending_restart: z.boolean().nullable(),
});

// The connector sets statement_timeout for its own session: for a setting its session overrides, the value
// new sessions get (reset_val) is the server's.
const settingColumns = `name,
  CASE WHEN source = 'session' THEN reset_val ELSE setting END AS setting,
  unit, vartype,
  CASE WHEN source = 'session' THEN 'server value (the connector overrides it for itself)' ELSE source END AS source,
  short_desc, pending_restart`;

/** The named settings; `names` are bound as `$1` (a text array). */
export const settingsByName: CatalogQuery<SettingRow> = {
  name: 'settings-by-name',
  reads: 'pg_settings',
  text: tagged(
    'settings-by-name',
    `SELECT ${settingColumns} FROM pg_catalog.pg_settings WHERE name = ANY($1::text[]) ORDER BY name`,
  ),
  row: settingRow,
};

/**
 * The settings the metrics serve, as a query without parameters (a metric reading runs in one round trip of
 * the simple protocol). `names` must be setting names (validated by the options schema).
 *
 * @param names - setting names, `[a-z_][a-z0-9_.]*`
 */
export function settingsForMetrics(names: readonly string[]): CatalogQuery<SettingRow> {
  for (const name of names) {
    if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new Error(`${moduleName}: not a setting name: ${name}`);
  }
  return {
    name: 'settings-for-metrics',
    reads: 'pg_settings',
    text: tagged(
      'settings-for-metrics',
      `SELECT ${settingColumns} FROM pg_catalog.pg_settings WHERE name IN (${names.map((name) => `'${name}'`).join(', ')}) ORDER BY name`,
    ),
    row: settingRow,
  };
}

/** The pg_stat_database columns served as metrics, and how they behave. */
export const databaseStatisticColumns = {
  numbackends: 'gauge',
  xact_commit: 'counter',
  xact_rollback: 'counter',
  blks_read: 'counter',
  blks_hit: 'counter',
  tup_returned: 'counter',
  tup_fetched: 'counter',
  tup_inserted: 'counter',
  tup_updated: 'counter',
  tup_deleted: 'counter',
  conflicts: 'counter',
  temp_files: 'counter',
  temp_bytes: 'counter',
  deadlocks: 'counter',
  blk_read_time: 'counter',
  blk_write_time: 'counter',
  sessions: 'counter',
  sessions_abandoned: 'counter',
  sessions_fatal: 'counter',
  sessions_killed: 'counter',
} as const;

/** A pg_stat_database column the connector serves. */
export type DatabaseStatisticColumn = keyof typeof databaseStatisticColumns;

/** One row of {@link databaseStatistics}: the database and whichever columns this server version has. */
export interface DatabaseStatisticsRow {
  datname: string;
  stats_age_seconds: number | null;
  values: Partial<Record<DatabaseStatisticColumn, number>>;
}

const statisticNames = Object.keys(databaseStatisticColumns) as DatabaseStatisticColumn[];

/** pg_stat_database, one row per database (the shared-objects row without a database is left out). */
export const databaseStatistics: CatalogQuery<DatabaseStatisticsRow> = {
  name: 'database-statistics',
  reads: 'pg_stat_database',
  text: tagged(
    'database-statistics',
    `SELECT d.*, extract(epoch FROM now() - d.stats_reset)::float8 AS stats_age_seconds
     FROM pg_catalog.pg_stat_database d WHERE d.datname IS NOT NULL ORDER BY d.datname`,
  ),
  row: z
    .object({
      datname: z.string(),
      stats_age_seconds: numeric.nullable(),
      numbackends: numeric,
      xact_commit: numeric,
    })
    .catchall(z.unknown())
    .transform((row) => {
      const values: Partial<Record<DatabaseStatisticColumn, number>> = {};
      for (const column of statisticNames) {
        const parsed = numeric.safeParse(row[column]);
        if (parsed.success) values[column] = parsed.data;
      }
      return { datname: row.datname, stats_age_seconds: row.stats_age_seconds, values };
    }),
};

/** One row of {@link lockCounts}. */
export interface LockCountRow {
  datname: string;
  mode: string;
  count: number;
}

/** Locks by database and mode (postgres_exporter's query). */
export const lockCounts: CatalogQuery<LockCountRow> = {
  name: 'lock-counts',
  reads: 'pg_locks',
  text: tagged(
    'lock-counts',
    `SELECT d.datname::text AS datname, m.mode, COALESCE(l.count, 0)::int AS count
     FROM (VALUES ${valuesList(lockModes)}) AS m(mode)
     CROSS JOIN pg_catalog.pg_database d
     LEFT JOIN (
       SELECT database, lower(mode) AS mode, count(*) AS count
       FROM pg_catalog.pg_locks WHERE database IS NOT NULL GROUP BY database, lower(mode)
     ) l ON l.database = d.oid AND l.mode = m.mode
     ORDER BY 1, 2`,
  ),
  row: z.object({ datname: z.string(), mode: z.string(), count: numeric }),
};

/** One client session of pg_stat_activity. */
export interface SessionRow {
  pid: number;
  datname: string | null;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  backend_seconds: number | null;
  transaction_seconds: number | null;
  query_seconds: number | null;
  state_seconds: number | null;
  blocked_by: number[];
  query: string | null;
  own: boolean;
}

/** Client sessions, oldest transaction first, with who blocks them (pg_blocking_pids, only for lock waiters). */
export const clientSessions: CatalogQuery<SessionRow> = {
  name: 'client-sessions',
  reads: 'pg_stat_activity',
  text: tagged(
    'client-sessions',
    `SELECT a.pid, a.datname::text AS datname, a.usename::text AS usename, a.application_name,
       host(a.client_addr) AS client_addr, a.state, a.wait_event_type, a.wait_event,
       extract(epoch FROM now() - a.backend_start)::float8 AS backend_seconds,
       extract(epoch FROM now() - a.xact_start)::float8 AS transaction_seconds,
       extract(epoch FROM now() - a.query_start)::float8 AS query_seconds,
       extract(epoch FROM now() - a.state_change)::float8 AS state_seconds,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_catalog.pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
       left(a.query, 2048) AS query,
       a.pid = pg_catalog.pg_backend_pid() AS own
     FROM pg_catalog.pg_stat_activity a
     WHERE a.backend_type = 'client backend'
     ORDER BY a.xact_start NULLS LAST, a.pid`,
  ),
  row: z.object({
    pid: numeric,
    datname: z.string().nullable(),
    usename: z.string().nullable(),
    application_name: z.string().nullable(),
    client_addr: z.string().nullable(),
    state: z.string().nullable(),
    wait_event_type: z.string().nullable(),
    wait_event: z.string().nullable(),
    backend_seconds: numeric.nullable(),
    transaction_seconds: numeric.nullable(),
    query_seconds: numeric.nullable(),
    state_seconds: numeric.nullable(),
    blocked_by: z.array(numeric),
    query: z.string().nullable(),
    own: z.boolean(),
  }),
};

/** One lock a session waits for. */
export interface WaitingLockRow {
  pid: number;
  locktype: string;
  mode: string;
  relation: string | null;
  datname: string | null;
}

/** The lock requests not yet granted, with the relation they concern. */
export const waitingLocks: CatalogQuery<WaitingLockRow> = {
  name: 'waiting-locks',
  reads: 'pg_locks',
  text: tagged(
    'waiting-locks',
    `SELECT l.pid, l.locktype, l.mode, l.relation::regclass::text AS relation, d.datname::text AS datname
     FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_database d ON d.oid = l.database
     WHERE NOT l.granted ORDER BY l.pid`,
  ),
  row: z.object({
    pid: numeric,
    locktype: z.string(),
    mode: z.string(),
    relation: z.string().nullable(),
    datname: z.string().nullable(),
  }),
};

/** One group of {@link lockSummary}. */
export interface LockSummaryRow {
  locktype: string;
  mode: string;
  granted: boolean;
  count: number;
}

/** Every lock but the connector's own, counted by type, mode and whether it is granted. */
export const lockSummary: CatalogQuery<LockSummaryRow> = {
  name: 'lock-summary',
  reads: 'pg_locks',
  text: tagged(
    'lock-summary',
    `SELECT locktype, mode, granted, count(*)::int AS count FROM pg_catalog.pg_locks
     WHERE pid IS DISTINCT FROM pg_catalog.pg_backend_pid()
     GROUP BY locktype, mode, granted ORDER BY count(*) DESC, locktype, mode`,
  ),
  row: z.object({ locktype: z.string(), mode: z.string(), granted: z.boolean(), count: numeric }),
};

/**
 * Runs a catalog query on the session and validates its rows.
 *
 * @param session - the persistent session
 * @param query - the query
 * @param signal - aborts it
 * @param connector - the connector's name, for errors
 * @param values - its parameters
 * @throws {@link ConnectorError} when the query fails or its rows are not what the view returns
 */
export async function readCatalog<Row>(
  session: PostgresSession,
  query: CatalogQuery<Row>,
  signal: AbortSignal,
  connector: string,
  values?: readonly unknown[],
): Promise<Row[]> {
  const rows = await session.query(query.text, values, query.reads, signal);
  const parsed = z.array(query.row).safeParse(rows);
  if (parsed.success) return parsed.data;
  throw new ConnectorError(
    connector,
    `${moduleName}: unexpected rows from ${query.reads} (${query.name}): ${formatInputIssues(toInputIssues(parsed.error)).slice(0, 300)}: the server is not a PostgreSQL 10+ or a proxy changed the answer`,
    { cause: parsed.error },
  );
}
