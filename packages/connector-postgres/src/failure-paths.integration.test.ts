// The failure paths against real servers: PostgreSQL down, a wrong password, a statement timeout (a catalog
// locked by another session, and pg_sleep on the session itself), an abort that cancels the statement on the
// server, the connector's backend terminated by an operator, a server that accepts and never answers, and
// answers no PostgreSQL gives.
import { CancelledError, ConnectorError, createBudget, createCallContext, silentLogger } from '@aisre/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveConnection } from './connection-options';
import {
  closedPort,
  type LoopbackServer,
  startFakePostgres,
  startSilentServer,
} from './integration/fake-servers';
import { LabSessions, labPostgresUrl, waitFor } from './integration/lab-sessions';
import { createPgClient } from './pg-client';
import { createPostgresConnector } from './postgres-connector';
import { PostgresSession } from './postgres-session';
import type { PostgresConnector, PostgresConnectorOptions } from './types';

const entity = 'postgres:lab/db' as const;
const context = createCallContext();
const opened: PostgresConnector[] = [];
const servers: LoopbackServer[] = [];
const sessions = new LabSessions();

function connectTo(options: PostgresConnectorOptions): PostgresConnector {
  const connector = createPostgresConnector({ entity, env: {}, ...options });
  opened.push(connector);
  return connector;
}

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    expect(ConnectorError.isInstance(error), String(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
}

afterEach(async () => {
  await sessions.closeAll();
});

afterAll(async () => {
  await Promise.all(opened.splice(0).map((connector) => connector.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const withPassword = (password: string) => {
  const url = new URL(labPostgresUrl);
  url.password = password;
  return url.toString();
};

describe('failure paths', () => {
  it('server down: a retryable ConnectorError that says nothing listens there', async () => {
    const port = await closedPort();
    const connector = connectTo({ connectionString: `postgresql://postgres:x@127.0.0.1:${port}/postgres` });
    const error = await failure(connector.capabilities.metrics?.list({}, context) ?? Promise.resolve());
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe(
      `connector-postgres: cannot open a connection to postgres@127.0.0.1:${port}/postgres: nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED): check that PostgreSQL runs and listens there`,
    );
  });

  it('wrong password: not retryable, says so, and never shows the password', async () => {
    const connector = connectTo({ connectionString: withPassword('definitely-wrong-pw') });
    const error = await failure(
      connector.capabilities.logs?.search({ start: 0, end: Date.now() }, context) ?? Promise.resolve(),
    );
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(
      /^connector-postgres: cannot open a connection to postgres@127\.0\.0\.1:\d+\/postgres: password authentication failed \(28P01\)/,
    );
    expect(error.message).toContain('trying again will not help');
    expect(error.message).not.toContain('definitely-wrong-pw');
    const tool = connector.tools.find((candidate) => candidate.name === 'postgres_activity');
    const toolError = await failure(
      tool?.run(
        {},
        {
          ...context,
          budget: createBudget(
            { wallTimeMs: 10_000, toolCalls: 1, modelTokens: 0, costUsd: 0 },
            context.clock,
          ),
        },
      ) ?? Promise.resolve(),
    );
    expect(toolError.isRetryable).toBe(false);
  });

  it('statement timeout: a catalog locked by another session times the reading out, retryably; the connection stays usable', async () => {
    const connector = connectTo({ connectionString: labPostgresUrl, statementTimeoutMs: 300 });
    await connector.connect();
    const locker = await sessions.open('it-catalog-locker');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pg_catalog.pg_database IN ACCESS EXCLUSIVE MODE');
    const error = await failure(connector.sampler.sample(context));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-postgres: reading pg_stat_activity failed: the statement ran past the statement timeout of 300 ms \(57014 canceling statement due to statement timeout\)/,
    );
    await locker.query('ROLLBACK');
    await connector.sampler.sample(context);
    expect(connector.sampler.readingCount).toBe(1);
  });

  it('statement timeout on pg_sleep, through the session itself', async () => {
    const resolved = resolveConnection({ connectionString: labPostgresUrl, statementTimeoutMs: 200 }, {});
    const session = new PostgresSession({
      connector: 'postgres',
      target: resolved.target,
      clientConfig: resolved.clientConfig,
      statementTimeoutMs: resolved.statementTimeoutMs,
      createClient: createPgClient,
      logger: silentLogger,
    });
    try {
      const error = await failure(session.query('SELECT pg_sleep(5)', undefined, 'pg_sleep', context.signal));
      expect(error.isRetryable).toBe(true);
      expect(error.message).toContain('ran past the statement timeout of 200 ms (57014');
      expect(await session.query('SELECT 1 AS one', undefined, 'one', context.signal)).toEqual([{ one: 1 }]);
    } finally {
      await session.close();
    }
  });

  it('abort: the call returns at once and the server cancels the statement', async () => {
    const connector = connectTo({ connectionString: labPostgresUrl, statementTimeoutMs: 30_000 });
    await connector.connect();
    // Opened first: a new session cannot start while pg_database is locked.
    const observer = await sessions.open('it-observer');
    const locker = await sessions.open('it-catalog-locker');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pg_catalog.pg_database IN ACCESS EXCLUSIVE MODE');
    const controller = new AbortController();
    const reading = (
      connector.capabilities.metrics?.list({}, { ...context, signal: controller.signal }) ?? Promise.resolve()
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    // pg_stat_activity joins pg_database, which is locked: watch the lock queue instead.
    const waitingConnector = async () =>
      (
        await observer.query(
          "SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'pg_catalog.pg_database'::regclass",
        )
      ).rows[0]?.n === 1;
    await waitFor(waitingConnector, 'the connector to wait on the catalog lock');
    const abortedAt = Date.now();
    controller.abort();
    const caught = await reading;
    expect(CancelledError.isInstance(caught)).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    await waitFor(async () => !(await waitingConnector()), 'the server to cancel the statement');
    await locker.query('ROLLBACK');
    await connector.sampler.sample(context);
    expect(connector.sampler.readingCount).toBe(1);
  });

  it('the connector backend terminated by an operator: it re-opens its connection and reads on', async () => {
    const connector = connectTo({ connectionString: labPostgresUrl });
    await connector.sampler.sample(context);
    const admin = await sessions.open('it-admin');
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) AS done, pid FROM pg_stat_activity WHERE application_name = 'aisre-connector-postgres' AND pid <> pg_backend_pid()",
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const killed = rows.map((row) => row.pid as number);
    await waitFor(async () => {
      const { rows: now } = await admin.query(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'aisre-connector-postgres'",
      );
      return now.length >= 1 && now.every((row) => !killed.includes(row.pid as number));
    }, 'the connector to re-open its connection');
    await connector.sampler.sample(context);
    expect(connector.sampler.readingCount).toBe(2);
  });

  it('a server that accepts and never answers: the connect times out, retryably', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const connector = connectTo({
      connectionString: `postgresql://postgres:x@127.0.0.1:${silent.port}/postgres`,
      connectTimeoutMs: 300,
    });
    const started = Date.now();
    const error = await failure(connector.capabilities.metrics?.list({}, context) ?? Promise.resolve());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('did not complete the connection in time');
    expect(silent.accepted).toBeGreaterThanOrEqual(1);
  });

  it('answers no PostgreSQL gives: unexpected rows, an error, bytes that are not the protocol', async () => {
    const unexpected = await startFakePostgres(() => ({
      kind: 'rows',
      columns: ['surprise'],
      rows: [['yes']],
    }));
    const failing = await startFakePostgres(() => ({
      kind: 'error',
      code: 'XX000',
      message: 'internal error',
    }));
    const garbage = await startFakePostgres((sql) =>
      sql.startsWith('/* connector-postgres: session-setup')
        ? { kind: 'rows', columns: [], rows: [] }
        : { kind: 'garbage' },
    );
    servers.push(unexpected, failing, garbage);
    const url = (server: LoopbackServer) => `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
    const rows = await failure(connectTo({ connectionString: url(unexpected) }).sampler.sample(context));
    expect(rows.isRetryable).toBe(false);
    expect(rows.message).toMatch(
      /^connector-postgres: unexpected rows from pg_stat_activity \(activity-by-state\): \[0\]\.datname: /,
    );
    expect(rows.message).toContain('the server is not a PostgreSQL 10+ or a proxy changed the answer');
    const error = await failure(connectTo({ connectionString: url(failing) }).sampler.sample(context));
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(
      /^connector-postgres: cannot open a connection to postgres@127\.0\.0\.1:\d+\/postgres: internal error \(XX000\)/,
    );
    // pg skips bytes it cannot parse: the answer never comes, and the connection is dropped at the deadline.
    const broken = await failure(
      connectTo({ connectionString: url(garbage), statementTimeoutMs: 300 }).sampler.sample(context),
    );
    expect(broken.isRetryable).toBe(true);
    expect(broken.message).toMatch(
      /did not answer within 1300 ms \(statement timeout 300 ms\); the connection was dropped/,
    );
  });
});
