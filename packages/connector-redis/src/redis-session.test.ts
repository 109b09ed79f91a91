import { CancelledError, ConnectorError, createCallContext } from '@aisre/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveConnectionSettings } from './connection-settings';
import { createRedisSession } from './redis-session';
import type { RedisClient } from './types';

/** A client whose connection and replies the test scripts; it records every command. */
class ScriptedClient implements RedisClient {
  status = 'wait';
  readonly calls: string[][] = [];
  connects = 0;
  disconnects = 0;
  errorListeners: ((error: Error) => void)[] = [];
  connectWith: () => Promise<void> = async () => {
    this.status = 'ready';
  };
  replyWith: (parts: string[]) => Promise<unknown> = async () => 'OK';

  connect(): Promise<void> {
    this.connects += 1;
    this.status = 'connecting';
    return this.connectWith();
  }
  call(command: string, ...args: string[]): Promise<unknown> {
    this.calls.push([command, ...args]);
    return this.replyWith([command, ...args]);
  }
  disconnect(): void {
    this.disconnects += 1;
    this.status = 'end';
  }
  on(_event: 'error', listener: (error: Error) => void): this {
    this.errorListeners.push(listener);
    return this;
  }
  emitError(error: Error): void {
    for (const listener of this.errorListeners) listener(error);
  }
}

const settings = resolveConnectionSettings({
  url: 'redis://:s3cret-pass@10.0.0.7:6380/2',
  entity: 'redis:shop/cache',
  connectTimeoutMs: 1000,
  commandTimeoutMs: 500,
  env: {},
});

function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ConnectorError.isInstance(error), String(error)).toBe(true);
  return error as ConnectorError;
}

describe('createRedisSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects once on first use, passes the settled options, and reuses the connection', async () => {
    const clients: ScriptedClient[] = [];
    const session = createRedisSession(settings, (options) => {
      expect(options).toMatchObject({
        host: '10.0.0.7',
        port: 6380,
        db: 2,
        password: 's3cret-pass',
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        protocol: 2,
      });
      expect(options.retryStrategy?.(1)).toBeNull();
      const client = new ScriptedClient();
      clients.push(client);
      return client;
    });
    const context = createCallContext();
    await Promise.all([
      session.send('PING', ['PING'], context),
      session.send('INFO', ['INFO', 'memory'], context),
    ]);
    await session.send('PING', ['PING'], context);
    expect(clients).toHaveLength(1);
    expect(clients[0]?.connects).toBe(1);
    expect(clients[0]?.calls.map((parts) => parts.join(' ')).sort()).toEqual(['INFO memory', 'PING', 'PING']);
  });

  it('reports a refused connection as retryable, with the address and what to do, and tries again next call', async () => {
    const client = new ScriptedClient();
    client.connectWith = async () => {
      client.emitError(systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:6380'));
      client.status = 'end';
      throw new Error('Connection is closed.');
    };
    const session = createRedisSession(settings, () => client);
    const error = await failure(session.send('INFO', ['INFO', 'all'], createCallContext()));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-redis: cannot connect to 10\.0\.0\.7:6380 \(connection refused\): check/,
    );
    client.connectWith = async () => {
      client.status = 'ready';
    };
    await expect(session.send('PING', ['PING'], createCallContext())).resolves.toBe('OK');
    expect(client.connects).toBe(2);
  });

  it('reports a wrong password as not retryable, and never shows the password', async () => {
    const client = new ScriptedClient();
    client.connectWith = async () => {
      client.emitError(replyError('WRONGPASS invalid username-password pair or user is disabled.'));
      throw new Error('Connection is closed.');
    };
    const session = createRedisSession(settings, () => client);
    const error = await failure(session.send('INFO', ['INFO', 'all'], createCallContext()));
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/^connector-redis: authentication to 10\.0\.0\.7:6380 failed \(WRONGPASS/);
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).not.toContain('s3cret-pass');
  });

  it('scrubs the password from any message that echoes it', async () => {
    const client = new ScriptedClient();
    client.replyWith = async () => {
      throw replyError('ERR something about s3cret-pass');
    };
    const session = createRedisSession(settings, () => client);
    const error = await failure(session.send('CONFIG GET', ['CONFIG', 'GET', 'x'], createCallContext()));
    expect(error.message).toBe(
      'connector-redis: CONFIG GET failed on 10.0.0.7:6380: ERR something about ***',
    );
  });

  it('gives up connecting after connectTimeoutMs, drops the connection, and opens a new one next call', async () => {
    const clients: ScriptedClient[] = [];
    const session = createRedisSession(settings, () => {
      const client = new ScriptedClient();
      if (clients.length === 0) client.connectWith = () => new Promise(() => {});
      clients.push(client);
      return client;
    });
    const pending = failure(session.send('INFO', ['INFO', 'all'], createCallContext()));
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-redis: connecting to 10\.0\.0\.7:6380 took longer than 1000 ms/,
    );
    expect(clients[0]?.disconnects).toBe(1);
    await expect(session.send('PING', ['PING'], createCallContext())).resolves.toBe('OK');
    expect(clients).toHaveLength(2);
  });

  it('gives up on a command after commandTimeoutMs and drops the stuck connection', async () => {
    const clients: ScriptedClient[] = [];
    const session = createRedisSession(settings, () => {
      const client = new ScriptedClient();
      if (clients.length === 0) client.replyWith = () => new Promise(() => {});
      clients.push(client);
      return client;
    });
    const pending = failure(session.send('SLOWLOG GET', ['SLOWLOG', 'GET', '10'], createCallContext()));
    await vi.advanceTimersByTimeAsync(500);
    const error = await pending;
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-redis: SLOWLOG GET on 10\.0\.0\.7:6380 got no answer within 500 ms/,
    );
    expect(clients[0]?.disconnects).toBe(1);
    await expect(session.send('PING', ['PING'], createCallContext())).resolves.toBe('OK');
  });

  it('stops waiting when the signal aborts, with a CancelledError, and keeps the connection', async () => {
    const client = new ScriptedClient();
    let answer: (value: unknown) => void = () => {};
    client.replyWith = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const session = createRedisSession(settings, () => client);
    const controller = new AbortController();
    const pending = session.send('INFO', ['INFO', 'all'], createCallContext({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    answer('late');
    expect(client.disconnects).toBe(0);
    await expect(
      session.send('INFO', ['INFO', 'all'], createCallContext({ signal: AbortSignal.abort() })),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(client.calls).toHaveLength(1);
  });

  it('maps server error replies: permissions, loading, unknown commands', async () => {
    const client = new ScriptedClient();
    const replies: Record<string, Error> = {
      LATENCY: replyError("NOPERM this user has no permissions to run the 'latency|latest' command"),
      INFO: replyError('LOADING Redis is loading the dataset in memory'),
      MEMORY: replyError("ERR unknown command 'MEMORY', with args beginning with: 'STATS'"),
    };
    client.replyWith = async ([command = '']) => {
      throw replies[command];
    };
    const session = createRedisSession(settings, () => client);
    const context = createCallContext();
    const denied = await failure(session.send('LATENCY LATEST', ['LATENCY', 'LATEST'], context));
    expect(denied.message).toContain('grant the connector');
    expect(denied.isRetryable).toBe(false);
    const loading = await failure(session.send('INFO', ['INFO', 'all'], context));
    expect(loading.isRetryable).toBe(true);
    const unknown = await failure(session.send('MEMORY STATS', ['MEMORY', 'STATS'], context));
    expect(unknown.message).toMatch(/does not know MEMORY STATS .*renamed or disabled/);
  });

  it('refuses calls after close() and closes the connection', async () => {
    const client = new ScriptedClient();
    const session = createRedisSession(settings, () => client);
    await session.send('PING', ['PING'], createCallContext());
    await session.close();
    expect(client.disconnects).toBe(1);
    const error = await failure(session.send('PING', ['PING'], createCallContext()));
    expect(error.message).toMatch(/after close\(\)/);
  });
});
