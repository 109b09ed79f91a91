import {
  type AnyTool,
  createBudget,
  createCallContext,
  createManualClock,
  type ToolContext,
} from '@aisre/core';
import { describeConnectorConformance, type ScriptedServer, startScriptedServer } from '@aisre/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusConnector } from './prometheus-connector';
import { parseDuration } from './prometheus-tools';
import { answer, labFixtureEnd, labFixtureStart, parseRequest, routes } from './wire-fixtures.fixture';

const captureEnd = 1_796_655_081_000;

function toolContext(): ToolContext {
  const clock = createManualClock(captureEnd);
  return {
    ...createCallContext({ clock }),
    budget: createBudget({ wallTimeMs: 60_000, toolCalls: 10, modelTokens: 0, costUsd: 0 }, clock),
  };
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function toolsOn(responses: Parameters<typeof startScriptedServer>[0]) {
  server = await startScriptedServer(responses);
  const connector = createPrometheusConnector({ baseURL: server.origin, env: {} });
  const tool = (name: string): AnyTool => {
    const found = connector.tools.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  const run = (name: string, input: unknown) => tool(name).run(tool(name).input.parse(input), toolContext());
  return { run, requests: server.requests, connector };
}

describe('tools', () => {
  it('has the seven tools, each validating its input', async () => {
    const { connector } = await toolsOn([]);
    expect(connector.tools.map((tool) => tool.name)).toEqual([
      'prometheus_query',
      'prometheus_query_range',
      'prometheus_series',
      'prometheus_label_values',
      'prometheus_metadata',
      'prometheus_alerts',
      'prometheus_rules',
    ]);
    const [query, range, series, labels, metadata] = connector.tools;
    expect(query?.input.safeParse({ query: '' }).success).toBe(false);
    expect(query?.input.safeParse({ query: 'up', extra: 1 }).success).toBe(false);
    expect(range?.input.safeParse({ query: 'up', lookback: 'soon' }).success).toBe(false);
    expect(series?.input.safeParse({ match: [] }).success).toBe(false);
    expect(labels?.input.safeParse({ label: 'bad-label' }).success).toBe(false);
    expect(metadata?.input.safeParse({ metric: 'up}' }).success).toBe(false);
  });

  it('prometheus_query renders a vector compactly', async () => {
    const { run, requests } = await toolsOn([answer('query_redis_memory_ratio')]);
    const result = await run('prometheus_query', {
      query: 'redis_memory_used_bytes / redis_memory_max_bytes',
    });
    expect(requests[0]?.path).toBe(
      '/api/v1/query?query=redis_memory_used_bytes+%2F+redis_memory_max_bytes&time=1796655081',
    );
    expect(result.text).toBe(
      '1 series at 2026-12-07T14:51:21.000Z\n{entity_kind="redis",instance="127.0.0.1:9121",job="redis",namespace="lab",service="cache",team="cache"} 0.9992',
    );
    expect(result.data).toMatchObject({
      resultType: 'vector',
      total: 1,
      samples: [{ value: 0.9992344379425049 }],
    });
  });

  it('prometheus_query summarises a range vector and reads the time given', async () => {
    const { run, requests } = await toolsOn([answer('query_matrix')]);
    const result = await run('prometheus_query', {
      query: 'redis_memory_used_bytes[5s]',
      time: '2026-12-07T14:51:21Z',
    });
    expect(
      parseRequest(requests[0] ?? { method: '', path: '', headers: {}, body: undefined }).query.get('time'),
    ).toBe('1796655081');
    expect(result.text).toMatch(
      /^1 series\nredis_memory_used_bytes\{.*\}: first 67057488, last 67057488, min 67057488, max 67057488, mean 67057488 over 5 points$/,
    );
  });

  it('prometheus_query_range thins points and reports the step', async () => {
    const { run, requests } = await toolsOn([answer('query_range_redis_memory_used_bytes')]);
    const result = await run('prometheus_query_range', {
      query: 'redis_memory_used_bytes',
      lookback: '46s',
      step: '2s',
    });
    expect(
      Object.fromEntries(
        parseRequest(requests[0] ?? { method: '', path: '', headers: {}, body: undefined }).query,
      ),
    ).toEqual({
      query: 'redis_memory_used_bytes',
      start: '1796655035',
      end: '1796655081',
      step: '2',
    });
    expect(result.text).toMatch(
      /^1 series, 46s to 2026-12-07T14:51:21.000Z, step 2s\n.*first 1114304, last 67057488, min 1114272, max 67057488/,
    );
    const series = (result.data as { series: { points: unknown[] }[] }).series;
    expect(series[0]?.points.length).toBeLessThanOrEqual(20);
  });

  it('prometheus_series, prometheus_label_values and prometheus_metadata ask what they are told', async () => {
    const { run, requests } = await toolsOn([
      answer('series_redis_entity'),
      answer('label_values_job'),
      answer('metadata_redis_evicted_keys_total'),
    ]);
    const series = await run('prometheus_series', { match: ['{job="redis"}'], lookback: '5m' });
    const labels = await run('prometheus_label_values', { label: 'job' });
    const metadata = await run('prometheus_metadata', { metric: 'redis_evicted_keys_total' });
    expect(requests.map((request) => request.path)).toEqual([
      '/api/v1/series?match%5B%5D=%7Bjob%3D%22redis%22%7D&start=1796654781&end=1796655081',
      '/api/v1/label/job/values?start=1796651481&end=1796655081',
      '/api/v1/metadata?metric=redis_evicted_keys_total',
    ]);
    expect(series.text.split('\n')[0]).toBe('8 series');
    expect(labels.text).toBe('3 values of job: postgres, prometheus, redis');
    expect(metadata.text).toBe('redis_evicted_keys_total: counter: evicted_keys_total metric');
  });

  it('prometheus_alerts and prometheus_rules map alerts to entities and severities', async () => {
    const { run } = await toolsOn([answer('prom_alerts'), answer('prom_rules'), answer('prom_alerts')]);
    const alerts = await run('prometheus_alerts', {});
    expect(alerts.text).toBe(
      [
        '2 alerts',
        'RedisMemoryHigh firing since 2026-12-07T14:50:56.321913012Z on redis:lab/cache (P1): Redis cache memory at 99.92% of maxmemory',
        'PostgresConnectionsHigh firing since 2026-12-07T14:50:59.321913012Z on postgres:lab/db (P3): Postgres db using 90% of max_connections',
      ].join('\n'),
    );
    const rules = await run('prometheus_rules', { type: 'alert' });
    expect(rules.text.split('\n')[1]).toBe(
      'aisre-lab/RedisMemoryHigh alerting firing health ok for 5s: redis_memory_used_bytes / redis_memory_max_bytes > 0.8 and redis_memory_max_bytes > 0',
    );
    const pending = await run('prometheus_alerts', { state: 'pending' });
    expect(pending.text).toBe('no alerts pending or firing');
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2 hours')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});

describe('conformance', () => {
  let fixtures: ScriptedServer;
  beforeAll(async () => {
    fixtures = await startScriptedServer(
      routes({
        '/api/v1/series': answer('series_redis_entity'),
        '/api/v1/metadata': answer('metadata_some'),
        '/api/v1/query_range': (query) =>
          answer(
            query.get('query')?.startsWith('ALERTS_FOR_STATE')
              ? 'query_range_ALERTS_FOR_STATE'
              : query.get('query')?.startsWith('ALERTS')
                ? 'query_range_ALERTS_firing'
                : 'query_range_redis_memory_used_bytes',
          ),
        '/api/v1/rules': answer('prom_rules'),
        '/api/v1/targets': answer('prom_targets'),
      }),
    );
  });
  afterAll(() => fixtures.close());

  describeConnectorConformance({
    name: 'prometheus',
    create: () => createPrometheusConnector({ baseURL: fixtures.origin, env: {}, scrapeIntervalMs: 1000 }),
    window: { start: labFixtureStart, end: labFixtureEnd },
    entity: 'redis:lab/cache',
  });
});
