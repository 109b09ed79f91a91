import { describe, expect, it } from 'vitest';
import type { EntityRef } from '../contracts/entity-ref';
import type { MetricSeries } from '../contracts/telemetry';
import { observeEntities, statisticKindOf, surveySymptom } from './symptom-survey';

const step = 300_000;
const at = (index: number) => 1_700_000_000_000 + index * step;

function series(entity: EntityRef, metric: string, unit: string, values: (number | null)[]): MetricSeries {
  return { metric, entity, labels: {}, unit, points: values.map((value, index) => [at(index), value]) };
}

const windows = {
  baselineEnd: at(2),
  recentStart: at(2),
  asOf: at(3),
  stepMs: step,
  aggregate: 'median' as const,
};

describe('statisticKindOf', () => {
  it('reads the kind of a statistic from its unit', () => {
    expect(statisticKindOf('ratio')).toBe('ratio');
    expect(statisticKindOf('requests/s')).toBe('rate');
    expect(statisticKindOf('seconds')).toBe('mean');
  });
});

describe('observeEntities', () => {
  const busy = 'service:shop/busy' as const;
  const quiet = 'function:shop/quiet' as const;

  it('floors a mean by the sampling noise its volume implies', () => {
    // The same +40 % on a component serving 3 000 requests a step and on one serving 5.
    const latency = [
      series(busy, 'latency', 'seconds', [1, 1.02, 1.4, 1.4]),
      series(quiet, 'latency', 'seconds', [1, 1.02, 1.4, 1.4]),
    ];
    const volume = [
      series(busy, 'requests', 'requests/s', [10, 10, 10, 10]),
      series(quiet, 'requests', 'requests/s', [5 / 300, 5 / 300, 5 / 300, 5 / 300]),
    ];
    const observed = observeEntities(latency, volume, { ...windows, direction: 'up' });
    expect(observed.get(busy)?.z).toBeGreaterThan(5);
    expect(observed.get(quiet)?.z).toBeLessThan(1.5);
    expect(observed.get(busy)?.rate).toBeCloseTo(10, 6);
  });

  it('scores a ratio near its bound binomially, not against 5 % of its level', () => {
    const availability = [series(busy, 'availability', 'ratio', [1, 1, 0.97, 0.97])];
    const volume = [series(busy, 'requests', 'requests/s', [2, 2, 2, 2])];
    const withVolume = observeEntities(availability, volume, { ...windows, direction: 'down' });
    const without = observeEntities(availability, [], { ...windows, direction: 'down' });
    expect(withVolume.get(busy)?.z).toBeGreaterThan(5);
    expect(withVolume.get(busy)?.excess).toBeCloseTo(0.03, 6);
    expect(without.get(busy)?.z).toBeLessThan(1);
  });

  it('counts a rate of events as Poisson counts', () => {
    // From no failures in two steps (λ at least 1/3 a step) to 2 a step: 2 ÷ √(1/3) ≈ 3.5 deviations.
    const errors = [series(busy, 'errors', 'requests/s', [0, 0, 2 / 300, 2 / 300])];
    const observed = observeEntities(errors, [], { ...windows, direction: 'up' });
    expect(observed.get(busy)?.z).toBeCloseTo(2 * Math.sqrt(3), 5);
  });

  it('scores a short series on a single baseline point', () => {
    const latency = [series(busy, 'latency', 'seconds', [0.1, 0.3, 0.3])];
    const observed = observeEntities(latency, [], {
      ...windows,
      baselineEnd: at(1),
      recentStart: at(1),
      asOf: at(2),
      direction: 'up',
    });
    expect(observed.get(busy)?.baseline).toBe(0.1);
    expect(observed.get(busy)?.degree).toBeGreaterThan(0.99);
  });

  it('keeps the worst series of an entity and observes an idle one', () => {
    const idle = 'database:shop/idle' as const;
    const latency = [
      { ...series(busy, 'latency', 'seconds', [0.1, 0.1, 0.2, 0.2]), labels: { route: '/a' } },
      { ...series(busy, 'latency', 'seconds', [0.1, 0.1, 0.1, 0.1]), labels: { route: '/b' } },
      series(idle, 'latency', 'seconds', [null, null, null, null]),
    ];
    const volume = [
      { ...series(busy, 'requests', 'requests/s', [1, 1, 1, 1]), labels: { status: '2xx' } },
      { ...series(busy, 'requests', 'requests/s', [1, 1, 1, 1]), labels: { status: '5xx' } },
      series(idle, 'requests', 'requests/s', [0, 0, 0, 0]),
    ];
    const observed = observeEntities(latency, volume, { ...windows, direction: 'up' });
    expect(observed.get(busy)?.series).toBe('latency{route="/a"}');
    expect(observed.get(busy)?.rate).toBe(2);
    expect(observed.get(idle)).toMatchObject({ idle: true, degree: expect.any(Number), excess: 0, rate: 0 });
  });
});

describe('surveySymptom', () => {
  const site = 'service:shop/site' as const;
  const back = 'service:shop/back' as const;
  const options = {
    trigger: site,
    asOf: at(19),
    windows: { asOf: at(19), symptomOnset: undefined, recentMs: 10 * 60_000, stepMs: step },
    direction: 'up',
    aggregate: 'median',
  } as const;
  const values = (jumpAt: number, low: number, high: number) =>
    Array.from({ length: 20 }, (_, index) => (index >= jumpAt ? high : low * (1 + (index % 3) / 100)));

  it("reads every entity before and since the alerting entity's onset", () => {
    const latency = [
      series(site, 'latency', 'seconds', values(14, 0.1, 0.3)),
      // Back slowed from step 12: before the onset its baseline is still clean, since it its level is high.
      series(back, 'latency', 'seconds', values(12, 0.05, 0.25)),
    ];
    const survey = surveySymptom(latency, [], options);
    expect(survey.onset).toBe(at(14));
    expect(survey.alerting?.degree).toBeGreaterThan(0.99);
    expect(survey.observations.get(back)?.baseline).toBeLessThan(0.06);
    expect(survey.observations.get(back)?.recent).toBe(0.25);
  });

  it('keeps the usual windows when the alerting entity is not anomalous', () => {
    const latency = [series(site, 'latency', 'seconds', values(99, 0.1, 0.1))];
    const survey = surveySymptom(latency, [], options);
    expect(survey.onset).toBeUndefined();
    expect(survey.alerting?.degree).toBeLessThan(0.05);
  });
});
