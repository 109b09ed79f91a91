import { createServer } from 'node:net';
import { AisreError, ConnectorError, createCallContext } from '@aisre/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { labRedisUrl } from './test-support/lab-redis';
import { startRecordedRedis } from './test-support/recorded-redis';
import { startRespServer } from './test-support/resp-replay-server';
import { bulkString, integerReply } from './test-support/resp-wire';
import type { RedisConnector } from './types';

const entity = 'redis:lab/cache';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

async function rejection(promise: Promise<unknown> | undefined): Promise<ConnectorError> {
  const error = await (promise ?? Promise.resolve()).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ConnectorError.isInstance(error), `expected a ConnectorError, got ${String(error)}`).toBe(true);
  return error as ConnectorError;
}

let connectors: RedisConnector[] = [];
let consoleErrors: unknown[][] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  await Promise.all(connectors.map((connector) => connector.close()));
  connectors = [];
  // Let late socket events arrive: none may surface as an unhandled error event or rejection.
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
  expect(consoleErrors, 'ioredis printed an unhandled error event').toEqual([]);
  expect(unhandled).toEqual([]);
});

function connect(options: Parameters<typeof createRedisConnector>[0]): RedisConnector {
  const connector = createRedisConnector({ entity, env: {}, ...options });
  connectors.push(connector);
  return connector;
}

describe('connector-redis failure paths', () => {
  it('server down: a retryable ConnectorError naming the address, on every call, without reconnecting in between', async () => {
    const port = await closedPort();
    const connector = connect({ url: `redis://127.0.0.1:${port}` });
    for (const call of [
      () => connector.capabilities.metrics?.list({}, createCallContext()),
      () => connector.capabilities.logs?.search({ start: 0, end: 1 }, createCallContext()),
    ]) {
      const error = await rejection(call());
      expect(error.isRetryable).toBe(true);
      expect(error.message).toBe(
        `connector-redis: cannot connect to 127.0.0.1:${port} (connection refused): check that Redis is running there and that REDIS_URL points at it`,
      );
    }
  });

  it('wrong password on the real server: not retryable, says to check the credentials, never shows them', async () => {
    const url = new URL(labRedisUrl());
    url.password = 'not-the-password';
    const connector = connect({ url: url.toString() });
    const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(
      /^connector-redis: authentication to [\d.]+:\d+ failed \(WRONGPASS .*\): check the user name and password/,
    );
    expect(error.message).not.toContain('not-the-password');
  });

  it('no password on the real server: NOAUTH is reported as an authentication failure', async () => {
    const url = new URL(labRedisUrl());
    url.password = '';
    const connector = connect({ url: url.toString() });
    const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
    expect(error.message).toMatch(/authentication to .* failed \(NOAUTH/);
  });

  it('a server that accepts and never answers: the connect deadline, then the command deadline', async () => {
    const silent = await startRespServer({ behaviour: 'silent' });
    try {
      const connector = connect({ url: silent.url, connectTimeoutMs: 300 });
      const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
      expect(error.isRetryable).toBe(true);
      expect(error.message).toMatch(
        /^connector-redis: connecting to 127\.0\.0\.1:\d+ took longer than 300 ms/,
      );
    } finally {
      await silent.close();
    }
    const stalls = await startRespServer({ replies: { INFO: () => undefined } });
    try {
      const connector = connect({ url: stalls.url, commandTimeoutMs: 300 });
      const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
      expect(error.message).toMatch(/^connector-redis: INFO on 127\.0\.0\.1:\d+ got no answer within 300 ms/);
      expect(stalls.received.map((parts) => parts[0])).toContain('INFO');
    } finally {
      await stalls.close();
    }
  });

  it('the AbortSignal stops a call waiting on a server that never answers', async () => {
    const stalls = await startRespServer({ replies: { INFO: () => undefined } });
    try {
      const connector = connect({ url: stalls.url, commandTimeoutMs: 30_000 });
      const controller = new AbortController();
      const pending = connector.capabilities.metrics?.list(
        {},
        createCallContext({ signal: controller.signal }),
      );
      setTimeout(() => controller.abort(), 100);
      const error = await (pending ?? Promise.resolve()).catch((caught: unknown) => caught);
      expect(AisreError.isInstance(error) && error.code).toBe('cancelled');
    } finally {
      await stalls.close();
    }
  });

  it('garbage instead of RESP: a ConnectorError that says it is not Redis', async () => {
    const garbage = await startRespServer({ behaviour: 'garbage' });
    try {
      const connector = connect({ url: garbage.url, connectTimeoutMs: 2000 });
      const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
      expect(error.isRetryable).toBe(false);
      expect(error.message).toMatch(
        /^connector-redis: .*not the Redis protocol.*check that the address is a Redis server/,
      );
    } finally {
      await garbage.close();
    }
  });

  it('well-formed RESP of the wrong shape: a ConnectorError naming the command and what was expected', async () => {
    const odd = await startRecordedRedis({
      replies: {
        'INFO ALL': integerReply(42),
        'SLOWLOG GET': bulkString('not a list'),
        'LATENCY LATEST': integerReply(1),
        'MEMORY STATS': integerReply(7),
      },
    });
    try {
      const connector = connect({ url: odd.url });
      const info = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
      expect(info.message).toMatch(/answered INFO with a malformed reply \(expected a string\)/);
      const logs = await rejection(
        connector.capabilities.logs?.search({ start: 0, end: Date.now() }, createCallContext()),
      );
      expect(logs.message).toMatch(/answered SLOWLOG GET with a malformed reply/);
      const memory = connector.tools.find((tool) => tool.name === 'redis_memory_stats');
      const context = createCallContext();
      const budget = { limits: { wallTimeMs: 1, toolCalls: 1, modelTokens: 0, costUsd: 0 } } as never;
      const stats = await rejection(memory?.run({}, { ...context, budget }));
      expect(stats.message).toMatch(/answered MEMORY STATS with a malformed reply/);
    } finally {
      await odd.close();
    }
  });

  it('a server that goes away: the next call fails as retryable, and the one after the server is back succeeds', async () => {
    const first = await startRecordedRedis();
    const connector = connect({ url: first.url, freshnessMs: 0 });
    await expect(connector.capabilities.metrics?.list({}, createCallContext())).resolves.not.toHaveLength(0);
    await first.close();
    const error = await rejection(connector.capabilities.metrics?.list({}, createCallContext()));
    expect(error.isRetryable).toBe(true);
    const second = await startRecordedRedis({ port: first.port });
    try {
      await expect(connector.capabilities.metrics?.list({}, createCallContext())).resolves.not.toHaveLength(
        0,
      );
      expect(connector.sampler.readingCount).toBe(2);
    } finally {
      await second.close();
    }
  });
});
