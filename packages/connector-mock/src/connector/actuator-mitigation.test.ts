import { createCallContext, InvalidInputError, type RemediationAction } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { meanOf, serverErrorRatio } from '../fixtures/metric-helpers';
import { quietScenario, sampleScenario } from '../fixtures/sample-scenarios';
import type { MockConnector, Scenario } from '../types';
import { createMockConnector } from './mock-connector';

const start = Date.parse('2026-03-02T10:00:00Z');
const minute = 60_000;
const at = (minutes: number) => start + minutes * minute;

async function apply(connector: MockConnector, action: RemediationAction, dryRun = false) {
  const actuator = connector.capabilities.actuator;
  if (!actuator) throw new Error('no actuator');
  return actuator.apply(action, { dryRun }, createCallContext({ clock: connector }));
}

async function series(connector: MockConnector, metric: string, entity: `${string}:${string}/${string}`) {
  return connector.capabilities.metrics?.range(
    { metric, entity, start, end: at(120) },
    createCallContext({ clock: connector }),
  );
}

function scenarioWith(fault: Scenario['faults'][number], extra: Partial<Scenario> = {}): Scenario {
  return { ...quietScenario(), faults: [fault], ...extra };
}

describe('the mock actuator', () => {
  it('supports known action types on fitting targets only', () => {
    const actuator = createMockConnector(sampleScenario()).capabilities.actuator;
    expect(
      actuator?.supports({
        type: 'postgres.terminate-idle',
        target: 'postgres:shop/payments-db',
        parameters: {},
      }),
    ).toBe(true);
    expect(
      actuator?.supports({ type: 'redis.memory-purge', target: 'redis:shop/session-cache', parameters: {} }),
    ).toBe(true);
    expect(
      actuator?.supports({ type: 'cronjob.suspend', target: 'cronjob:shop/nightly-export', parameters: {} }),
    ).toBe(true);
    expect(
      actuator?.supports({ type: 'redis.memory-purge', target: 'postgres:shop/payments-db', parameters: {} }),
    ).toBe(false);
    expect(
      actuator?.supports({ type: 'deployment.rollback', target: 'service:shop/nowhere', parameters: {} }),
    ).toBe(false);
    expect(actuator?.supports({ type: 'teleport', target: 'service:shop/frontend', parameters: {} })).toBe(
      false,
    );
  });

  it('ends connection-pool saturation on terminate-idle; a wrong action changes nothing', async () => {
    const untouched = createMockConnector(sampleScenario());
    const fixed = createMockConnector(sampleScenario());
    const wrong = createMockConnector(sampleScenario());
    await apply(fixed, {
      type: 'postgres.terminate-idle',
      target: 'postgres:shop/payments-db',
      parameters: {},
    });
    await apply(wrong, { type: 'deployment.restart', target: 'service:shop/payments', parameters: {} });
    for (const connector of [untouched, fixed, wrong]) connector.advanceTo(at(119));
    const errors = (connector: MockConnector) =>
      serverErrorRatio(connector, 'service:shop/frontend', at(95), at(119));
    expect(await errors(untouched)).toBeGreaterThan(0.01);
    expect(await errors(fixed)).toBeLessThan(0.004);
    expect(await errors(wrong)).toBeCloseTo(await errors(untouched), 3);
    expect(await series(wrong, 'pg_stat_database_numbackends', 'postgres:shop/payments-db')).toEqual(
      await series(untouched, 'pg_stat_database_numbackends', 'postgres:shop/payments-db'),
    );
    const backends = (connector: MockConnector) =>
      meanOf(connector, 'pg_stat_database_numbackends', 'postgres:shop/payments-db', {}, at(95), at(119));
    expect(await backends(fixed)).toBeLessThan((await backends(untouched)) * 0.6);
    expect(fixed.appliedActions()).toHaveLength(1);
    expect(fixed.appliedActions()[0]).toMatchObject({
      at: '2026-03-02T11:20:00.000Z',
      action: { type: 'postgres.terminate-idle' },
    });
    // Before the action nothing changed: the past stays the past.
    expect(await serverErrorRatio(fixed, 'service:shop/frontend', at(60), at(80))).toBeCloseTo(
      await serverErrorRatio(untouched, 'service:shop/frontend', at(60), at(80)),
      6,
    );
  });

  it('defragments redis gradually after activedefrag yes, not after an unrelated config change', async () => {
    const scenario = scenarioWith({
      type: 'redis.memory-fragmentation',
      target: 'session-cache',
      start: '+10m',
      params: { rampMinutes: 30 },
    });
    const fixed = createMockConnector(scenario, { now: at(60) });
    const wrong = createMockConnector(scenario, { now: at(60) });
    await apply(fixed, {
      type: 'redis.config-set',
      target: 'redis:shop/session-cache',
      parameters: { parameter: 'activedefrag', value: 'yes' },
    });
    await apply(wrong, {
      type: 'redis.config-set',
      target: 'redis:shop/session-cache',
      parameters: { parameter: 'hz', value: 20 },
    });
    for (const connector of [fixed, wrong]) connector.advanceTo(at(119));
    const ratio = (connector: MockConnector, from: number, to: number) =>
      meanOf(connector, 'redis_mem_fragmentation_ratio', 'redis:shop/session-cache', {}, at(from), at(to));
    expect(await ratio(wrong, 100, 119)).toBeGreaterThan(1.7);
    expect(await ratio(fixed, 100, 119)).toBeLessThan(1.25);
    expect(await ratio(fixed, 62, 64)).toBeGreaterThan(1.5);
  });

  it('ends a bad release on rollback, with a rollback change event', async () => {
    const scenario = scenarioWith({ type: 'deploy.bad-release', target: 'catalog', start: '+30m' });
    const connector = createMockConnector(scenario, { now: at(50) });
    const context = createCallContext({ clock: connector });
    expect(await serverErrorRatio(connector, 'service:shop/catalog', at(35), at(50))).toBeGreaterThan(0.08);
    const result = await apply(connector, {
      type: 'deployment.rollback',
      target: 'service:shop/catalog',
      parameters: {},
    });
    expect(result).toMatchObject({ applied: true, dryRun: false });
    connector.advanceTo(at(80));
    expect(await serverErrorRatio(connector, 'service:shop/catalog', at(56), at(80))).toBeLessThan(0.005);
    const changes =
      (await connector.capabilities.changes?.list(
        { start, end: at(80), entity: 'service:shop/catalog' },
        context,
      )) ?? [];
    expect(changes.map((change) => change.kind)).toEqual(['deploy', 'rollback']);
    expect(changes[1]?.attributes.to).toBe(changes[0]?.attributes.from);
  });

  it('stops cronjob contention when the job is suspended', async () => {
    const scenario = scenarioWith({
      type: 'cronjob.resource-contention',
      target: 'nightly-export',
      start: '+0m',
      params: { runMinutes: 50 },
    });
    const untouched = createMockConnector(scenario, { now: at(70) });
    const fixed = createMockConnector(scenario, { now: at(70) });
    await apply(fixed, { type: 'cronjob.suspend', target: 'cronjob:shop/nightly-export', parameters: {} });
    for (const connector of [untouched, fixed]) connector.advanceTo(at(119));
    const latency = (connector: MockConnector) =>
      meanOf(
        connector,
        'pg_stat_statements_mean_exec_time_seconds',
        'postgres:shop/catalog-db',
        {},
        at(80),
        at(105),
      );
    expect(await latency(fixed)).toBeLessThan((await latency(untouched)) / 2);
    const topology = await fixed.capabilities.topology?.scan(createCallContext({ clock: fixed }));
    expect(JSON.stringify(topology)).toContain('"suspend":true');
  });

  it('dry runs change nothing and record nothing', async () => {
    const connector = createMockConnector(sampleScenario());
    const before = await series(connector, 'pg_stat_database_numbackends', 'postgres:shop/payments-db');
    const result = await apply(
      connector,
      { type: 'deployment.scale', target: 'service:shop/payments', parameters: { replicas: 6 } },
      true,
    );
    expect(result).toMatchObject({ applied: false, dryRun: true });
    expect(result.details).toMatchObject({ 'previous replicas': 2, 'new replicas': 6 });
    expect(connector.appliedActions()).toEqual([]);
    expect(await series(connector, 'pg_stat_database_numbackends', 'postgres:shop/payments-db')).toEqual(
      before,
    );
  });

  it('rejects bad parameters and unsupported actions with typed errors', async () => {
    const connector = createMockConnector(sampleScenario());
    const error = await apply(connector, {
      type: 'deployment.scale',
      target: 'service:shop/payments',
      parameters: { replicas: 'many' },
    }).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).issues[0]?.path).toEqual(['parameters', 'replicas']);
    await expect(
      apply(connector, {
        type: 'cronjob.reschedule',
        target: 'cronjob:shop/nightly-export',
        parameters: { schedule: 'often' },
      }),
    ).rejects.toThrow(/parameters.schedule/);
    await expect(
      apply(connector, { type: 'redis.memory-purge', target: 'service:shop/frontend', parameters: {} }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('records notifications', async () => {
    const connector = createMockConnector(sampleScenario());
    const notifier = connector.capabilities.notifier;
    const result = await notifier?.notify(
      {
        kind: 'escalation',
        title: 'Checkout failing',
        entity: 'service:shop/frontend',
        severity: 'P2',
        body: 'Paging payments.',
      },
      createCallContext({ clock: connector }),
    );
    expect(result).toEqual({ delivered: true, id: 'notification-1' });
    expect(connector.notifications()).toEqual([
      {
        id: 'notification-1',
        at: '2026-03-02T11:20:00.000Z',
        notification: expect.objectContaining({ title: 'Checkout failing' }),
      },
    ]);
  });
});
