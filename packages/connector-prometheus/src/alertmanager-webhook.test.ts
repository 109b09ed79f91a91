import { InvalidInputError, signalSchema } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerWebhook } from './alertmanager-webhook';
import { labelsFingerprint } from './label-fingerprint';
import { fixture } from './wire-fixtures.fixture';

type Payload = { alerts: unknown[] } & Record<string, unknown>;

describe('parseAlertmanagerWebhook', () => {
  it('turns a firing payload into a signal about the mapped entity', () => {
    const { signals, problems, truncatedAlerts } = parseAlertmanagerWebhook(
      fixture('webhook_firing_RedisMemoryHigh'),
    );
    expect(problems).toEqual([]);
    expect(truncatedAlerts).toBe(0);
    expect(signals).toEqual([
      {
        id: 'alertmanager:aa2b316a4c604cc8:1796655061321:firing',
        source: 'alertmanager',
        kind: 'alert',
        entity: 'redis:lab/cache',
        severity: 'P1',
        at: '2026-12-07T14:51:01.321Z',
        summary: 'Redis cache memory at 99.92% of maxmemory',
        labels: {
          alertname: 'RedisMemoryHigh',
          entity_kind: 'redis',
          instance: '127.0.0.1:9121',
          job: 'redis',
          lab: 'aisre',
          namespace: 'lab',
          service: 'cache',
          severity: 'critical',
          symptom_metric: 'redis_memory_used_bytes',
          team: 'cache',
        },
        payload: {
          annotations: {
            description: 'used_memory / maxmemory on 127.0.0.1:9121 has been above 80% for 5s',
            runbook_url: 'https://example.invalid/runbooks/redis-memory',
            summary: 'Redis cache memory at 99.92% of maxmemory',
          },
          receiver: 'aisre',
          groupKey: '{}:{alertname="RedisMemoryHigh"}',
          externalURL: 'http://127.0.0.1:9094',
          generatorURL:
            'http://127.0.0.1:9091/graph?g0.expr=redis_memory_used_bytes+%2F+redis_memory_max_bytes+%3E+0.8+and+redis_memory_max_bytes+%3E+0&g0.tab=1',
        },
        status: 'firing',
        fingerprint: 'aa2b316a4c604cc8',
      },
    ]);
    for (const signal of signals) signalSchema.parse(signal);
  });

  it('keeps the start, the fingerprint and the entity on resolution, with endsAt in the payload', () => {
    const firing = parseAlertmanagerWebhook(fixture('webhook_firing_PostgresConnectionsHigh')).signals[0];
    const resolved = parseAlertmanagerWebhook(fixture('webhook_resolved_PostgresConnectionsHigh')).signals[0];
    expect(resolved).toMatchObject({
      status: 'resolved',
      entity: 'postgres:lab/db',
      severity: 'P3',
      at: firing?.at,
      fingerprint: firing?.fingerprint,
      id: `alertmanager:${firing?.fingerprint}:1796655064321:resolved`,
    });
    expect(resolved?.payload.endsAt).toBe('2026-12-07T14:51:28.321Z');
    expect(firing?.payload.endsAt).toBeUndefined();
  });

  it('computes the fingerprint as Alertmanager does when it is missing', () => {
    for (const name of ['webhook_firing_RedisMemoryHigh', 'webhook_firing_PostgresConnectionsHigh']) {
      const payload = fixture(name) as Payload;
      const alert = payload.alerts[0] as { labels: Record<string, string>; fingerprint: string };
      expect(labelsFingerprint(alert.labels)).toBe(alert.fingerprint);
      delete (alert as Partial<typeof alert>).fingerprint;
      expect(parseAlertmanagerWebhook(payload).signals[0]?.fingerprint).toBe(labelsFingerprint(alert.labels));
    }
  });

  it('keeps the good alerts of a payload with a malformed one, naming its index and field', () => {
    const payload = fixture('webhook_firing_RedisMemoryHigh') as Payload;
    const good = payload.alerts[0] as Record<string, unknown>;
    payload.alerts = [
      { ...good, startsAt: 'yesterday' },
      good,
      { ...good, status: 'exploded', fingerprint: 'ffff' },
      'not an alert',
    ];
    const { signals, problems } = parseAlertmanagerWebhook(payload);
    expect(signals.map((signal) => signal.fingerprint)).toEqual(['aa2b316a4c604cc8']);
    expect(problems.map((problem) => [problem.index, problem.message.split(':')[0]])).toEqual([
      [0, 'alerts[0]'],
      [2, 'alerts[2]'],
      [3, 'alerts[3]'],
    ]);
    expect(problems[0]?.message).toMatch(/startsAt: expected an RFC 3339 time/);
  });

  it('reports an alert no entity rule maps as a problem', () => {
    const payload = fixture('webhook_firing_RedisMemoryHigh') as Payload;
    const { signals, problems } = parseAlertmanagerWebhook(payload, {
      entities: { entityLabel: null, templates: ['redis:{cluster}/{pod}'] },
    });
    expect(signals).toEqual([]);
    expect(problems[0]?.message).toMatch(/no entity rule applies to its labels/);
  });

  it('maps severities and entities as configured', () => {
    const { signals } = parseAlertmanagerWebhook(fixture('webhook_firing_RedisMemoryHigh'), {
      source: 'am-eu',
      severity: { values: { critical: 'P2' } },
      entities: { templates: ['cache:{team}/{instance}'] },
    });
    expect(signals[0]).toMatchObject({
      source: 'am-eu',
      severity: 'P2',
      entity: 'cache:cache/127.0.0.1:9121',
    });
  });

  it('rejects a payload that is not JSON, not an object, of another version, or has no alerts', () => {
    const payload = fixture('webhook_firing_RedisMemoryHigh') as Payload;
    for (const bad of [
      '{"version": "4", ',
      42,
      { ...payload, version: '3' },
      { ...payload, alerts: undefined },
    ]) {
      expect(() => parseAlertmanagerWebhook(bad)).toThrow(InvalidInputError);
    }
    expect(() => parseAlertmanagerWebhook({ ...payload, version: '3' })).toThrow(/expected version "4"/);
    expect(parseAlertmanagerWebhook(JSON.stringify(payload)).signals).toHaveLength(1);
  });
});
