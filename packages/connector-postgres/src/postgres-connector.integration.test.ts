// Every capability against a real PostgreSQL (docs/lab.md: AISRE_LAB_POSTGRES_URL): real sessions idle in a
// transaction, a real lock wait with a two-level blocking chain, pg_stat_database, settings, long transactions,
// and the actuator's dry run then a real termination.
import {
  createBudget,
  createCallContext,
  createManualClock,
  type MetricSeries,
  type ToolResult,
} from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backendPid,
  contentionTable,
  LabSessions,
  labPostgresUrl,
  prepareContentionTable,
  waitFor,
} from './integration/lab-sessions';
import { createPostgresConnector } from './postgres-connector';
import type { PostgresConnector, PostgresConnectorOptions } from './types';

const entity = 'postgres:lab/db' as const;
const opened: PostgresConnector[] = [];

function connectTo(options: PostgresConnectorOptions = {}): PostgresConnector {
  const connector = createPostgresConnector({ connectionString: labPostgresUrl, entity, ...options });
  opened.push(connector);
  return connector;
}

afterAll(async () => {
  await Promise.all(opened.splice(0).map((connector) => connector.close()));
});

const conformanceEnd = Date.now();
describeConnectorConformance({
  name: 'postgres (real server)',
  create: () => connectTo({ clock: createManualClock(conformanceEnd) }),
  window: { start: conformanceEnd - 60_000, end: conformanceEnd },
  entity,
  actuatorAction: { type: 'postgres.terminate-idle', target: entity, parameters: { olderThanSeconds: 60 } },
});

const context = createCallContext();
const budget = createBudget(
  { wallTimeMs: 60_000, toolCalls: 100, modelTokens: 0, costUsd: 0 },
  context.clock,
);

async function runTool(connector: PostgresConnector, name: string, input: unknown = {}): Promise<ToolResult> {
  const tool = connector.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.run(input, { ...context, budget });
}

/** Reads the server now, then the newest value of one series (a query's own reading is stamped after its end). */
async function latest(
  connector: PostgresConnector,
  metric: string,
  labels: Record<string, string>,
): Promise<number | null> {
  await connector.sampler.sample(context);
  const series: MetricSeries[] =
    (await connector.capabilities.metrics?.range(
      { metric, entity, labels, start: Date.now() - 60_000, end: Date.now() },
      context,
    )) ?? [];
  expect(series, `${metric}${JSON.stringify(labels)}`).toHaveLength(1);
  return series[0]?.points.at(-1)?.[1] ?? null;
}

describe('against a real PostgreSQL', () => {
  const sessions = new LabSessions();
  let observer: pg.Client;

  beforeAll(async () => {
    observer = await new LabSessions().open('it-observer');
    await prepareContentionTable(observer);
  });

  afterEach(async () => {
    await sessions.closeAll();
  });

  afterAll(async () => {
    await observer.end();
  });

  it('reads real activity states: idle, active, idle in transaction', async () => {
    const connector = connectTo({ sampling: { freshnessMs: 0 } });
    const { pid } = await sessions.idleInTransaction('it-billing');
    await sessions.open('it-idle');
    expect(
      await latest(connector, 'pg_stat_activity_count', {
        datname: 'postgres',
        state: 'idle in transaction',
      }),
    ).toBe(1);
    expect(
      await latest(connector, 'pg_stat_activity_count', { datname: 'postgres', state: 'active' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await latest(connector, 'pg_stat_activity_count', { datname: 'postgres', state: 'idle' }),
    ).toBeGreaterThanOrEqual(2);
    expect(await latest(connector, 'pg_settings_max_connections', {})).toBe(20);
    const activity = await runTool(connector, 'postgres_activity');
    expect(activity.text).toContain(
      `pid ${pid} (app it-billing, user postgres, db postgres): idle in transaction`,
    );
    expect(activity.text).toContain("note = '…'");
    expect(activity.text).not.toContain('4111');
  });

  it('reads a real lock wait and its blocking chain, in metrics, tools and logs', async () => {
    const connector = connectTo({ sampling: { freshnessMs: 0 }, thresholds: { lockWaitSeconds: 0 } });
    const holder = await sessions.idleInTransaction('it-holder');
    const first = await sessions.waitingUpdate('it-waiter-1', observer);
    const second = await sessions.waitingUpdate('it-waiter-2', observer);
    expect(await latest(connector, 'pg_stat_activity_waiting_count', { datname: 'postgres' })).toBe(2);
    expect(
      await latest(connector, 'pg_locks_count', { datname: 'postgres', mode: 'rowexclusivelock' }),
    ).toBeGreaterThanOrEqual(3);
    const locks = await runTool(connector, 'postgres_locks');
    const chains = (
      locks.data as {
        chains: { blocker: { pid: number }; waiters: { session: { pid: number }; depth: number }[] }[];
      }
    ).chains;
    expect(chains).toHaveLength(1);
    expect(chains[0]?.blocker.pid).toBe(holder.pid);
    expect(chains[0]?.waiters.map((waiter) => [waiter.session.pid, waiter.depth])).toEqual([
      [first.pid, 1],
      [second.pid, 2],
    ]);
    expect(locks.text).toContain(`[wants ShareLock on transactionid]`);
    expect(locks.text).toContain(`[wants ExclusiveLock on tuple ${contentionTable}]`);
    const records =
      (await connector.capabilities.logs?.search({ start: Date.now() - 60_000, end: Date.now() }, context)) ??
      [];
    const waits = records.filter((record) => record.attributes.event === 'lock-wait');
    expect(waits.map((record) => record.attributes.pid).sort()).toEqual([first.pid, second.pid].sort());
    expect(waits.every((record) => record.attributes.chainHead === holder.pid)).toBe(true);
    await holder.client.query('ROLLBACK');
    await Promise.all([first.done, second.done]);
  });

  it('reads pg_stat_database, with counters as rates between readings', async () => {
    const connector = connectTo();
    const client = await sessions.open('it-writer');
    const commits = async () =>
      Number(
        (await observer.query("SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")).rows[0]
          ?.xact_commit,
      );
    await connector.sampler.sample(context);
    const before = await commits();
    for (let index = 0; index < 50; index += 1) await client.query('SELECT 1');
    // Backends flush their statistics when idle, at most once a second (PostgreSQL 15).
    await waitFor(async () => (await commits()) >= before + 50, 'the commits to reach pg_stat_database');
    await connector.sampler.sample(context);
    const [series] =
      (await connector.capabilities.metrics?.range(
        {
          metric: 'pg_stat_database_xact_commit',
          labels: { datname: 'postgres' },
          start: Date.now() - 60_000,
          end: Date.now(),
        },
        context,
      )) ?? [];
    const [first, second] = series?.points.slice(-2) ?? [];
    expect(series?.unit).toBe('transactions/s');
    expect(first?.[1]).toBeNull();
    const increase = ((second?.[1] ?? 0) * ((second?.[0] ?? 0) - (first?.[0] ?? 0))) / 1000;
    expect(increase).toBeGreaterThanOrEqual(50);
    expect(
      await latest(connector, 'pg_stat_database_numbackends', { datname: 'postgres' }),
    ).toBeGreaterThanOrEqual(3);
    const stats = await runTool(connector, 'postgres_database_stats', { database: 'postgres' });
    expect(stats.text).toMatch(
      /^postgres: \d+ backends, \d+ commits, \d+ rollbacks, cache hit [0-9.]+, \d+ deadlocks/m,
    );
  });

  it('reads settings by name', async () => {
    const connector = connectTo();
    const result = await runTool(connector, 'postgres_settings', {
      names: ['max_connections', 'statement_timeout', 'no_such_setting'],
    });
    expect(result.text.split('\n')).toEqual([
      'max_connections = 20 (command line)',
      // The connector's own session runs with statement_timeout 5000: the tool shows the server's value.
      'statement_timeout = 0 ms (server value (the connector overrides it for itself))',
      'unknown settings: no_such_setting',
    ]);
  });

  it('finds long transactions and reports them as records', async () => {
    const connector = connectTo({
      thresholds: { longTransactionSeconds: 0.5, idleInTransactionSeconds: 0.5 },
    });
    const long = await sessions.open('it-report');
    await long.query('BEGIN');
    await long.query('SELECT count(*) FROM pg_class');
    const pid = await backendPid(long);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const result = await runTool(connector, 'postgres_long_transactions', { olderThanSeconds: 0.5 });
    expect(result.text.split('\n')[0]).toBe('postgres:lab/db: 1 transaction(s) open longer than 0.5 s');
    expect(result.text).toContain(`pid ${pid} (app it-report`);
    const records =
      (await connector.capabilities.logs?.search({ start: Date.now() - 60_000, end: Date.now() }, context)) ??
      [];
    expect(records.find((record) => record.attributes.pid === pid)?.message).toMatch(
      new RegExp(`^process ${pid} is idle in transaction for \\d`),
    );
  });

  it('shows connection use against max_connections', async () => {
    const connector = connectTo();
    for (let index = 0; index < 3; index += 1) await sessions.open(`it-pool-${index}`);
    const result = await runTool(connector, 'postgres_connections');
    const data = result.data as {
      used: number;
      maxConnections: number;
      byApplication: Record<string, number>;
    };
    expect(data.maxConnections).toBe(20);
    expect(data.used).toBeGreaterThanOrEqual(5);
    expect(data.byApplication['it-pool-0']).toBe(1);
  });

  it('dry-runs the termination, then really terminates only the session idle in a transaction', async () => {
    const connector = connectTo();
    const idle = await sessions.idleInTransaction('it-leaky');
    const busy = await sessions.open('it-busy');
    const busyPid = await backendPid(busy);
    await busy.query('BEGIN');
    const sleeping = busy.query('SELECT pg_sleep(3)');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const actuator = connector.capabilities.actuator;
    if (!actuator) throw new Error('no actuator');
    const action = { type: 'postgres.terminate-idle', target: entity, parameters: { olderThanSeconds: 0.2 } };
    const dryRun = await actuator.apply(action, { dryRun: true }, context);
    expect(dryRun).toMatchObject({ applied: false, dryRun: true, details: { wouldTerminate: [idle.pid] } });
    const stillThere = await observer.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [idle.pid]);
    expect(stillThere.rows[0]?.state).toBe('idle in transaction');
    const applied = await actuator.apply(action, { dryRun: false }, context);
    expect(applied).toMatchObject({ applied: true, dryRun: false, details: { terminated: [idle.pid] } });
    expect(applied.summary).toBe(
      `terminated 1 session(s) of postgres:lab/db idle in a transaction for over 0.2 s: ${idle.pid}`,
    );
    await waitFor(async () => {
      const { rows } = await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [idle.pid]);
      return rows.length === 0;
    }, `pid ${idle.pid} to exit`);
    await expect(idle.client.query('SELECT 1')).rejects.toThrow();
    await sleeping;
    expect((await busy.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid).toBe(busyPid);
    const again = await actuator.apply(action, { dryRun: false }, context);
    expect(again).toMatchObject({ applied: false, details: { terminated: [] } });
    expect((await connector.capabilities.metrics?.list({}, context))?.length).toBeGreaterThan(0);
  });
});
