import { createCallContext, createManualClock, signalSchema } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerWebhook } from './alertmanager-webhook';
import {
  answer,
  fixture,
  labFixtureEnd,
  labFixtureStart,
  parseRequest,
  routes,
  useFixtureServer,
} from './wire-fixtures.fixture';

const setup = useFixtureServer();

const alertRoutes = routes({
  '/api/v1/query_range': (query) =>
    answer(
      query.get('query')?.startsWith('ALERTS_FOR_STATE')
        ? 'query_range_ALERTS_FOR_STATE'
        : 'query_range_ALERTS_firing',
    ),
  '/api/v1/rules': answer('prom_rules'),
});

/** A matrix answer cut at `endSeconds`, as Prometheus answers a window ending then. */
function cutAt(name: string, endSeconds: number) {
  const data = structuredClone(fixture(name)) as { data: { result: { values: [number, string][] }[] } };
  for (const series of data.data.result) series.values = series.values.filter(([at]) => at <= endSeconds);
  return { json: data };
}

describe('signals.list', () => {
  it('turns each firing stretch of ALERTS into a signal that resolved, started as Alertmanager says', async () => {
    const { connector, requests } = await setup(alertRoutes, { externalLabels: { lab: 'aisre' } });
    const signals = await connector.capabilities.signals?.list(
      { start: labFixtureStart, end: labFixtureEnd },
      createCallContext({ clock: createManualClock(labFixtureEnd) }),
    );
    const asked = requests.map((request) => {
      const { path, query } = parseRequest(request);
      return `${path} ${query.get('query') ?? query.get('type')} ${query.get('step') ?? ''}`.trim();
    });
    expect(asked.sort()).toEqual([
      '/api/v1/query_range ALERTS_FOR_STATE 1',
      '/api/v1/query_range ALERTS{alertstate="firing"} 1',
      '/api/v1/rules alert',
    ]);
    expect(
      signals?.map((signal) => [
        signal.entity,
        signal.labels.alertname,
        signal.status,
        signal.at,
        signal.severity,
      ]),
    ).toEqual([
      ['redis:lab/cache', 'RedisMemoryHigh', 'resolved', '2026-12-07T14:51:01.000Z', 'P1'],
      ['postgres:lab/db', 'PostgresConnectionsHigh', 'resolved', '2026-12-07T14:51:04.000Z', 'P3'],
    ]);
    // With the external label Prometheus adds for Alertmanager, the fingerprints are the webhook's.
    const webhook = [
      ...parseAlertmanagerWebhook(fixture('webhook_firing_RedisMemoryHigh')).signals,
      ...parseAlertmanagerWebhook(fixture('webhook_firing_PostgresConnectionsHigh')).signals,
    ];
    expect(signals?.map((signal) => signal.fingerprint)).toEqual(webhook.map((signal) => signal.fingerprint));
    expect(signals?.map((signal) => signal.labels)).toEqual(webhook.map((signal) => signal.labels));
    for (const signal of signals ?? []) signalSchema.parse(signal);
    expect(signals?.[0]?.payload).toEqual({
      annotations: {},
      firingSeenFrom: '2026-12-07T14:51:02.000Z',
      firingSeenUntil: '2026-12-07T14:51:27.000Z',
    });
  });

  it('reports an alert still firing at the window end as firing, with its rule annotations and exact start', async () => {
    const captured = 1_796_655_081;
    const { connector } = await setup(
      routes({
        '/api/v1/query_range': (query) =>
          cutAt(
            query.get('query')?.startsWith('ALERTS_FOR_STATE')
              ? 'query_range_ALERTS_FOR_STATE'
              : 'query_range_ALERTS_firing',
            captured,
          ),
        '/api/v1/rules': answer('prom_rules'),
      }),
    );
    const signals = await connector.capabilities.signals?.list(
      { start: labFixtureStart, end: captured * 1000 },
      createCallContext({ clock: createManualClock(captured * 1000) }),
    );
    const redis = signals?.find((signal) => signal.entity === 'redis:lab/cache');
    expect(redis).toMatchObject({
      source: 'prometheus',
      kind: 'alert',
      status: 'firing',
      at: '2026-12-07T14:51:01.321Z',
      summary: 'Redis cache memory at 99.92% of maxmemory',
      severity: 'P1',
      id: `prometheus:${redis?.fingerprint}:1796655061321:firing`,
    });
    expect(redis?.payload.value).toBe('9.992344379425049e-01');
  });

  it('narrows ALERTS to an entity with the mapping selectors', async () => {
    const { connector, requests } = await setup(alertRoutes);
    const signals = await connector.capabilities.signals?.list(
      { entity: 'postgres:lab/db', start: labFixtureStart, end: labFixtureEnd },
      createCallContext({ clock: createManualClock(labFixtureEnd) }),
    );
    const firing = requests
      .map((request) => parseRequest(request).query.get('query'))
      .find((query) => query?.startsWith('ALERTS{'));
    expect(firing?.split(' or ')[0]).toBe('ALERTS{alertstate="firing", entity="postgres:lab/db"}');
    expect(signals?.map((signal) => signal.entity)).toEqual(['postgres:lab/db']);
  });

  it('still lists alerts when the rules API and ALERTS_FOR_STATE are missing (VictoriaMetrics without vmalert)', async () => {
    const { connector } = await setup(
      routes({
        '/api/v1/query_range': (query) =>
          query.get('query')?.startsWith('ALERTS_FOR_STATE')
            ? { status: 400, json: { status: 'error', errorType: 'bad_data', error: 'unknown' } }
            : answer('query_range_ALERTS_firing'),
      }),
      { retry: { maxRetries: 0 } },
    );
    const signals = await connector.capabilities.signals?.list(
      { start: labFixtureStart, end: labFixtureEnd },
      createCallContext({ clock: createManualClock(labFixtureEnd) }),
    );
    expect(signals?.map((signal) => signal.at)).toEqual([
      '2026-12-07T14:51:02.000Z',
      '2026-12-07T14:51:05.000Z',
    ]);
  });
});

describe('topology.scan', () => {
  it('lists the entities of the scrape targets with their health, without relations', async () => {
    const { connector, requests } = await setup(routes({ '/api/v1/targets': answer('prom_targets') }));
    const snapshot = await connector.capabilities.topology?.scan(
      createCallContext({ clock: createManualClock(labFixtureEnd) }),
    );
    expect(requests[0]?.path).toBe('/api/v1/targets?state=active');
    expect(snapshot).toEqual({
      observedAt: '2026-12-07T14:51:39.000Z',
      entities: [
        {
          ref: 'postgres:lab/db',
          attributes: {
            kind: 'postgres',
            scrapeJobs: ['postgres'],
            instances: ['127.0.0.1:9187'],
            health: 'up',
            source: 'prometheus',
          },
        },
        {
          ref: 'prometheus:lab/prometheus',
          attributes: {
            kind: 'prometheus',
            scrapeJobs: ['prometheus'],
            instances: ['127.0.0.1:9091'],
            health: 'up',
            source: 'prometheus',
          },
        },
        {
          ref: 'redis:lab/cache',
          attributes: {
            kind: 'redis',
            scrapeJobs: ['redis'],
            instances: ['127.0.0.1:9121'],
            health: 'up',
            source: 'prometheus',
          },
        },
      ],
      relations: [],
      kubernetesObjects: [],
    });
  });

  it('marks an entity down with the scrape error of a failing target', async () => {
    const targets = structuredClone(fixture('prom_targets')) as {
      data: { activeTargets: { health: string; lastError: string; labels: Record<string, string> }[] };
    };
    const redis = targets.data.activeTargets.find((target) => target.labels.job === 'redis');
    if (redis) {
      redis.health = 'down';
      redis.lastError =
        'Get "http://127.0.0.1:9121/metrics": dial tcp 127.0.0.1:9121: connect: connection refused';
    }
    const { connector } = await setup(routes({ '/api/v1/targets': { json: targets } }));
    const snapshot = await connector.capabilities.topology?.scan(
      createCallContext({ clock: createManualClock(labFixtureEnd) }),
    );
    expect(snapshot?.entities.find((entity) => entity.ref === 'redis:lab/cache')?.attributes).toMatchObject({
      health: 'down',
      scrapeErrors: [expect.stringContaining('connection refused')],
    });
  });
});
