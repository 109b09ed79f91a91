import { createCallContext, createManualClock, InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import {
  answer,
  fixture,
  labFixtureEnd,
  labFixtureStart,
  noRequest,
  parseRequest,
  routes,
  useFixtureServer,
} from './wire-fixtures.fixture';

const setup = useFixtureServer();

const captureEnd = 1_796_655_081_000;
const context = createCallContext({ clock: createManualClock(captureEnd) });
const redisSelectors = [
  'entity="redis:lab/cache"',
  'entity_kind=~"(?i)redis", namespace="lab", service="cache"',
  'entity_kind=~"(?i)redis", namespace="lab", service="", job="cache"',
  'entity_kind=~"(?i)redis", namespace="", env="lab", service="cache"',
  'entity_kind=~"(?i)redis", namespace="", env="lab", service="", job="cache"',
];
const union = (metric: string, wrap = (selector: string) => selector) =>
  redisSelectors.map((selector) => wrap(`${metric}{${selector}}`)).join(' or ');

function matrixPoints(name: string): [number, number | null][] {
  const data = fixture(name) as { data: { result: { values: [number, string][] }[] } };
  return (data.data.result[0]?.values ?? []).map(([at, value]) => [at * 1000, Number(value)]);
}

describe('metrics.range', () => {
  it('reads a gauge of an entity through the mapping selectors, with the bearer token', async () => {
    const { connector, requests } = await setup(
      [answer('metadata_redis_memory_used_bytes'), answer('query_range_redis_memory_used_bytes')],
      { bearerToken: 's3cret-token' },
    );
    const series = await connector.capabilities.metrics?.range(
      {
        metric: 'redis_memory_used_bytes',
        entity: 'redis:lab/cache',
        start: labFixtureStart,
        end: labFixtureEnd,
        stepMs: 2000,
      },
      context,
    );
    expect(requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    expect(requests[0]?.path).toBe('/api/v1/metadata?metric=redis_memory_used_bytes');
    const { path, query } = parseRequest(requests[1] ?? noRequest);
    expect(path).toBe('/api/v1/query_range');
    expect(Object.fromEntries(query)).toEqual({
      query: union('redis_memory_used_bytes'),
      start: '1796655035',
      end: '1796655081',
      step: '2',
    });
    for (const request of requests) {
      expect(request.headers.authorization).toBe('Bearer s3cret-token');
      expect(request.headers.accept).toBe('application/json');
    }
    expect(series).toEqual([
      {
        metric: 'redis_memory_used_bytes',
        entity: 'redis:lab/cache',
        labels: { instance: '127.0.0.1:9121', team: 'cache' },
        unit: 'bytes',
        points: matrixPoints('query_range_redis_memory_used_bytes'),
      },
    ]);
    expect(series?.[0]?.points[10]).toEqual([1_796_655_057_000, 66_267_296]);
  });

  it('reads a counter as a per-second rate over max(step + scrape, 4 × scrape)', async () => {
    const { connector, requests } = await setup([
      answer('metadata_redis_evicted_keys_total'),
      answer('query_range_rate_redis_evicted_keys_total'),
    ]);
    const series = await connector.capabilities.metrics?.range(
      {
        metric: 'redis_evicted_keys_total',
        entity: 'redis:lab/cache',
        start: labFixtureStart,
        end: labFixtureEnd,
        stepMs: 2000,
      },
      context,
    );
    const { query } = parseRequest(requests[1] ?? noRequest);
    expect(query.get('query')).toBe(union('redis_evicted_keys_total', (selector) => `rate(${selector}[4s])`));
    expect(series?.[0]?.unit).toBe('keys/s');
    expect(series?.[0]?.points.find(([, value]) => (value ?? 0) > 0)).toEqual([
      1_796_655_059_000, 33651.717333333334,
    ]);
  });

  it('reads a histogram as histogram_quantile of its buckets, NaN as missing', async () => {
    const { connector, requests } = await setup([
      answer('metadata_prometheus_http_request_duration_seconds'),
      answer('query_range_histogram_quantile'),
    ]);
    const series = await connector.capabilities.metrics?.range(
      {
        metric: 'prometheus_http_request_duration_seconds',
        entity: 'prometheus:lab/prometheus',
        labels: { quantile: '0.99', handler: '/api/v1/query' },
        start: captureEnd - 20_000,
        end: captureEnd,
      },
      context,
    );
    const { query } = parseRequest(requests[1] ?? noRequest);
    const expression = query.get('query') ?? '';
    expect(
      expression.startsWith(
        'histogram_quantile(0.99, rate(prometheus_http_request_duration_seconds_bucket{handler="/api/v1/query", entity="prometheus:lab/prometheus"}[4s]) or ',
      ),
    ).toBe(true);
    expect(query.get('step')).toBe('1');
    // The fixture holds every handler (it was captured without the handler matcher): each is kept, labelled
    // with its quantile.
    expect(series?.length).toBe(3);
    expect(series?.[0]?.labels).toEqual({
      handler: '/api/v1/query',
      instance: '127.0.0.1:9091',
      team: 'sre',
      quantile: '0.99',
    });
    expect(series?.[0]?.unit).toBe('seconds');
    expect(series?.[0]?.points.every(([, value]) => value === null)).toBe(true);
  });

  it('reads VictoriaMetrics, whose metadata is empty, by the naming conventions', async () => {
    const { connector, requests } = await setup([
      answer('victoriametrics_metadata'),
      answer('victoriametrics_query_range_redis_memory_used_bytes'),
    ]);
    const series = await connector.capabilities.metrics?.range(
      {
        metric: 'redis_memory_used_bytes',
        entity: 'redis:lab/cache',
        start: 1_796_655_294_000,
        end: 1_796_655_306_000,
        stepMs: 2000,
      },
      createCallContext({ clock: createManualClock(1_796_655_306_000) }),
    );
    expect(parseRequest(requests[1] ?? noRequest).query.get('query')).toBe(union('redis_memory_used_bytes'));
    expect(series?.[0]?.entity).toBe('redis:lab/cache');
    expect(series?.[0]?.unit).toBe('bytes');
    expect(series?.[0]?.points.map(([, value]) => value)).toEqual([
      1_114_240, 1_114_240, 1_114_240, 1_114_240, 67_057_456, 67_057_456, 67_057_456,
    ]);
  });

  it('never asks past now and caches metadata on the clock', async () => {
    const clock = createManualClock(captureEnd);
    const { connector, requests } = await setup([
      answer('metadata_redis_memory_used_bytes'),
      answer('query_range_redis_memory_used_bytes'),
      answer('query_range_redis_memory_used_bytes'),
    ]);
    const range = {
      metric: 'redis_memory_used_bytes',
      start: captureEnd - 60_000,
      end: captureEnd + 3_600_000,
    };
    const series = await connector.capabilities.metrics?.range(range, createCallContext({ clock }));
    expect(parseRequest(requests[1] ?? noRequest).query.get('end')).toBe('1796655081');
    for (const one of series ?? []) for (const [at] of one.points) expect(at).toBeLessThanOrEqual(captureEnd);
    clock.advance(60_000);
    await connector.capabilities.metrics?.range(range, createCallContext({ clock }));
    expect(requests.map((request) => parseRequest(request).path)).toEqual([
      '/api/v1/metadata',
      '/api/v1/query_range',
      '/api/v1/query_range',
    ]);
    expect(
      await connector.capabilities.metrics?.range(
        { ...range, start: captureEnd + 120_000 },
        createCallContext({ clock }),
      ),
    ).toEqual([]);
  });

  it('rejects a metric or label that is not a Prometheus name, before any request', async () => {
    const { connector, requests } = await setup([]);
    const range = connector.capabilities.metrics?.range;
    await expect(range?.({ metric: 'up} or vector(1)', start: 0, end: 1 }, context)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(
      range?.({ metric: 'up', labels: { 'bad-name': 'x' }, start: 0, end: 1 }, context),
    ).rejects.toThrow(/not a Prometheus label name/);
    expect(requests).toHaveLength(0);
  });
});

describe('metrics.list', () => {
  it('lists the metrics of an entity with type, unit and help from the metadata', async () => {
    const { connector, requests } = await setup(
      routes({
        '/api/v1/series': answer('series_redis_entity'),
        '/api/v1/metadata': answer('metadata_some'),
      }),
    );
    const descriptors = await connector.capabilities.metrics?.list({ entity: 'redis:lab/cache' }, context);
    const series = requests.find((request) => parseRequest(request).path === '/api/v1/series');
    const query = parseRequest(series ?? noRequest).query;
    expect(query.getAll('match[]')).toEqual(redisSelectors.map((selector) => `{${selector}}`));
    expect(query.get('start')).toBe('1796651481');
    expect(query.get('end')).toBe('1796655081');
    expect(
      descriptors?.map((descriptor) => [
        descriptor.name,
        descriptor.type,
        descriptor.unit,
        descriptor.labels,
      ]),
    ).toEqual([
      [
        'ALERTS',
        'gauge',
        '',
        {
          alertname: 'RedisMemoryHigh',
          alertstate: 'firing',
          instance: '127.0.0.1:9121',
          severity: 'critical',
          symptom_metric: 'redis_memory_used_bytes',
          team: 'cache',
        },
      ],
      [
        'ALERTS',
        'gauge',
        '',
        {
          alertname: 'RedisMemoryHigh',
          alertstate: 'pending',
          instance: '127.0.0.1:9121',
          severity: 'critical',
          symptom_metric: 'redis_memory_used_bytes',
          team: 'cache',
        },
      ],
      [
        'redis_commands_total',
        'counter',
        'commands/s',
        { cmd: 'set', instance: '127.0.0.1:9121', team: 'cache' },
      ],
      ['redis_connected_clients', 'gauge', '', { instance: '127.0.0.1:9121', team: 'cache' }],
      ['redis_evicted_keys_total', 'counter', 'keys/s', { instance: '127.0.0.1:9121', team: 'cache' }],
      ['redis_memory_max_bytes', 'gauge', 'bytes', { instance: '127.0.0.1:9121', team: 'cache' }],
      ['redis_memory_used_bytes', 'gauge', 'bytes', { instance: '127.0.0.1:9121', team: 'cache' }],
      ['redis_up', 'gauge', '', { instance: '127.0.0.1:9121', team: 'cache' }],
    ]);
    expect(descriptors?.every((descriptor) => descriptor.entity === 'redis:lab/cache')).toBe(true);
    expect(descriptors?.find((descriptor) => descriptor.name === 'redis_up')?.help).toBe(
      'Information about the Redis instance',
    );
  });

  it('warns and cuts when there are more series than maxSeries', async () => {
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn: (message: string) => void warnings.push(message),
      error() {},
    };
    const { connector } = await setup(
      routes({
        '/api/v1/series': answer('series_redis_entity'),
        '/api/v1/metadata': answer('metadata_some'),
      }),
      { maxSeries: 2 },
    );
    const descriptors = await connector.capabilities.metrics?.list(
      {},
      createCallContext({ clock: createManualClock(captureEnd), logger }),
    );
    expect(descriptors?.length).toBeLessThanOrEqual(2);
    expect(warnings[0]).toMatch(/more than maxSeries \(2\)/);
  });
});
