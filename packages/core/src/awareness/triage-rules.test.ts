// The rubric's rules, one by one: forecasts and their breach, rollouts, changes as suspects, criticality,
// flapping, the primary signal, observed traffic and level series (the decision after the investigation is in
// decision-revision.test.ts).
import { describe, expect, it } from 'vitest';
import type { Signal } from '../contracts/signal';
import { SystemMap } from '../investigation/system-map';
import { findCorroboration } from './corroboration';
import { entryServices, observedTraffic } from './observed-traffic';
import { projectSaturation } from './saturation-projection';
import { hour, minute, now, pointsOf, readerOf, wobble } from './series-reader.fixture';
import { primarySignal } from './situation-book';
import type { SymptomReading } from './symptom-reading';
import { SystemProximity } from './system-proximity';
import {
  changeReason,
  criticalityReason,
  flappingReason,
  forecastReason,
  type NearbyChange,
  rolloutReason,
  symptomReason,
  urgentForecast,
} from './triage-factors';
import type { Forecast, TrafficModel } from './types';

const forecast = (overrides: Partial<Forecast>): Forecast => ({
  entity: 'postgres:shop/db',
  resource: 'postgres-connections',
  metric: 'pg_stat_database_numbackends',
  current: 60,
  limit: 100,
  utilisation: 0.6,
  breach: 'outage',
  growthPerHour: 10,
  consistency: 0.9,
  model: 'time',
  breachAt: new Date(now + 4 * hour).toISOString(),
  hoursToLimit: 4,
  ...overrides,
});

describe('forecasts', () => {
  it('weigh a future breach by how soon, half for a limit the platform recovers from, and the present as the present', () => {
    expect(forecastReason(forecast({}))?.weight).toBe(0.3);
    const restart = forecastReason(forecast({ breach: 'restart' }));
    expect(restart?.weight).toBe(0.15);
    expect(restart?.detail).toContain('restarted one at a time');
    const full = forecastReason(forecast({ utilisation: 0.97, current: 97, hoursToLimit: 0.02 }));
    expect(full).toMatchObject({ weight: 0.15 });
    expect(full?.detail).toContain('at the limit now, so no longer a forecast');
  });

  it('are urgent only for an outage-class limit ahead within the hours given', () => {
    expect(urgentForecast(forecast({}), 8)).toBe(true);
    expect(urgentForecast(forecast({ hoursToLimit: 9 }), 8)).toBe(false);
    expect(urgentForecast(forecast({ breach: 'restart' }), 8)).toBe(false);
    expect(urgentForecast(forecast({ utilisation: 0.96, hoursToLimit: 0.1 }), 8)).toBe(false);
    expect(urgentForecast(forecast({ hoursToLimit: 0 }), 8)).toBe(false);
    expect(urgentForecast(undefined, 8)).toBe(false);
  });
});

const reading = (state: SymptomReading['state'], episodes = 0): SymptomReading => ({
  entity: 'service:shop/api',
  metric: 'http_server_request_duration_seconds',
  state,
  score: state === 'quiet' ? 0.5 : 8,
  ratio: state === 'quiet' ? 1 : 2.5,
  abnormalForMs: state === 'sustained' ? 10 * minute : state === 'fresh' ? minute : 0,
  episodes,
});
const change = (overrides: Partial<NearbyChange>): NearbyChange => ({
  id: 'c1',
  entity: 'service:shop/api',
  kind: 'deploy',
  at: now - 2 * minute,
  summary: 'api 1.2 → 1.3',
  hops: 0,
  ...overrides,
});

describe('symptom, rollout and changes', () => {
  it('count a sustained symptom and recurrences, and say why a fresh or quiet one does not', () => {
    expect(symptomReason(reading('sustained'))).toMatchObject({ weight: 0.12 });
    expect(symptomReason(reading('sustained', 2))?.weight).toBe(0.17);
    expect(symptomReason(reading('fresh'))).toMatchObject({ weight: 0 });
    expect(symptomReason(reading('fresh'))?.detail).toContain('too new to tell a blip from an incident');
    expect(symptomReason(reading('quiet'))?.detail).toContain('within its normal range');
    expect(symptomReason(undefined)).toBeUndefined();
  });

  it('take a fresh symptom during the entity’s own rollout for the rollout’s bump, not a sustained one', () => {
    expect(rolloutReason('service:shop/api', [change({})], reading('fresh'), now)).toMatchObject({
      factor: 'rollout',
      weight: -0.15,
    });
    expect(rolloutReason('service:shop/api', [change({})], reading('sustained'), now)).toBeUndefined();
    expect(
      rolloutReason('service:shop/api', [change({ at: now - 6 * minute })], reading('fresh'), now),
    ).toBeUndefined();
    expect(
      rolloutReason('service:shop/api', [change({ kind: 'config' })], reading('fresh'), now),
    ).toBeUndefined();
    expect(
      rolloutReason(
        'service:shop/api',
        [change({ entity: 'service:shop/web', hops: 1 })],
        reading('fresh'),
        now,
      ),
    ).toBeUndefined();
  });

  it('count a change only when something besides the alert shows trouble', () => {
    expect(changeReason([change({})], now)?.weight).toBe(0.1);
    const suspect = changeReason([change({})], now, 'nothing besides the alert shows trouble');
    expect(suspect).toMatchObject({ weight: 0 });
    expect(suspect?.detail).toMatch(/not counted: nothing besides the alert shows trouble$/);
  });
});

describe('criticality and flapping', () => {
  const map = new SystemMap();
  map.addEntity('service:shop/web', { tier: 1, rps: 100 });
  map.addEntity('service:shop/api');
  map.addDependency('service:shop/web', 'service:shop/api');
  const proximity = new SystemProximity(map);

  it('counts what is at stake in full once something shows trouble, half before', () => {
    const full = criticalityReason(['service:shop/api'], map, proximity);
    const half = criticalityReason(['service:shop/api'], map, proximity, false);
    expect(full?.weight).toBeCloseTo(0.12 + 0.02 + 0.02 * Math.log10(101), 3);
    expect(half?.weight).toBeCloseTo((full?.weight ?? 0) / 2, 2);
    expect(half?.detail).toContain('counted at 50 %: nothing shows trouble');
  });

  it('lowers the score of an alert that keeps resolving and firing again', () => {
    expect(flappingReason(1)).toBeUndefined();
    expect(flappingReason(2)?.weight).toBe(-0.2);
    expect(flappingReason(7)?.weight).toBe(-0.3);
  });
});

describe('the primary signal', () => {
  const signal = (id: string, overrides: Partial<Signal>): Signal => ({
    id,
    source: 'test',
    kind: 'alert',
    entity: 'service:shop/api',
    severity: 'P4',
    at: new Date(now).toISOString(),
    summary: id,
    labels: { alertname: id },
    payload: {},
    ...overrides,
  });

  it('is the most severe alert still firing and not flapping, whatever flaps or resolved around it', () => {
    const fresh = signal('fresh', { severity: 'P4' });
    const flapping = signal('flapping', { severity: 'P2', at: new Date(now - hour).toISOString() });
    const resolved = signal('resolved', { severity: 'P1', status: 'resolved' });
    const deploy = signal('deploy', { kind: 'deploy', severity: 'P1' });
    expect(primarySignal([flapping, resolved, deploy, fresh], [5, 0, 0, 0]).id).toBe('fresh');
    expect(primarySignal([flapping, resolved], [5, 0]).id).toBe('flapping');
    expect(primarySignal([fresh, signal('worse', { severity: 'P3' })]).id).toBe('worse');
  });
});

describe('traffic', () => {
  const map = new SystemMap();
  for (const ref of [
    'service:shop/web',
    'service:shop/admin',
    'service:shop/api',
    'postgres:shop/db',
  ] as const)
    map.addEntity(ref);
  map.addDependency('service:shop/web', 'service:shop/api');
  map.addDependency('service:shop/admin', 'service:shop/api');
  map.addDependency('service:shop/api', 'postgres:shop/db');
  const ramp = (at: number) => 1 + Math.max(0, (at - (now - hour)) / hour);

  it('is observed at the entry services, and assumed to stay where it is', async () => {
    expect(entryServices(map)).toEqual(['service:shop/admin', 'service:shop/web']);
    const reader = readerOf([
      { entity: 'service:shop/web', metric: 'http_server_requests_total', value: (at) => 90 * ramp(at) },
      { entity: 'service:shop/admin', metric: 'http_server_requests_total', value: (at) => 10 * ramp(at) },
    ]);
    const traffic = await observedTraffic(map, reader, { start: now - hour, end: now });
    expect(traffic?.multiplierAt(now - hour)).toBeCloseTo(1, 1);
    // Smoothed over 5 minutes, so the last point trails the ramp a little.
    expect(traffic?.multiplierAt(now)).toBeGreaterThan(1.9);
    expect(traffic?.multiplierAt(now)).toBeLessThanOrEqual(2);
    expect(traffic?.multiplierAt(now + 6 * hour)).toBe(traffic?.multiplierAt(now));
    expect(await observedTraffic(map, readerOf([]), { start: now - hour, end: now })).toBeUndefined();
  });

  it('explains a count that rises with it: per unit of traffic it corroborates nothing', async () => {
    const model: TrafficModel = { multiplierAt: ramp };
    const reader = readerOf([
      {
        entity: 'postgres:shop/db',
        metric: 'pg_stat_database_numbackends',
        value: (at) => 30 * ramp(at) * wobble(at),
      },
    ]);
    const neighbourhood = new Map([['postgres:shop/db' as const, 1]]);
    const window = { start: now - hour, end: now };
    const none = () => false;
    expect(await findCorroboration(neighbourhood, reader, window, none)).toHaveLength(1);
    expect(await findCorroboration(neighbourhood, reader, window, none, () => model)).toEqual([]);
  });

  it('projects connections in use as a level that follows traffic: highest at the peak, then lower', () => {
    // Traffic rises to a peak 2 h from now and falls; connections follow it and stay below the limit.
    const peak = now + 2 * hour;
    const traffic: TrafficModel = {
      multiplierAt: (at) => 1 + 4 * Math.exp(-(((at - peak) / (3 * hour)) ** 2)),
    };
    const following = pointsOf((at) => 20 * traffic.multiplierAt(at) * wobble(at, 0.01), now - hour, now);
    const limit = 20 * traffic.multiplierAt(peak) * 1.1;
    const level = projectSaturation({
      points: following,
      limit,
      now,
      horizonMs: 24 * hour,
      traffic,
      load: 'level',
    });
    expect(level).toMatchObject({ model: 'traffic' });
    expect(level?.breachAt).toBeUndefined();
    // As an accumulation the same series would be projected past the limit.
    expect(
      projectSaturation({ points: following, limit, now, horizonMs: 24 * hour, traffic })?.breachAt,
    ).toBeDefined();
    // A pool leaking connections grows with time, not traffic: the time line projects the breach.
    const leaking = pointsOf((at) => 40 + (30 * (at - (now - hour))) / hour, now - hour, now);
    const leak = projectSaturation({
      points: leaking,
      limit: 100,
      now,
      horizonMs: 24 * hour,
      traffic,
      load: 'level',
    });
    expect(leak).toMatchObject({ model: 'time' });
    expect((leak?.breachAt ?? 0) - now).toBeCloseTo(hour, -5);
  });
});
