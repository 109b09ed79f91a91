// Against the lab's real Prometheus (docs/lab.md): `pnpm test:integration` starts it.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import {
  type AnyTool,
  ConnectorError,
  createBudget,
  createCallContext,
  InvalidInputError,
  metricDescriptorSchema,
  metricSeriesSchema,
  systemClock,
  type ToolContext,
} from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab } from './lab-environment.fixture';
import { createPrometheusConnector } from './prometheus-connector';

const context = createCallContext({ clock: systemClock });
const toolContext = (): ToolContext => ({
  ...context,
  budget: createBudget({ wallTimeMs: 60_000, toolCalls: 10, modelTokens: 0, costUsd: 0 }, systemClock),
});
const connector = createPrometheusConnector({ baseURL: lab.prometheusUrl, env: {}, scrapeIntervalMs: 1000 });

function tool(name: string): AnyTool {
  const found = connector.tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}
const runTool = (name: string, input: unknown) =>
  tool(name).run(tool(name).input.parse(input), toolContext());

async function rejection(promise: Promise<unknown> | undefined): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the lab Prometheus', () => {
  it('answers instant queries: every target up', async () => {
    const result = await runTool('prometheus_query', { query: 'up' });
    const samples = (result.data as { samples: { labels: Record<string, string>; value: number }[] }).samples;
    expect(samples.map((sample) => [sample.labels.job, sample.value]).sort()).toEqual([
      ['postgres', 1],
      ['prometheus', 1],
      ['redis', 1],
    ]);
  });

  it('reads gauges of the Redis and PostgreSQL entities through the default mapping', async () => {
    const end = Date.now();
    const memory = await connector.capabilities.metrics?.range(
      { metric: 'redis_memory_max_bytes', entity: lab.redisEntity, start: end - 30_000, end },
      context,
    );
    expect(memory).toHaveLength(1);
    expect(memory?.[0]).toMatchObject({ entity: lab.redisEntity, unit: 'bytes', labels: { team: 'cache' } });
    expect(memory?.[0]?.points.at(-1)?.[1]).toBe(64 * 1024 * 1024);
    const connections = await connector.capabilities.metrics?.range(
      {
        metric: 'pg_settings_max_connections',
        entity: lab.postgresEntity,
        start: end - 30_000,
        end,
        stepMs: 5000,
      },
      context,
    );
    expect(connections?.[0]?.points.at(-1)?.[1]).toBe(20);
    for (const series of [...(memory ?? []), ...(connections ?? [])]) metricSeriesSchema.parse(series);
  });

  it('reads a counter as a per-second rate and a histogram as quantiles', async () => {
    const end = Date.now();
    const commands = await connector.capabilities.metrics?.range(
      {
        metric: 'redis_commands_total',
        entity: lab.redisEntity,
        labels: { cmd: 'info' },
        start: end - 20_000,
        end,
      },
      context,
    );
    expect(commands?.[0]?.unit).toBe('commands/s');
    const rates = (commands?.[0]?.points ?? []).map(([, value]) => value).filter((value) => value !== null);
    // The exporter sends INFO at each 1 s scrape.
    expect(Math.max(...(rates as number[]))).toBeGreaterThan(0.5);
    const latency = await connector.capabilities.metrics?.range(
      {
        metric: 'prometheus_http_request_duration_seconds',
        entity: 'prometheus:lab/prometheus',
        labels: { quantile: '0.99' },
        start: end - 20_000,
        end,
      },
      context,
    );
    expect(latency?.length).toBeGreaterThan(0);
    expect(latency?.every((series) => series.labels.quantile === '0.99' && series.unit === 'seconds')).toBe(
      true,
    );
  });

  it('lists the metrics of an entity with their metadata', async () => {
    const descriptors =
      (await connector.capabilities.metrics?.list({ entity: lab.redisEntity }, context)) ?? [];
    for (const descriptor of descriptors) metricDescriptorSchema.parse(descriptor);
    const byName = new Map(descriptors.map((descriptor) => [descriptor.name, descriptor]));
    expect(byName.get('redis_memory_used_bytes')).toMatchObject({
      type: 'gauge',
      unit: 'bytes',
      entity: lab.redisEntity,
    });
    expect(byName.get('redis_evicted_keys_total')).toMatchObject({ type: 'counter', unit: 'keys/s' });
    expect(descriptors.every((descriptor) => descriptor.entity === lab.redisEntity)).toBe(true);
  });

  it('answers series, label values, metadata, rules and alerts tools', async () => {
    const series = await runTool('prometheus_series', { match: ['redis_up'], lookback: '5m' });
    expect(series.text.split('\n')[0]).toBe('1 series');
    const jobs = await runTool('prometheus_label_values', { label: 'job', lookback: '5m' });
    expect((jobs.data as { values: string[] }).values).toEqual(['postgres', 'prometheus', 'redis']);
    const metadata = await runTool('prometheus_metadata', { metric: 'pg_settings_max_connections' });
    expect(metadata.text).toMatch(/^pg_settings_max_connections: gauge/);
    const rules = await runTool('prometheus_rules', { type: 'alert' });
    const names = (rules.data as { rules: { name: string; forSeconds: number; health: string }[] }).rules;
    expect(names.map((rule) => [rule.name, rule.forSeconds, rule.health])).toEqual([
      ['RedisMemoryHigh', 5, 'ok'],
      ['PostgresConnectionsHigh', 5, 'ok'],
    ]);
    const alerts = await runTool('prometheus_alerts', {});
    expect(typeof alerts.text).toBe('string');
    const range = await runTool('prometheus_query_range', {
      query: 'rate(redis_commands_total{cmd="info"}[5s])',
      lookback: '30s',
    });
    expect(range.text).toMatch(/^1 series, 30s to /);
  });

  it('scans the scrape targets into entities', async () => {
    const snapshot = await connector.capabilities.topology?.scan(context);
    expect(snapshot?.entities.map((entity) => [entity.ref, entity.attributes.health])).toEqual([
      [lab.postgresEntity, 'up'],
      ['prometheus:lab/prometheus', 'up'],
      [lab.redisEntity, 'up'],
    ]);
  });

  it('turns PromQL the server rejects into an InvalidInputError with its explanation', async () => {
    const error = await rejection(runTool('prometheus_query', { query: 'sum(rate(up[1m]' }));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /Prometheus rejected the query \(bad_data\): .*parse error.*: fix the PromQL$/,
    );
  });
});

describe('the lab Prometheus that requires basic auth', () => {
  const authenticated = (options: Parameters<typeof createPrometheusConnector>[0]) =>
    createPrometheusConnector({
      baseURL: lab.prometheusAuthUrl,
      env: {},
      retry: { maxRetries: 0 },
      ...options,
    });
  const query = (target: ReturnType<typeof createPrometheusConnector>) =>
    target.tools[0]?.run({ query: 'up' }, toolContext());

  it('answers with the right credentials', async () => {
    const result = await query(
      authenticated({ username: lab.prometheusAuthUser, password: lab.prometheusAuthPassword }),
    );
    expect(result?.text).toMatch(/^\d+ series at /);
  });

  it('refuses a wrong password, no credentials and a bearer token, naming what to set', async () => {
    const wrong = await rejection(
      query(authenticated({ username: lab.prometheusAuthUser, password: 'not-the-password' })),
    );
    expect(ConnectorError.isInstance(wrong)).toBe(true);
    expect((wrong as Error).message).toMatch(
      /answered 401 Unauthorized: the server refused the credentials: check PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD/,
    );
    expect((wrong as Error).message).not.toContain('not-the-password');
    const none = await rejection(query(authenticated({})));
    expect((none as Error).message).toMatch(
      /401 Unauthorized: the server wants credentials: set PROMETHEUS_BEARER_TOKEN/,
    );
    const bearer = await rejection(query(authenticated({ bearerToken: 'nope' })));
    expect((bearer as Error).message).toMatch(/refused the bearer token: check PROMETHEUS_BEARER_TOKEN/);
  });
});

describe('failure paths', () => {
  let silent: TcpServer;
  let malformed: Server;
  let silentUrl = '';
  let malformedUrl = '';
  let closedUrl = '';

  beforeAll(async () => {
    // A socket that accepts connections and never answers.
    silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    // A server that answers 200 with what is not the Prometheus API.
    malformed = createHttpServer((request, response) => {
      const shape = request.url?.startsWith('/api/v1/query_range');
      response.writeHead(200, { 'content-type': shape ? 'application/json' : 'text/html' });
      response.end(
        shape ? '{"status":"success","data":{"resultType":"matrix","result":{}}}' : '<html>login</html>',
      );
    });
    await new Promise<void>((resolve) => malformed.listen(0, '127.0.0.1', resolve));
    malformedUrl = `http://127.0.0.1:${(malformed.address() as AddressInfo).port}`;
    // A port nothing listens on.
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    silent.close();
    malformed.closeAllConnections();
    await new Promise<void>((resolve) => malformed.close(() => resolve()));
  });

  it('reports a server that is down', async () => {
    const down = createPrometheusConnector({
      baseURL: closedUrl,
      env: {},
      retry: { maxRetries: 1, initialDelayMs: 10 },
    });
    const error = await rejection(
      down.capabilities.signals?.list({ start: Date.now() - 60_000, end: Date.now() }, context),
    );
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as ConnectorError).isRetryable).toBe(true);
    expect((error as Error).message).toMatch(
      /cannot reach .*: fetch failed \(ECONNREFUSED\): check PROMETHEUS_URL/,
    );
  });

  it('times out a server that accepts and never answers', async () => {
    const hanging = createPrometheusConnector({ baseURL: silentUrl, env: {}, timeoutMs: 300 });
    const started = Date.now();
    const error = await rejection(
      hanging.capabilities.metrics?.range({ metric: 'up', start: started - 60_000, end: started }, context),
    );
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no answer from .* within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects answers that are not the Prometheus API', async () => {
    const wrong = createPrometheusConnector({ baseURL: malformedUrl, env: {}, retry: { maxRetries: 0 } });
    const html = await rejection(wrong.tools[0]?.run({ query: 'up' }, toolContext()));
    expect((html as Error).message).toMatch(
      /answered 200 with a body that is not JSON \("<html>login<\/html>"\)/,
    );
    const shape = await rejection(
      wrong.capabilities.metrics?.range(
        { metric: 'up', start: Date.now() - 60_000, end: Date.now() },
        context,
      ),
    );
    expect(ConnectorError.isInstance(shape)).toBe(true);
    expect((shape as Error).message).toMatch(/answered an unexpected shape \(result: /);
  });
});

describeConnectorConformance({
  name: 'prometheus (lab)',
  create: () => createPrometheusConnector({ baseURL: lab.prometheusUrl, env: {}, scrapeIntervalMs: 1000 }),
  window: { start: Date.now() - 120_000, end: Date.now() },
  entity: lab.redisEntity,
});
