import { CancelledError, ConnectorError, silentLogger } from '@aisre/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConnection } from './connection-options';
import { connectionEvents } from './fixtures/recorded-rows';
import { PostgresSession } from './postgres-session';
import type { PostgresClient } from './types';

interface PendingQuery {
  text: string;
  resolve: (result: { rows: unknown[] }) => void;
  reject: (error: Error) => void;
}

interface FakeClient extends PostgresClient {
  pending: PendingQuery[];
  sent: string[];
  setUp: string[];
  cancels: number;
  ended: boolean;
  destroyed: boolean;
  drop(error: Error): void;
}

/** Clients whose queries stay pending until the test answers them. */
function fakeClients(connect: () => Promise<void> = async () => undefined) {
  const made: FakeClient[] = [];
  const createClient = (): FakeClient => {
    const events = connectionEvents();
    const client: FakeClient = {
      pending: [],
      sent: [],
      setUp: [],
      cancels: 0,
      ended: false,
      destroyed: false,
      connect,
      query(text) {
        if (text.includes('session-setup */ SET statement_timeout')) {
          client.setUp.push(text);
          return Promise.resolve({ rows: [] });
        }
        client.sent.push(text);
        return new Promise((resolve, reject) => client.pending.push({ text, resolve, reject }));
      },
      async end() {
        client.ended = true;
      },
      on(event, listener) {
        events.on(event, listener);
        return client;
      },
      async cancel() {
        client.cancels += 1;
        client.pending
          .shift()
          ?.reject(Object.assign(new Error('canceling statement due to user request'), { code: '57014' }));
      },
      destroy() {
        client.destroyed = true;
      },
      drop: events.drop,
    };
    made.push(client);
    return client;
  };
  return { made, createClient };
}

const { clientConfig, target, statementTimeoutMs } = resolveConnection(
  {
    connectionString: 'postgresql://postgres:pw@127.0.0.1:5440/postgres',
    statementTimeoutMs: 1000,
    connectTimeoutMs: 1000,
  },
  {},
);

function sessionWith(clients: ReturnType<typeof fakeClients>, onConnectFailure = vi.fn()) {
  const session = new PostgresSession({
    connector: 'postgres',
    target,
    clientConfig,
    statementTimeoutMs,
    createClient: clients.createClient,
    logger: silentLogger,
    onConnectFailure,
  });
  return { session, onConnectFailure };
}

const never = new AbortController().signal;
const flush = () => new Promise((resolve) => setImmediate(resolve));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PostgresSession', () => {
  it('keeps one connection for every statement and runs them one at a time', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const first = session.query('SELECT 1', undefined, 'one', never);
    const second = session.query('SELECT 2', undefined, 'two', never);
    await flush();
    const [client] = clients.made;
    expect(clients.made).toHaveLength(1);
    expect(client?.setUp).toEqual(['/* connector-postgres: session-setup */ SET statement_timeout = 1000']);
    expect(client?.sent).toEqual(['SELECT 1']);
    client?.pending.shift()?.resolve({ rows: [{ one: 1 }] });
    expect(await first).toEqual([{ one: 1 }]);
    await flush();
    expect(client?.sent).toEqual(['SELECT 1', 'SELECT 2']);
    client?.pending.shift()?.resolve({ rows: [] });
    expect(await second).toEqual([]);
    expect(clients.made).toHaveLength(1);
  });

  it('returns at once when aborted, cancels the statement, and holds the next one until the server is done', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const controller = new AbortController();
    const slow = session.query('SELECT pg_sleep(60)', undefined, 'slow', controller.signal);
    const next = session.query('SELECT 2', undefined, 'next', never);
    await flush();
    const client = clients.made[0] as FakeClient;
    controller.abort();
    const error = await rejection(slow);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('connector-postgres: slow: cancelled');
    expect(client.cancels).toBe(1);
    await flush();
    expect(client.sent).toEqual(['SELECT pg_sleep(60)', 'SELECT 2']);
    client.pending.shift()?.resolve({ rows: [{ ok: true }] });
    expect(await next).toEqual([{ ok: true }]);
  });

  it('never sends a statement whose call was aborted while it waited its turn', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const first = session.query('SELECT 1', undefined, 'one', never);
    const controller = new AbortController();
    const waiting = session.query('SELECT 2', undefined, 'two', controller.signal);
    controller.abort();
    expect(CancelledError.isInstance(await rejection(waiting))).toBe(true);
    await flush();
    clients.made[0]?.pending.shift()?.resolve({ rows: [] });
    await first;
    await flush();
    expect(clients.made[0]?.sent).toEqual(['SELECT 1']);
  });

  it('fails a refused connection with a retryable ConnectorError, records it, and tries again on the next call', async () => {
    let refuse = true;
    const clients = fakeClients(async () => {
      if (refuse) throw Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    });
    const { session, onConnectFailure } = sessionWith(clients);
    const error = await rejection(session.query('SELECT 1', undefined, 'pg_stat_activity', never));
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as ConnectorError).isRetryable).toBe(true);
    expect((error as Error).message).toContain('the server refuses new connections (53300');
    expect(onConnectFailure).toHaveBeenCalledTimes(1);
    expect(clients.made[0]?.ended).toBe(true);
    refuse = false;
    const again = session.query('SELECT 1', undefined, 'pg_stat_activity', never);
    await flush();
    clients.made[1]?.pending.shift()?.resolve({ rows: [] });
    expect(await again).toEqual([]);
    expect(clients.made).toHaveLength(2);
  });

  it('re-opens a lost connection once, at once, when it had served; otherwise on the next call', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const served = session.query('SELECT 1', undefined, 'one', never);
    await flush();
    clients.made[0]?.pending.shift()?.resolve({ rows: [] });
    await served;
    clients.made[0]?.drop(
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    await flush();
    expect(clients.made).toHaveLength(2);
    expect(session.isOpen).toBe(true);
    clients.made[1]?.drop(new Error('Connection terminated unexpectedly'));
    await flush();
    expect(clients.made).toHaveLength(2);
    expect(session.isOpen).toBe(false);
    const next = session.query('SELECT 2', undefined, 'two', never);
    await flush();
    clients.made[2]?.pending.shift()?.resolve({ rows: [] });
    await next;
    expect(clients.made).toHaveLength(3);
  });

  it('drops a connection whose server stopped answering, and opens a new one next time', async () => {
    vi.useFakeTimers();
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const hanging = rejection(session.query('SELECT 1', undefined, 'pg_stat_activity', never));
    await vi.advanceTimersByTimeAsync(1999);
    expect(clients.made[0]?.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await hanging) as ConnectorError;
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('did not answer within 2000 ms (statement timeout 1000 ms)');
    expect(clients.made[0]?.destroyed).toBe(true);
    const next = session.query('SELECT 2', undefined, 'two', never);
    await vi.advanceTimersByTimeAsync(0);
    clients.made[1]?.pending.shift()?.resolve({ rows: [] });
    expect(await next).toEqual([]);
  });

  it('gives up on a connection that never completes', async () => {
    vi.useFakeTimers();
    const clients = fakeClients(() => new Promise(() => undefined));
    const { session } = sessionWith(clients);
    const opening = rejection(session.query('SELECT 1', undefined, 'pg_stat_activity', never));
    await vi.advanceTimersByTimeAsync(2000);
    const error = (await opening) as ConnectorError;
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('did not complete the connection in time');
    expect(clients.made[0]?.destroyed).toBe(true);
  });

  it('forgets a connection the server ended during a statement', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const failing = rejection(session.query('SELECT 1', undefined, 'pg_stat_activity', never));
    await flush();
    clients.made[0]?.pending
      .shift()
      ?.reject(Object.assign(new Error('terminating connection'), { code: '57P01' }));
    const error = (await failing) as ConnectorError;
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('the connection was lost');
    expect(session.isOpen).toBe(false);
  });

  it('rejects an answer without rows', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    const failing = rejection(session.query('SELECT 1', undefined, 'pg_stat_activity', never));
    await flush();
    clients.made[0]?.pending.shift()?.resolve({} as { rows: unknown[] });
    expect((await failing) as Error).toMatchObject({ message: expect.stringContaining('has no rows') });
  });

  it('closes the connection; later calls fail and say to create a new connector', async () => {
    const clients = fakeClients();
    const { session } = sessionWith(clients);
    await session.open();
    await session.close();
    expect(clients.made[0]?.ended).toBe(true);
    const error = (await rejection(session.query('SELECT 1', undefined, 'x', never))) as ConnectorError;
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/^connector-postgres: the connector was closed: create a new one/);
  });
});
