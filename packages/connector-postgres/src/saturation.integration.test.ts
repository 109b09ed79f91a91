// A real saturation: hold connections until max_connections - 2 client backends are in use, show that the
// metrics and tools report it, that one connection beyond the limit is refused with 53300, that the
// connector's persistent connection still reads, and that a connector without one says why it cannot.
import { ConnectorError, createBudget, createCallContext } from '@aisre/core';
import { afterAll, describe, expect, it } from 'vitest';
import { LabSessions, labPostgresUrl } from './integration/lab-sessions';
import { createPostgresConnector } from './postgres-connector';
import type { PostgresConnector } from './types';

const entity = 'postgres:lab/db' as const;
const context = createCallContext();
const budget = createBudget(
  { wallTimeMs: 60_000, toolCalls: 100, modelTokens: 0, costUsd: 0 },
  context.clock,
);
const held = new LabSessions();
const connectors: PostgresConnector[] = [];

afterAll(async () => {
  await held.closeAll();
  await Promise.all(connectors.map((connector) => connector.close()));
});

async function latest(connector: PostgresConnector, metric: string, labels: Record<string, string> = {}) {
  await connector.sampler.sample(context);
  const series =
    (await connector.capabilities.metrics?.range(
      { metric, entity, labels, start: Date.now() - 600_000, end: Date.now() },
      context,
    )) ?? [];
  expect(series, metric).toHaveLength(1);
  return series[0]?.points.at(-1)?.[1] ?? Number.NaN;
}

async function connectionsTool(connector: PostgresConnector) {
  const tool = connector.tools.find((candidate) => candidate.name === 'postgres_connections');
  if (!tool) throw new Error('no postgres_connections tool');
  return tool.run({}, { ...context, budget });
}

describe('a saturated server', () => {
  it('is observed through the persistent connection while new connections get 53300', async () => {
    const connector = createPostgresConnector({ connectionString: labPostgresUrl, entity });
    connectors.push(connector);
    await connector.connect();
    const max = await latest(connector, 'pg_settings_max_connections');
    const target = max - 2;
    let used = await latest(connector, 'pg_connections_used');
    while (used < target) {
      await held.open(`fault-idle-${held.count}`);
      used += 1;
    }
    expect(await latest(connector, 'pg_connections_used')).toBe(target);
    const numbackends = await latest(connector, 'pg_stat_database_numbackends', { datname: 'postgres' });
    // What the saturation pattern reads: the fullest database against max_connections, above 85 %.
    expect(numbackends / max).toBeGreaterThanOrEqual(0.85);
    expect(
      await latest(connector, 'pg_stat_activity_count', { datname: 'postgres', state: 'idle' }),
    ).toBeGreaterThanOrEqual(held.count);
    const report = await connectionsTool(connector);
    expect(report.text.split('\n')[0]).toBe(
      `${entity}: ${target} of ${max} connections in use (${Math.round((target / max) * 100)} %), the connector's own included`,
    );
    const data = report.data as { connectorIsSuperuser: boolean; reserved: number };
    // A superuser may use every slot; other roles stop short of the reserved ones.
    const slotsLeft = data.connectorIsSuperuser ? max - target : Math.max(0, max - data.reserved - target);
    for (let index = 0; index < slotsLeft; index += 1) await held.open(`fault-extra-${index}`);
    let refusal: unknown;
    try {
      await held.open('fault-one-too-many');
    } catch (error) {
      refusal = error;
    }
    expect((refusal as { code?: string } | undefined)?.code).toBe('53300');
    expect(String((refusal as Error).message)).toMatch(/too many clients|remaining connection slots/);

    // The persistent connection still reads, and sees every slot taken.
    expect(await latest(connector, 'pg_connections_used')).toBe(target + slotsLeft);
    expect((await connectionsTool(connector)).text).toContain(
      `${target + slotsLeft} of ${max} connections in use`,
    );
    expect(
      await connector.capabilities.logs?.search({ start: Date.now() - 60_000, end: Date.now() }, context),
    ).toEqual(expect.any(Array));

    // A connector that did not hold a connection cannot open one, and says why.
    const late = createPostgresConnector({ connectionString: labPostgresUrl, entity, connectAtStart: false });
    connectors.push(late);
    let failure: unknown;
    try {
      await late.capabilities.metrics?.list({}, context);
    } catch (error) {
      failure = error;
    }
    expect(ConnectorError.isInstance(failure)).toBe(true);
    expect((failure as ConnectorError).isRetryable).toBe(true);
    expect((failure as Error).message).toMatch(
      /^connector-postgres: cannot open a connection to .*: the server refuses new connections \(53300 .*\): it is saturated\./,
    );

    // Once the connections are released, the late connector reads and keeps the refusal as a record.
    await held.closeAll();
    await late.sampler.sample(context);
    const records =
      (await late.capabilities.logs?.search({ start: Date.now() - 60_000, end: Date.now() }, context)) ?? [];
    expect(records.filter((record) => record.attributes.code === '53300')).toHaveLength(1);
  });
});
