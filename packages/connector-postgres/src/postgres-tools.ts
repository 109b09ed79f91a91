// The model-callable tools: small text outputs a model reads, structured data for programs. Statement texts are
// redacted (session-analysis), and settings that can hold credentials are never shown.
import {
  type AnyTool,
  type JsonValue,
  parseWith,
  type Tool,
  type ToolContext,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';
import {
  connectionUse,
  databaseStatistics,
  lockSummary,
  type SettingRow,
  settingsByName,
} from './catalog-queries';
import { moduleName } from './postgres-errors';
import type { PostgresReader } from './postgres-reader';
import { describeChain, describeSession, type SessionSummary } from './session-analysis';

const limitSchema = z.number().int().min(1).max(50).optional();
const databaseSchema = z.string().min(1).max(63).optional();

function tool<Input>(definition: Tool<Input, JsonValue>): AnyTool {
  return {
    ...definition,
    run: async (input: unknown, context: ToolContext) => {
      throwIfAborted(context.signal, `${moduleName}: tool ${definition.name}`);
      const valid = parseWith(definition.input, input, `${moduleName}: tool ${definition.name} input`);
      return definition.run(valid, context);
    },
  };
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

function countBy(
  sessions: readonly SessionSummary[],
  key: (session: SessionSummary) => string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const session of sessions) counts[key(session)] = (counts[key(session)] ?? 0) + 1;
  return Object.fromEntries(
    Object.entries(counts).sort(
      ([leftName, left], [rightName, right]) => right - left || (leftName < rightName ? -1 : 1),
    ),
  );
}

const formatCounts = (counts: Record<string, number>, top = 8) =>
  Object.entries(counts)
    .slice(0, top)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ') || 'none';

/** Busiest first: waiting, then idle in a transaction, then active, oldest transaction first; idle last. */
function busiestFirst(sessions: readonly SessionSummary[]): SessionSummary[] {
  const rank = (session: SessionSummary) =>
    session.waiting
      ? 0
      : session.state?.startsWith('idle in transaction')
        ? 1
        : session.state === 'active'
          ? 2
          : 3;
  return [...sessions].sort(
    (left, right) =>
      rank(left) - rank(right) ||
      (right.transactionSeconds ?? -1) - (left.transactionSeconds ?? -1) ||
      left.pid - right.pid,
  );
}

const sensitiveSetting = /(password|passphrase|secret|conninfo|_command$|^ssl_.*key)/;

/** A setting's value as the tools show it: `(hidden)` for the settings that can hold credentials. */
export function shownSettingValue(row: SettingRow): string | null {
  return sensitiveSetting.test(row.name) ? '(hidden: may hold credentials)' : row.setting;
}

/**
 * The tools of the connector.
 *
 * @param reader - the session and the server's identity
 */
export function createPostgresTools(reader: PostgresReader): AnyTool[] {
  const { entity } = reader;

  const activity = tool({
    name: 'postgres_activity',
    description:
      'Summarise the sessions of the PostgreSQL server (pg_stat_activity): counts by state and database, sessions waiting on locks, the longest transaction, and the busiest sessions with their (redacted) statements. Use it first when a database is slow or refuses connections.',
    input: z.strictObject({ database: databaseSchema, limit: limitSchema }),
    async run(input, context) {
      const [use] = await reader.read(connectionUse, context.signal);
      const all = (await reader.sessions(context.signal)).sessions;
      const sessions = input.database ? all.filter((session) => session.database === input.database) : all;
      const byState = countBy(sessions, (session) => session.state ?? 'hidden');
      const byDatabase = countBy(sessions, (session) => session.database ?? '(none)');
      const waiting = sessions.filter((session) => session.waiting).length;
      const longest = [...sessions].sort(
        (l, r) => (r.transactionSeconds ?? -1) - (l.transactionSeconds ?? -1),
      )[0];
      const shown = busiestFirst(sessions).slice(0, input.limit ?? 10);
      const max = use?.max_connections ?? 0;
      const used = use?.client_backends ?? 0;
      const lines = [
        `${entity}: ${used} of max_connections ${max} client connections in use (${percent(used, max)} %), the connector's own included`,
        `${input.database ? `database ${input.database}: ` : ''}${sessions.length} other sessions by state: ${formatCounts(byState)}`,
        `by database: ${formatCounts(byDatabase)}`,
        `waiting on locks: ${waiting}; longest transaction: ${longest?.transactionSeconds != null ? `${longest.transactionSeconds} s (pid ${longest.pid}, ${longest.state ?? 'state hidden'})` : 'none open'}`,
        ...(shown.length > 0
          ? ['busiest sessions:', ...shown.map((session) => `  ${describeSession(session)}`)]
          : []),
      ];
      return {
        text: lines.join('\n'),
        data: {
          entity,
          clientConnections: used,
          maxConnections: max,
          byState,
          byDatabase,
          waitingOnLocks: waiting,
          longestTransactionSeconds: longest?.transactionSeconds ?? null,
          sessions: shown,
        },
      };
    },
  });

  const locks = tool({
    name: 'postgres_locks',
    description:
      'Show the locks of the PostgreSQL server (pg_locks) by type and mode, granted or awaited, and the blocking chains (pg_blocking_pids): which session blocks which, and what each waiter wants. Use it when queries are slow or hang.',
    input: z.strictObject({ limit: limitSchema }),
    async run(input, context) {
      const summary = await reader.read(lockSummary, context.signal);
      const { chains } = await reader.sessions(context.signal);
      const awaited = summary.filter((row) => !row.granted).reduce((sum, row) => sum + row.count, 0);
      const granted = summary.filter((row) => row.granted).reduce((sum, row) => sum + row.count, 0);
      const shownChains = chains.slice(0, input.limit ?? 10);
      const lines = [
        `${entity}: ${granted} locks granted, ${awaited} awaited`,
        ...summary
          .slice(0, 12)
          .map((row) => `  ${row.count} × ${row.mode} on ${row.locktype}${row.granted ? '' : ' (awaited)'}`),
        chains.length === 0 ? 'no blocking chains' : `${chains.length} blocking chain(s):`,
        ...shownChains.flatMap((chain) => describeChain(chain).map((line) => `  ${line}`)),
      ];
      return {
        text: lines.join('\n'),
        data: {
          entity,
          granted,
          awaited,
          locks: summary.map((row) => ({ ...row })),
          chains: shownChains,
        },
      };
    },
  });

  const databaseStats = tool({
    name: 'postgres_database_stats',
    description:
      'Show pg_stat_database per database: connected backends, commits and rollbacks, buffer cache hit ratio, deadlocks, temporary files and recovery conflicts, cumulative since the statistics were last reset.',
    input: z.strictObject({ database: databaseSchema }),
    async run(input, context) {
      const rows = (await reader.read(databaseStatistics, context.signal)).filter(
        (row) => !input.database || row.datname === input.database,
      );
      const data = rows.map((row) => {
        const { values } = row;
        const reads = (values.blks_read ?? 0) + (values.blks_hit ?? 0);
        return {
          database: row.datname,
          backends: values.numbackends ?? null,
          commits: values.xact_commit ?? null,
          rollbacks: values.xact_rollback ?? null,
          cacheHitRatio: reads > 0 ? Math.round(((values.blks_hit ?? 0) / reads) * 1000) / 1000 : null,
          deadlocks: values.deadlocks ?? null,
          tempFiles: values.temp_files ?? null,
          tempBytes: values.temp_bytes ?? null,
          conflicts: values.conflicts ?? null,
          sessionsKilled: values.sessions_killed ?? null,
          statsAgeSeconds: row.stats_age_seconds === null ? null : Math.round(row.stats_age_seconds),
        };
      });
      const lines = data.map(
        (row) =>
          `${row.database}: ${row.backends} backends, ${row.commits} commits, ${row.rollbacks} rollbacks, cache hit ${row.cacheHitRatio ?? '?'}, ${row.deadlocks} deadlocks, ${row.tempFiles} temp files (${row.tempBytes} bytes), ${row.conflicts} conflicts${row.statsAgeSeconds === null ? '' : ` (since ${row.statsAgeSeconds} s)`}`,
      );
      return {
        text: [
          `${entity} pg_stat_database (cumulative):`,
          ...(lines.length > 0 ? lines : ['no such database']),
        ].join('\n'),
        data: { entity, databases: data },
      };
    },
  });

  const settings = tool({
    name: 'postgres_settings',
    description:
      'Read PostgreSQL settings by name (pg_settings): value, unit, where it was set, and whether a restart is pending. E.g. names ["max_connections", "idle_in_transaction_session_timeout", "statement_timeout"].',
    input: z.strictObject({
      names: z
        .array(z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'expected a setting name like max_connections'))
        .min(1)
        .max(50),
    }),
    async run(input, context) {
      const rows = await reader.read(settingsByName, context.signal, [[...input.names]]);
      const found = new Set(rows.map((row) => row.name));
      const unknown = input.names.filter((name) => !found.has(name));
      const data = rows.map((row) => ({
        name: row.name,
        value: shownSettingValue(row),
        unit: row.unit,
        source: row.source,
        pendingRestart: row.pending_restart,
      }));
      const lines = data.map(
        (row) =>
          `${row.name} = ${row.value ?? '(null)'}${row.unit ? ` ${row.unit}` : ''} (${row.source ?? 'unknown source'}${row.pendingRestart ? ', restart pending' : ''})`,
      );
      if (unknown.length > 0) lines.push(`unknown settings: ${unknown.join(', ')}`);
      return { text: lines.join('\n'), data: { entity, settings: data, unknown } };
    },
  });

  const longTransactions = tool({
    name: 'postgres_long_transactions',
    description: `List the sessions of the PostgreSQL server whose transaction has been open longer than olderThanSeconds (default ${reader.thresholds.longTransactionSeconds}), oldest first, with their state, what they wait for, who blocks them and their (redacted) statement.`,
    input: z.strictObject({ olderThanSeconds: z.number().positive().optional(), limit: limitSchema }),
    async run(input, context) {
      const threshold = input.olderThanSeconds ?? reader.thresholds.longTransactionSeconds;
      const { sessions } = await reader.sessions(context.signal);
      const long = sessions
        .filter((session) => (session.transactionSeconds ?? -1) >= threshold)
        .sort((left, right) => (right.transactionSeconds ?? 0) - (left.transactionSeconds ?? 0));
      const shown = long.slice(0, input.limit ?? 10);
      const lines = [
        `${entity}: ${long.length} transaction(s) open longer than ${threshold} s`,
        ...shown.map(
          (session) =>
            `  ${describeSession(session)}${session.blockedBy.length > 0 ? ` [blocked by ${session.blockedBy.join(', ')}]` : ''}`,
        ),
      ];
      return {
        text: lines.join('\n'),
        data: { entity, olderThanSeconds: threshold, count: long.length, sessions: shown },
      };
    },
  });

  const connections = tool({
    name: 'postgres_connections',
    description:
      'Show connection use of the PostgreSQL server against max_connections: client connections in use, slots reserved for superusers, what is left for other roles, and who holds the connections (by database, role, application and state).',
    input: z.strictObject({}),
    async run(_input, context) {
      const [use] = await reader.read(connectionUse, context.signal);
      const { sessions } = await reader.sessions(context.signal);
      const max = use?.max_connections ?? 0;
      const used = use?.client_backends ?? 0;
      const reserved = (use?.superuser_reserved_connections ?? 0) + (use?.reserved_connections ?? 0);
      const forOthers = Math.max(0, max - reserved - used);
      const byDatabase = countBy(sessions, (session) => session.database ?? '(none)');
      const byUser = countBy(sessions, (session) => session.user ?? '(hidden)');
      const byApplication = countBy(sessions, (session) => session.application || '(unnamed)');
      const byState = countBy(sessions, (session) => session.state ?? 'hidden');
      const lines = [
        `${entity}: ${used} of ${max} connections in use (${percent(used, max)} %), the connector's own included`,
        `reserved: ${reserved} (superuser_reserved_connections ${use?.superuser_reserved_connections ?? '?'}${use?.reserved_connections != null ? `, reserved_connections ${use.reserved_connections}` : ''}); left for roles without reserved slots: ${forOthers}`,
        `by database: ${formatCounts(byDatabase)}`,
        `by role: ${formatCounts(byUser)}`,
        `by application: ${formatCounts(byApplication)}`,
        `by state: ${formatCounts(byState)}`,
      ];
      return {
        text: lines.join('\n'),
        data: {
          entity,
          used,
          maxConnections: max,
          usage: max > 0 ? Math.round((used / max) * 1000) / 1000 : null,
          reserved,
          availableToOthers: forOthers,
          connectorIsSuperuser: use?.is_superuser ?? null,
          byDatabase,
          byUser,
          byApplication,
          byState,
        },
      };
    },
  });

  return [activity, locks, databaseStats, settings, longTransactions, connections];
}
