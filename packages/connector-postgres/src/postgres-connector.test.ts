import { builtInFailurePatterns, ConnectorError, type MetricSeries } from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { describe, expect, it } from 'vitest';
import { recordedSituation, replayingClients, type SituationName } from './fixtures/recorded-rows';
import { replayEntity as entity, replayNow as now, replayedConnector } from './fixtures/replayed-connector';
import type { PostgresConnectorOptions } from './types';

const connectorOn = (situation: SituationName, options: PostgresConnectorOptions = {}) =>
  replayedConnector(situation, options);

describeConnectorConformance({
  name: 'postgres (recorded rows)',
  create: () => connectorOn('contention').connector,
  window: { start: now - 60_000, end: now },
  entity,
  actuatorAction: { type: 'postgres.terminate-idle', target: entity, parameters: { olderThanSeconds: 60 } },
});

const lastValue = (series: MetricSeries[]) => series.map((one) => one.points.at(-1)?.[1]);

describe('createPostgresConnector metrics', () => {
  it('opens its persistent connection at creation, unless told not to', async () => {
    const eager = connectorOn('quiet');
    await eager.connector.connect();
    expect(eager.replay.clients).toHaveLength(1);
    const lazy = connectorOn('quiet', { connectAtStart: false });
    expect(lazy.replay.clients).toHaveLength(0);
    await lazy.connector.capabilities.metrics?.list({}, lazy.context);
    expect(lazy.replay.clients).toHaveLength(1);
  });

  it('serves a saturated server under the names postgres_exporter uses', async () => {
    const { connector, context } = connectorOn('saturation');
    const metrics = connector.capabilities.metrics;
    const range = (metric: string, labels?: Record<string, string>) =>
      metrics?.range(
        { metric, entity, start: now - 60_000, end: now, ...(labels ? { labels } : {}) },
        context,
      ) ?? [];
    expect(lastValue(await range('pg_settings_max_connections'))).toEqual([20]);
    expect(lastValue(await range('pg_settings_superuser_reserved_connections'))).toEqual([3]);
    expect(lastValue(await range('pg_connections_used'))).toEqual([18]);
    expect(lastValue(await range('pg_stat_database_numbackends', { datname: 'postgres' }))).toEqual([18]);
    expect(lastValue(await range('pg_stat_activity_count', { datname: 'postgres', state: 'idle' }))).toEqual([
      16,
    ]);
    const idleInTransaction = await range('pg_stat_activity_count', { state: 'idle in transaction' });
    expect(idleInTransaction.map((one) => [one.labels.datname, one.points.at(-1)?.[1]])).toEqual([
      ['postgres', 1],
      ['template0', 0],
      ['template1', 0],
    ]);
    const [oldest] = await range('pg_stat_activity_max_tx_duration', {
      datname: 'postgres',
      state: 'idle in transaction',
    });
    expect(oldest?.unit).toBe('seconds');
    expect(oldest?.points.at(-1)?.[1]).toBeGreaterThan(2);
    expect(lastValue(await range('pg_settings_shared_buffers_bytes'))).toEqual([128 * 1024 ** 2]);
    expect(lastValue(await range('pg_settings_deadlock_timeout_seconds'))).toEqual([1]);
    // The connector sets statement_timeout for its own session only: the server's value is served.
    expect(lastValue(await range('pg_settings_statement_timeout_seconds'))).toEqual([0]);
    const descriptors = (await metrics?.list({ entity }, context)) ?? [];
    expect(descriptors.every((descriptor) => descriptor.entity === entity)).toBe(true);
    expect(descriptors.filter((one) => one.name === 'pg_locks_count')).toHaveLength(27);
  });

  it('counts lock waiters and locks by mode during contention', async () => {
    const { connector, context } = connectorOn('contention');
    const range = (metric: string, labels: Record<string, string>) =>
      connector.capabilities.metrics?.range({ metric, labels, start: now - 1, end: now }, context) ?? [];
    expect(lastValue(await range('pg_stat_activity_waiting_count', { datname: 'postgres' }))).toEqual([2]);
    expect(
      lastValue(await range('pg_stat_activity_count', { datname: 'postgres', state: 'idle in transaction' })),
    ).toEqual([1]);
    const [rowExclusive] = await range('pg_locks_count', { datname: 'postgres', mode: 'rowexclusivelock' });
    expect(rowExclusive?.points.at(-1)?.[1]).toBeGreaterThanOrEqual(3);
  });

  it('keeps a history and serves counters as per-second rates between readings', async () => {
    const { connector, replay, clock, context } = connectorOn('quiet');
    await connector.sampler.sample(context);
    const before = recordedSituation('quiet').rows['database-statistics'] as {
      datname: string;
      xact_commit: string | number;
    }[];
    const after = structuredClone(before);
    const postgres = after.find((row) => row.datname === 'postgres');
    if (!postgres) throw new Error('recording has no postgres database');
    postgres.xact_commit = Number(postgres.xact_commit) + 500;
    replay.situation = {
      ...replay.situation,
      rows: { ...replay.situation.rows, 'database-statistics': after },
    };
    clock.advance(10_000);
    await connector.sampler.sample(context);
    expect(connector.sampler.readingCount).toBe(2);
    const [commits] =
      (await connector.capabilities.metrics?.range(
        {
          metric: 'pg_stat_database_xact_commit',
          labels: { datname: 'postgres' },
          start: now,
          end: now + 10_000,
        },
        context,
      )) ?? [];
    expect(commits?.unit).toBe('transactions/s');
    expect(commits?.points).toEqual([
      [now, null],
      [now + 10_000, 50],
    ]);
  });

  it('serves nothing for another entity, without reading the server', async () => {
    const { connector, replay, context } = connectorOn('quiet', { connectAtStart: false });
    const other = 'postgres:shop/other' as const;
    expect(await connector.capabilities.metrics?.list({ entity: other }, context)).toEqual([]);
    expect(
      await connector.capabilities.metrics?.range(
        { metric: 'pg_up', entity: other, start: 0, end: now },
        context,
      ),
    ).toEqual([]);
    expect(replay.queries).toHaveLength(0);
  });

  it('fails a reading of a saturated server with a retryable ConnectorError and keeps earlier readings', async () => {
    const refusal = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    const recording = replayingClients(recordedSituation('saturation'));
    const refusing = replayingClients(recordedSituation('saturation'), { connectError: refusal });
    let saturated = false;
    const { connector, clock, context } = connectorOn('saturation', {
      createClient: (config) => (saturated ? refusing : recording).createClient(config),
    });
    await connector.sampler.sample(context);
    saturated = true;
    recording.clients[0]?.drop(new Error('Connection terminated unexpectedly'));
    clock.advance(5000);
    let caught: unknown;
    try {
      await connector.capabilities.metrics?.range(
        { metric: 'pg_connections_used', start: now - 60_000, end: now + 5000 },
        context,
      );
    } catch (error) {
      caught = error;
    }
    expect(ConnectorError.isInstance(caught)).toBe(true);
    expect((caught as ConnectorError).isRetryable).toBe(true);
    expect((caught as Error).message).toMatch(
      /^connector-postgres: cannot open a connection to postgres@127\.0\.0\.1:5440\/postgres: the server refuses new connections \(53300 sorry, too many clients already\): it is saturated/,
    );
    expect(connector.sampler.readingCount).toBe(1);
    // The proactive re-open after the loss was still under way: the reading waited for it (one attempt, refused).
    expect(refusing.clients).toHaveLength(1);
    saturated = false;
    const records =
      (await connector.capabilities.logs?.search({ start: now, end: now + 5000 }, context)) ?? [];
    const refusals = records.filter((record) => record.attributes.event === 'connection-refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      level: 'error',
      message: 'could not connect to the server: sorry, too many clients already',
      attributes: { code: '53300', retryable: true },
    });
    const [used] =
      (await connector.capabilities.metrics?.range(
        { metric: 'pg_connections_used', start: now, end: now + 5000 },
        context,
      )) ?? [];
    expect(used?.points).toEqual([
      [now, 18],
      [now + 5000, 18],
    ]);
  });

  it('serves every postgres_exporter metric the built-in failure patterns read of a postgres', async () => {
    const { connector, context } = connectorOn('saturation');
    const descriptors = (await connector.capabilities.metrics?.list({}, context)) ?? [];
    const served = (metric: string, labels: Record<string, string> = {}) =>
      descriptors.some(
        (descriptor) =>
          descriptor.name === metric &&
          Object.entries(labels).every(([key, value]) => descriptor.labels[key] === value),
      );
    const wanted = builtInFailurePatterns
      .filter((pattern) => pattern.entityKinds.includes('postgres'))
      .flatMap((pattern) => pattern.metrics)
      .filter(
        (signature) => signature.on === 'self' && (signature.kinds ?? ['postgres']).includes('postgres'),
      )
      .flatMap((signature) => [
        { metric: signature.metric, labels: signature.labels },
        ...(signature.limit ? [{ metric: signature.limit.metric, labels: signature.limit.labels }] : []),
      ])
      // pg_stat_statements is an extension the server may not have; container and volume metrics come from Kubernetes.
      .filter(({ metric }) => metric.startsWith('pg_') && !metric.startsWith('pg_stat_statements'));
    expect(wanted.length).toBeGreaterThan(4);
    for (const { metric, labels } of wanted) expect(served(metric, labels), metric).toBe(true);
  });
});
