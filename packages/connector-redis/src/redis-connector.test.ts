import {
  type Budget,
  builtInFailurePatterns,
  createBudget,
  createCallContext,
  createManualClock,
  InvalidInputError,
  type ToolContext,
} from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { recordedPassword, startRecordedRedis } from './test-support/recorded-redis';
import type { RespServer } from './test-support/resp-replay-server';
import { errorReply } from './test-support/resp-wire';
import type { RedisConnector } from './types';

const entity = 'redis:lab/cache';
// The slowlog recording was made at 1796653784 s (server time); the window covers it.
const now = Date.parse('2026-12-07T14:30:00Z');
const window = { start: now - 6 * 3_600_000, end: now };

let server: RespServer & { config: Map<string, string> };
const connectors: RedisConnector[] = [];

beforeAll(async () => {
  server = await startRecordedRedis();
});
afterAll(async () => {
  await Promise.all(connectors.map((connector) => connector.close()));
  await server.close();
});

function connect(options: Parameters<typeof createRedisConnector>[0] = {}): RedisConnector {
  const connector = createRedisConnector({
    url: server.url,
    entity,
    clock: createManualClock(now),
    env: {},
    ...options,
  });
  connectors.push(connector);
  return connector;
}

function toolContext(): ToolContext {
  const context = createCallContext({ clock: createManualClock(now) });
  const budget: Budget = createBudget(
    { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 0, costUsd: 0 },
    context.clock,
  );
  return { ...context, budget };
}

describeConnectorConformance({
  name: 'redis (recorded replies)',
  create: () => connect(),
  window,
  entity,
  actuatorAction: {
    type: 'redis.config-set',
    target: entity,
    parameters: { parameter: 'activedefrag', value: 'yes' },
  },
});

describe('createRedisConnector against recorded replies', () => {
  it('sends the password and the connection name, and reads INFO all for metrics', async () => {
    const connector = connect();
    await connector.capabilities.metrics?.list({}, createCallContext());
    const commands = server.received.map((parts) => parts.join(' '));
    expect(commands).toContain(`auth ${recordedPassword}`);
    expect(commands).toContain('client setname aisre-connector-redis');
    expect(commands).toContain('INFO all');
  });

  it('answers metric queries about other entities without reading the server', async () => {
    const connector = connect();
    const before = server.received.length;
    const context = createCallContext();
    expect(await connector.capabilities.metrics?.list({ entity: 'redis:lab/other' }, context)).toEqual([]);
    expect(
      await connector.capabilities.metrics?.range(
        { metric: 'redis_memory_used_bytes', entity: 'service:lab/api', ...window },
        context,
      ),
    ).toEqual([]);
    expect(server.received.length).toBe(before);
  });

  it('serves every Redis metric the failure patterns read, under the names redis_exporter uses', async () => {
    const connector = connect();
    const served = new Set(
      (await connector.capabilities.metrics?.list({ entity }, createCallContext()))?.map(
        (metric) => metric.name,
      ),
    );
    // What the investigation engine looks for on a redis entity (container and volume metrics come from
    // Kubernetes, not from Redis).
    const wanted = new Set<string>();
    for (const pattern of builtInFailurePatterns) {
      if (!pattern.entityKinds.includes('redis')) continue;
      for (const signature of pattern.metrics) {
        if (signature.kinds && !signature.kinds.includes('redis')) continue;
        for (const metric of [signature.metric, signature.limit?.metric]) {
          if (metric?.startsWith('redis_')) wanted.add(metric);
        }
      }
    }
    expect(wanted.size, 'the patterns read Redis metrics').toBeGreaterThanOrEqual(5);
    for (const name of [
      ...wanted,
      'redis_up',
      'redis_connected_clients',
      'redis_commands_total',
      'redis_db_keys',
    ]) {
      expect(served, name).toContain(name);
    }
  });

  it('runs each tool with a small text and no secret', async () => {
    const connector = connect();
    const outputs = new Map<string, string>();
    const inputs: Record<string, unknown> = {
      redis_info: { section: 'memory' },
      redis_slowlog: { limit: 10 },
      redis_latency: { report: 'latest' },
      redis_config_get: { pattern: '*' },
      redis_client_list: {},
      redis_memory_stats: {},
    };
    for (const tool of connector.tools) {
      const input = tool.input.parse(inputs[tool.name]);
      const result = await tool.run(input, toolContext());
      outputs.set(tool.name, result.text);
      expect(result.text.length, tool.name).toBeLessThan(4000);
      expect(result.text).not.toContain(recordedPassword);
      expect(JSON.stringify(result.data)).not.toContain(recordedPassword);
      expect(result.text).not.toContain('token-7f3a9c2e41d8');
      expect(result.text).not.toContain('alice@example.com');
    }
    expect(outputs.get('redis_info')).toContain('used_memory:');
    expect(outputs.get('redis_slowlog')).toContain('EVAL ‹55 bytes› ‹1 byte›');
    expect(outputs.get('redis_latency')).toContain('command: latest 103 ms');
    expect(outputs.get('redis_config_get')).toContain('… 132 more lines: narrow the pattern');
    const configGet = connector.tools.find((tool) => tool.name === 'redis_config_get');
    const secrets = await configGet?.run({ pattern: '*pass*' }, toolContext());
    expect(secrets?.text).toContain('requirepass (redacted)');
    expect(secrets?.data).toMatchObject({
      parameters: { requirepass: '(redacted)' },
      redacted: expect.arrayContaining(['requirepass']),
    });
    const memory = await configGet?.run({ pattern: 'maxmemory*' }, toolContext());
    expect(memory?.text).toContain('maxmemory-policy allkeys-lru');
    expect(outputs.get('redis_client_list')).toContain('by name: (unnamed) 1, checkout-worker 1');
    expect(outputs.get('redis_client_list')).toMatch(/by state: .*blocked 1/);
    expect(outputs.get('redis_memory_stats')).toContain('keys: 2002');
  });

  it('returns the slowlog and latency spikes as log records with the server’s timestamps', async () => {
    const connector = connect();
    const records = (await connector.capabilities.logs?.search(window, createCallContext())) ?? [];
    expect(records.map((record) => record.attributes.source)).toContain('slowlog');
    expect(records.map((record) => record.attributes.source)).toContain('latency');
    const slow = records.find((record) => record.attributes.command === 'eval');
    expect(slow?.at).toBe(new Date(1796653784 * 1000).toISOString());
    expect(slow?.message).toBe('slow command: EVAL ‹55 bytes› ‹1 byte› took 103 ms');
    const text = JSON.stringify(records);
    expect(text).not.toContain('alice@example.com');
    expect(text).not.toContain('token-7f3a9c2e41d8');
    const limited = await connector.capabilities.logs?.search(
      { ...window, text: 'latency spike', limit: 1 },
      createCallContext(),
    );
    expect(limited?.map((record) => record.message)).toEqual([
      'latency spike: command took 103 ms (a command ran longer than latency-monitor-threshold)',
    ]);
    expect(
      await connector.capabilities.logs?.search(
        { ...window, entity: 'redis:lab/other' },
        createCallContext(),
      ),
    ).toEqual([]);
  });

  it('dry-runs and applies a config change, reading the previous value and the new one back', async () => {
    const connector = connect();
    const actuator = connector.capabilities.actuator;
    const action = {
      type: 'redis.config-set',
      target: entity,
      parameters: { parameter: 'maxmemory', value: 83_886_080 },
    } as const;
    expect(actuator?.supports(action)).toBe(true);
    const dryRun = await actuator?.apply(action, { dryRun: true }, createCallContext());
    expect(dryRun).toMatchObject({
      applied: false,
      dryRun: true,
      details: { previous: '67108864', requested: '83886080' },
    });
    expect(server.config.get('maxmemory')).toBe('67108864');
    const applied = await actuator?.apply(action, { dryRun: false }, createCallContext());
    expect(applied).toMatchObject({
      applied: true,
      details: {
        previous: '67108864',
        current: '83886080',
        verified: true,
        rollback: {
          type: 'redis.config-set',
          target: entity,
          parameters: { parameter: 'maxmemory', value: '67108864' },
        },
      },
    });
    expect(server.received.map((parts) => parts.join(' '))).toContain('CONFIG SET maxmemory 83886080');
    server.config.set('maxmemory', '67108864');
  });

  it('refuses parameters off the allowlist, bad values, a maxmemory below the data set, and other targets', async () => {
    const connector = connect();
    const actuator = connector.capabilities.actuator;
    const action = (parameter: string, value: string | number, target = entity) => ({
      type: 'redis.config-set',
      target: target as typeof entity,
      parameters: { parameter, value },
    });
    for (const parameter of [
      'requirepass',
      'masterauth',
      'dir',
      'dbfilename',
      'save',
      'appendonly',
      'replicaof',
    ]) {
      expect(actuator?.supports(action(parameter, 'x')), parameter).toBe(false);
      await expect(
        actuator?.apply(action(parameter, 'x'), { dryRun: true }, createCallContext()),
      ).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(actuator?.supports(action('activedefrag', 'yes', 'redis:lab/other'))).toBe(false);
    await expect(
      actuator?.apply(
        action('maxmemory-policy', 'allkeys-most-loved'),
        { dryRun: true },
        createCallContext(),
      ),
    ).rejects.toThrow(/expected one of noeviction, allkeys-lru/);
    await expect(
      actuator?.apply(action('maxmemory', '1mb'), { dryRun: true }, createCallContext()),
    ).rejects.toThrow(/below the \d+ bytes in use/);
    expect(
      server.received.some(
        (parts) => parts[0] === 'CONFIG' && parts[1] === 'SET' && parts[2] !== 'maxmemory',
      ),
    ).toBe(false);
  });

  it('says when the value is already set, and changes nothing', async () => {
    const connector = connect();
    const result = await connector.capabilities.actuator?.apply(
      { type: 'redis.config-set', target: entity, parameters: { parameter: 'maxmemory', value: '64mb' } },
      { dryRun: false },
      createCallContext(),
    );
    expect(result).toMatchObject({
      applied: false,
      dryRun: false,
      summary: expect.stringContaining('already 67108864'),
    });
  });

  it('keeps what it could read when a managed Redis disables LATENCY, and warns', async () => {
    const restricted = await startRecordedRedis({
      replies: {
        'LATENCY LATEST': errorReply("ERR unknown command 'LATENCY', with args beginning with: 'LATEST' "),
      },
    });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
    const connector = createRedisConnector({
      url: restricted.url,
      entity,
      clock: createManualClock(now),
      env: {},
    });
    try {
      const context = createCallContext({ logger });
      const records = (await connector.capabilities.logs?.search(window, context)) ?? [];
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((record) => record.attributes.source === 'slowlog')).toBe(true);
      const names = (await connector.capabilities.metrics?.list({}, context))?.map((metric) => metric.name);
      expect(names).toContain('redis_memory_used_bytes');
      expect(names).not.toContain('redis_latency_spike_duration_seconds');
      expect(
        warnings.some((warning) => /does not know LATENCY LATEST/.test(warning)),
        warnings.join('\n'),
      ).toBe(true);
    } finally {
      await connector.close();
      await restricted.close();
    }
  });

  it('samples in the background until close()', async () => {
    const clock = createManualClock(now);
    const connector = connect({ clock });
    let tick: (() => void) | undefined;
    connector.sampler.start({
      intervalMs: 15_000,
      timer: {
        every(_intervalMs, callback) {
          tick = callback;
          return () => {
            tick = undefined;
          };
        },
      },
    });
    for (let index = 0; index < 3; index += 1) {
      tick?.();
      await vi.waitFor(() => expect(connector.sampler.readingCount).toBe(index + 1));
      clock.advance(15_000);
    }
    await connector.close();
    expect(tick).toBeUndefined();
  });
});
