// One metric reading of the server: the current values of the statistics views, named as postgres_exporter
// names them (so a direct connection is read the same way as Prometheus's exporter and as the mock connector),
// plus the few values the exporter lacks (lock waiters, client backends against max_connections).
import type { EntityRef, Labels, MetricReading, MetricType } from '@aisre/core';
import {
  activityByState,
  connectionUse,
  type DatabaseStatisticColumn,
  databaseStatisticColumns,
  databaseStatistics,
  lockCounts,
  readCatalog,
  type SettingRow,
  settingsForMetrics,
} from './catalog-queries';
import type { PostgresSession } from './postgres-session';

/** The settings served as `pg_settings_*` metrics unless the options name others. */
export const defaultMetricSettings: readonly string[] = [
  'max_connections',
  'superuser_reserved_connections',
  'reserved_connections',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
  'statement_timeout',
  'lock_timeout',
  'deadlock_timeout',
  'max_locks_per_transaction',
  'shared_buffers',
  'work_mem',
];

const statisticUnits: Record<DatabaseStatisticColumn, { unit: string; help: string }> = {
  numbackends: { unit: 'connections', help: 'Backends connected to this database (pg_stat_database).' },
  xact_commit: { unit: 'transactions/s', help: 'Transactions committed (pg_stat_database).' },
  xact_rollback: { unit: 'transactions/s', help: 'Transactions rolled back (pg_stat_database).' },
  blks_read: { unit: 'blocks/s', help: 'Disk blocks read (pg_stat_database).' },
  blks_hit: { unit: 'blocks/s', help: 'Disk blocks found in the buffer cache (pg_stat_database).' },
  tup_returned: { unit: 'rows/s', help: 'Rows returned by queries (pg_stat_database).' },
  tup_fetched: { unit: 'rows/s', help: 'Rows fetched by queries (pg_stat_database).' },
  tup_inserted: { unit: 'rows/s', help: 'Rows inserted (pg_stat_database).' },
  tup_updated: { unit: 'rows/s', help: 'Rows updated (pg_stat_database).' },
  tup_deleted: { unit: 'rows/s', help: 'Rows deleted (pg_stat_database).' },
  conflicts: { unit: 'queries/s', help: 'Queries cancelled by recovery conflicts (pg_stat_database).' },
  temp_files: { unit: 'files/s', help: 'Temporary files created (pg_stat_database).' },
  temp_bytes: { unit: 'bytes/s', help: 'Data written to temporary files (pg_stat_database).' },
  deadlocks: { unit: 'deadlocks/s', help: 'Deadlocks detected (pg_stat_database).' },
  blk_read_time: { unit: 'milliseconds/s', help: 'Time spent reading blocks (pg_stat_database).' },
  blk_write_time: { unit: 'milliseconds/s', help: 'Time spent writing blocks (pg_stat_database).' },
  sessions: { unit: 'sessions/s', help: 'Sessions established (pg_stat_database).' },
  sessions_abandoned: { unit: 'sessions/s', help: 'Sessions ended by a lost client (pg_stat_database).' },
  sessions_fatal: { unit: 'sessions/s', help: 'Sessions ended by a fatal error (pg_stat_database).' },
  sessions_killed: { unit: 'sessions/s', help: 'Sessions terminated by an operator (pg_stat_database).' },
};

const timeFactors: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86_400 };
const byteFactors: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A numeric setting as postgres_exporter serves it: its name with `_seconds`/`_bytes`, and the converted value. */
export interface SettingMetric {
  /** `pg_settings_<name>[_seconds|_bytes]`. */
  metric: string;
  /** The value in seconds, bytes or as is (`on` → 1). */
  value: number;
  /** `seconds`, `bytes`, or what the setting counts. */
  unit: string;
}

/**
 * Converts a pg_settings row the way postgres_exporter does: booleans to 1/0, time units to seconds and memory
 * units (`8kB` pages included) to bytes; `undefined` for text and enum settings.
 *
 * @param row - the pg_settings row
 */
export function settingMetric(row: SettingRow): SettingMetric | undefined {
  const base = `pg_settings_${row.name.replace(/\./g, '_')}`;
  if (row.vartype === 'bool') {
    if (row.setting !== 'on' && row.setting !== 'off') return undefined;
    return { metric: base, value: row.setting === 'on' ? 1 : 0, unit: 'boolean' };
  }
  if (row.vartype !== 'integer' && row.vartype !== 'real') return undefined;
  const raw = Number(row.setting);
  if (row.setting === null || !Number.isFinite(raw)) return undefined;
  const match = /^(\d*)([a-zA-Z]+)$/.exec(row.unit ?? '');
  if (!match)
    return { metric: base, value: raw, unit: row.name.includes('connections') ? 'connections' : '' };
  const multiple = match[1] ? Number(match[1]) : 1;
  const unit = match[2] as string;
  const time = timeFactors[unit];
  if (time !== undefined)
    return { metric: `${base}_seconds`, value: raw > 0 ? raw * multiple * time : raw, unit: 'seconds' };
  const bytes = byteFactors[unit];
  if (bytes !== undefined)
    return { metric: `${base}_bytes`, value: raw > 0 ? raw * multiple * bytes : raw, unit: 'bytes' };
  return { metric: base, value: raw, unit };
}

interface ReadingBuilder {
  add(name: string, labels: Labels, type: MetricType, unit: string, help: string, value: number | null): void;
  readings: MetricReading[];
}

function readingBuilder(entity: EntityRef): ReadingBuilder {
  const readings: MetricReading[] = [];
  return {
    readings,
    add(name, labels, type, unit, help, value) {
      readings.push({ descriptor: { name, entity, type, unit, labels, help }, value });
    },
  };
}

/** What one metric reading needs. */
export interface MetricReadingSource {
  /** The persistent session. */
  session: PostgresSession;
  /** The connector's name, for errors. */
  connector: string;
  /** The entity the server is. */
  entity: EntityRef;
  /** The settings to serve. */
  settings: readonly string[];
}

/**
 * Reads every metric's current value: sessions by database and state, the oldest transaction, lock waiters,
 * pg_stat_database, locks by mode, the settings, and client backends against `max_connections`.
 *
 * @param source - the session, the entity and the settings to read
 * @param signal - aborts the reading
 */
export async function readMetricReadings(
  source: MetricReadingSource,
  signal: AbortSignal,
): Promise<MetricReading[]> {
  const { session, connector, entity } = source;
  const builder = readingBuilder(entity);
  const activity = await readCatalog(session, activityByState, signal, connector);
  const waitingByDatabase = new Map<string, number>();
  for (const row of activity) {
    const labels = { datname: row.datname, state: row.state };
    builder.add(
      'pg_stat_activity_count',
      labels,
      'gauge',
      'connections',
      'Sessions in this state (pg_stat_activity).',
      row.count,
    );
    builder.add(
      'pg_stat_activity_max_tx_duration',
      labels,
      'gauge',
      'seconds',
      'Age of the oldest open transaction of the sessions in this state (pg_stat_activity).',
      row.max_tx_duration,
    );
    waitingByDatabase.set(row.datname, (waitingByDatabase.get(row.datname) ?? 0) + row.waiting);
  }
  for (const [datname, waiting] of waitingByDatabase) {
    builder.add(
      'pg_stat_activity_waiting_count',
      { datname },
      'gauge',
      'connections',
      'Sessions waiting on a lock (pg_stat_activity wait_event_type Lock).',
      waiting,
    );
  }
  const [use] = await readCatalog(session, connectionUse, signal, connector);
  if (use) {
    builder.add(
      'pg_connections_used',
      {},
      'gauge',
      'connections',
      'Client backends of every database: what counts against max_connections.',
      use.client_backends,
    );
  }
  if (source.settings.length > 0) {
    for (const row of await readCatalog(session, settingsForMetrics(source.settings), signal, connector)) {
      const metric = settingMetric(row);
      if (metric)
        builder.add(
          metric.metric,
          {},
          'gauge',
          metric.unit,
          row.short_desc ?? `The ${row.name} setting.`,
          metric.value,
        );
    }
  }
  for (const row of await readCatalog(session, databaseStatistics, signal, connector)) {
    for (const [column, value] of Object.entries(row.values) as [DatabaseStatisticColumn, number][]) {
      const { unit, help } = statisticUnits[column];
      builder.add(
        `pg_stat_database_${column}`,
        { datname: row.datname },
        databaseStatisticColumns[column],
        unit,
        help,
        value,
      );
    }
  }
  for (const row of await readCatalog(session, lockCounts, signal, connector)) {
    builder.add(
      'pg_locks_count',
      { datname: row.datname, mode: row.mode },
      'gauge',
      'locks',
      'Locks held or awaited, by mode (pg_locks).',
      row.count,
    );
  }
  return builder.readings;
}
