import { createBudget, createCallContext, type LogRecord, type ToolContext } from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnector } from './redis-connector';
import { labAdminClient, labRedisPassword, labRedisUrl, saveConfig } from './test-support/lab-redis';
import type { RedisConnector } from './types';

// Against the real Redis of the lab (docs/lab.md). Each test restores what it changes.
const entity = 'redis:lab/cache';
const connectors: RedisConnector[] = [];
let admin: Redis;
let restoreConfig: () => Promise<void>;

function connect(): RedisConnector {
  const connector = createRedisConnector({ url: labRedisUrl(), entity, env: {} });
  connectors.push(connector);
  return connector;
}

function toolContext(): ToolContext {
  const context = createCallContext();
  return {
    ...context,
    budget: createBudget({ wallTimeMs: 60_000, toolCalls: 20, modelTokens: 0, costUsd: 0 }, context.clock),
  };
}

async function tool(connector: RedisConnector, name: string, input: unknown) {
  const found = connector.tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found.run(found.input.parse(input), toolContext());
}

/** Runs a Lua busy loop for about `ms` milliseconds of server time: a slow command, without DEBUG. */
async function slowScript(ms: number): Promise<void> {
  await admin.eval(
    'local stop = tonumber(redis.call("TIME")[1]) * 1e6 + tonumber(redis.call("TIME")[2]) + tonumber(ARGV[1]) * 1000\n' +
      'local now = 0\nrepeat local t = redis.call("TIME") now = tonumber(t[1]) * 1e6 + tonumber(t[2]) until now >= stop\nreturn 1',
    0,
    String(ms),
  );
}

beforeAll(async () => {
  admin = labAdminClient();
  restoreConfig = await saveConfig(admin, [
    'slowlog-log-slower-than',
    'latency-monitor-threshold',
    'maxmemory-policy',
    'activedefrag',
  ]);
  await admin.slowlog('RESET');
  await admin.latency('RESET');
});

afterAll(async () => {
  await Promise.all(connectors.map((connector) => connector.close()));
  await restoreConfig();
  admin.disconnect();
});

describeConnectorConformance({
  name: 'redis (real server)',
  create: () => connect(),
  // The connector stamps readings with the wall clock; the window ends a minute ahead of now.
  window: { start: Date.now() - 3_600_000, end: Date.now() + 3_600_000 },
  entity,
  actuatorAction: {
    type: 'redis.config-set',
    target: entity,
    parameters: { parameter: 'maxmemory-samples', value: 7 },
  },
});

describe('createRedisConnector against a real Redis', () => {
  it('reads INFO into metrics: memory, limit, clients, commands as rates', async () => {
    const connector = connect();
    const context = createCallContext();
    await connector.sampler.sample(context);
    await admin.set('aisre-test:probe', 'x');
    for (let index = 0; index < 50; index += 1) await admin.get('aisre-test:probe');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await connector.sampler.sample(context);
    const range = async (metric: string, labels?: Record<string, string>) =>
      (await connector.capabilities.metrics?.range(
        { metric, entity, ...(labels ? { labels } : {}), start: 0, end: Date.now() },
        context,
      )) ?? [];
    const [max] = await range('redis_memory_max_bytes');
    expect(max?.points.at(-1)?.[1]).toBe(64 * 1024 * 1024);
    const [used] = await range('redis_memory_used_bytes');
    expect(used?.points.at(-1)?.[1]).toBeGreaterThan(500_000);
    const [clients] = await range('redis_connected_clients');
    expect(clients?.points.at(-1)?.[1]).toBeGreaterThanOrEqual(2);
    const [gets] = await range('redis_commands_total', { cmd: 'get' });
    expect(gets?.points.at(-1)?.[1]).toBeGreaterThan(10);
    const info = await connector.capabilities.metrics?.list({ entity }, context);
    expect(info?.find((metric) => metric.name === 'redis_instance_info')?.labels).toMatchObject({
      maxmemory_policy: 'allkeys-lru',
    });
    await admin.del('aisre-test:probe');
  });

  it('turns a slow command into a slowlog log record and a latency spike, with real timestamps', async () => {
    await admin.config('SET', 'latency-monitor-threshold', '20');
    await admin.config('SET', 'slowlog-log-slower-than', '10000');
    const before = Date.now();
    await slowScript(60);
    const connector = connect();
    const records =
      (await connector.capabilities.logs?.search(
        { start: before - 2000, end: Date.now() + 2000 },
        createCallContext(),
      )) ?? [];
    const slow = records.find(
      (record: LogRecord) => record.attributes.source === 'slowlog' && record.attributes.command === 'eval',
    );
    expect(slow, JSON.stringify(records)).toBeDefined();
    expect(Math.abs(Date.parse(slow?.at ?? '') - before)).toBeLessThan(5000);
    expect(Number(slow?.attributes.durationMs)).toBeGreaterThanOrEqual(50);
    expect(slow?.message).toMatch(/^slow command: EVAL ‹\d+ bytes› ‹1 byte› ‹2 bytes› took [\d.]+ ms$/);
    const spike = records.find((record) => record.attributes.source === 'latency');
    expect(spike?.attributes.event).toBe('command');
    expect(Number(spike?.attributes.latencyMs)).toBeGreaterThanOrEqual(50);
    const latest = await tool(connector, 'redis_latency', { report: 'latest' });
    expect(latest.text).toMatch(/latency-monitor-threshold 20 ms/);
    expect(latest.text).toMatch(/command: latest \d+ ms/);
    const history = await tool(connector, 'redis_latency', { report: 'history', event: 'command' });
    expect(history.text).toMatch(/LATENCY HISTORY command of redis:lab\/cache: \d+ spikes?/);
    const doctor = await tool(connector, 'redis_latency', { report: 'doctor' });
    expect(doctor.text).toContain('command');
    const slowlog = await tool(connector, 'redis_slowlog', { limit: 5 });
    expect(slowlog.text).toMatch(/EVAL ‹\d+ bytes›/);
  });

  it('never shows a password: not in the slowlog after AUTH and CONFIG SET requirepass, not in CONFIG GET', async () => {
    const password = labRedisPassword();
    await admin.config('SET', 'slowlog-log-slower-than', '0');
    await admin.config('SET', 'requirepass', password);
    await admin.set('aisre-test:session:alice@example.com', 'token-should-not-leak');
    await admin.config('SET', 'slowlog-log-slower-than', '10000');
    const connector = connect();
    const outputs = [
      await tool(connector, 'redis_config_get', { pattern: '*' }),
      await tool(connector, 'redis_config_get', { pattern: '*pass*' }),
      await tool(connector, 'redis_slowlog', { limit: 128 }),
      await tool(connector, 'redis_info', { section: 'server' }),
    ];
    const records = await connector.capabilities.logs?.search(
      { start: 0, end: Date.now() + 60_000 },
      createCallContext(),
    );
    const everything = JSON.stringify([outputs, records]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('token-should-not-leak');
    expect(everything).not.toContain('alice@example.com');
    expect(outputs[1]?.text).toContain('requirepass (redacted)');
    expect(JSON.stringify(records)).toContain('CONFIG SET ‹2 arguments redacted›');
    await admin.del('aisre-test:session:alice@example.com');
  });

  it('summarises CLIENT LIST and MEMORY STATS', async () => {
    const named = labAdminClient();
    await named.client('SETNAME', 'checkout-worker');
    const connector = connect();
    const clients = await tool(connector, 'redis_client_list', {});
    expect(clients.text).toMatch(/by name: .*checkout-worker 1/);
    expect(clients.text).toMatch(/by name: .*aisre-connector-redis/);
    expect(clients.data).toMatchObject({ total: expect.any(Number) });
    named.disconnect();
    const memory = await tool(connector, 'redis_memory_stats', {});
    expect(memory.text).toMatch(/allocated: [\d.]+ (KiB|MiB)/);
    expect(memory.data).toMatchObject({
      'keys.count': expect.any(Number),
      'dataset.bytes': expect.any(Number),
    });
  });

  it('dry-runs, applies and rolls back a real CONFIG SET', async () => {
    const connector = connect();
    const actuator = connector.capabilities.actuator;
    const context = createCallContext();
    const action = {
      type: 'redis.config-set',
      target: entity,
      parameters: { parameter: 'maxmemory-policy', value: 'allkeys-lfu' },
    } as const;
    const dryRun = await actuator?.apply(action, { dryRun: true }, context);
    expect(dryRun).toMatchObject({
      applied: false,
      dryRun: true,
      details: { previous: 'allkeys-lru', requested: 'allkeys-lfu', wouldChange: true },
    });
    expect(await admin.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    const applied = await actuator?.apply(action, { dryRun: false }, context);
    expect(applied).toMatchObject({
      applied: true,
      details: { previous: 'allkeys-lru', current: 'allkeys-lfu', verified: true },
    });
    expect(await admin.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lfu']);
    const rollback = applied?.details.rollback as unknown as typeof action;
    const restored = await actuator?.apply(rollback, { dryRun: false }, context);
    expect(restored).toMatchObject({ applied: true, details: { current: 'allkeys-lru' } });
    expect(await admin.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    await expect(
      actuator?.apply(
        { ...action, parameters: { parameter: 'requirepass', value: 'x' } },
        { dryRun: false },
        context,
      ),
    ).rejects.toThrow(/not a parameter the actuator may change/);
    expect(await admin.config('GET', 'requirepass')).toEqual(['requirepass', labRedisPassword()]);
  });
});
