import { describe, expect, it } from 'vitest';
import type { EntityRef } from '../contracts/entity-ref';
import { analyzePropagation, describeFinding, type PropagationGraph } from './propagation';
import type { EntityObservation } from './symptom-survey';

/** An observation in the trouble direction: `z` sets the degree, `excess` the change, `rate` the volume. */
function seen(entity: EntityRef, z: number, excess: number, rate?: number): EntityObservation {
  return {
    entity,
    series: 'http_server_request_duration_seconds{quantile="avg"}',
    unit: 'seconds',
    z,
    degree: 1 / (1 + Math.exp(-(z - 3) * 1.5)),
    baseline: 0.1,
    recent: 0.1 + excess,
    excess,
    scale: 0.005,
    rate,
    onset: undefined,
    idle: false,
  };
}

function graphOf(edges: [EntityRef, EntityRef][], kinds: Record<string, string> = {}): PropagationGraph {
  return {
    successorsOf: (ref) => edges.filter(([from]) => from === ref).map(([, to]) => to),
    kindOf: (ref) => kinds[ref] ?? ref.slice(0, ref.indexOf(':')),
  };
}

const site = 'service:shop/site' as const;
const pay = 'service:shop/pay' as const;
const gateway = 'service:shop/gateway' as const;
const fn = 'function:shop/updater' as const;
const table = 'database:shop/table' as const;

describe('analyzePropagation', () => {
  const edges: [EntityRef, EntityRef][] = [
    [site, pay],
    [pay, gateway],
    [gateway, fn],
    [fn, table],
  ];

  it('finds the deepest anomalous entity whose own change explains its callers', () => {
    const observations = new Map([
      [site, seen(site, 14, 0.07, 10)],
      [pay, seen(pay, 20, 0.3, 2)],
      [gateway, seen(gateway, 80, 0.3, 2)],
      [fn, seen(fn, 60, 0.29, 2)],
      [table, seen(table, 0.4, 0.0001, 20)],
    ]);
    const findings = analyzePropagation(site, observations, graphOf(edges), 'mean', [
      site,
      pay,
      gateway,
      fn,
      table,
    ]);
    const best = [...findings.values()].sort((a, b) => b.rootDegree - a.rootDegree)[0];
    expect(best?.entity).toBe(fn);
    expect(best?.path).toEqual([site, pay, gateway, fn]);
    expect(best?.ownShare).toBeGreaterThan(0.95);
    expect(findings.get(gateway)?.ownShare).toBeLessThan(0.1);
    expect(findings.get(gateway)?.explainedBy[0]).toMatchObject({ entity: fn, relation: 'dependency' });
    expect(findings.get(table)?.rootDegree).toBeLessThan(0.01);
    expect(findings.get(site)?.ownShare).toBeLessThan(0.2);
    expect(describeFinding(best as NonNullable<typeof best>, observations)).toContain('its own');
  });

  it('does not blame an anomaly that cannot have reached the alerting entity', () => {
    // A noisy function behind a caller that stayed normal: the chain to the alert is broken.
    const observations = new Map([
      [site, seen(site, 10, 0.05, 10)],
      [pay, seen(pay, 0.5, 0.001, 2)],
      [gateway, seen(gateway, 9, 0.3, 2)],
    ]);
    const findings = analyzePropagation(site, observations, graphOf(edges), 'mean', [site, pay, gateway]);
    expect(findings.get(gateway)?.pathStrength).toBeLessThan(0.05);
    expect(findings.get(gateway)?.rootDegree).toBeLessThan(0.05);
  });

  it('weighs a small change on a rarely called entity by how little of the symptom it can explain', () => {
    const observations = new Map([
      [site, seen(site, 12, 0.1, 500)],
      [pay, seen(pay, 12, 0.5, 100)],
      [gateway, seen(gateway, 12, 0.5, 1)],
    ]);
    const findings = analyzePropagation(
      site,
      observations,
      graphOf([
        [site, pay],
        [site, gateway],
      ]),
      'mean',
      [site, pay, gateway],
    );
    expect(findings.get(pay)?.symptomShare).toBeCloseTo(1, 5);
    expect(findings.get(gateway)?.symptomShare).toBeCloseTo(0.01, 5);
    expect(findings.get(gateway)?.rootDegree).toBeLessThan(0.02);
  });

  it('takes a remote endpoint as an observation of an entity that changed on its own', () => {
    const balancer = 'external:shop/search-lb' as const;
    const search = 'service:shop/search' as const;
    const observations = new Map([
      [site, seen(site, 8, 0.03, 10)],
      [balancer, seen(balancer, 100, 0.05, 3)],
      [search, seen(search, 60, 0.03, 9)],
    ]);
    const findings = analyzePropagation(
      site,
      observations,
      graphOf(
        [
          [site, balancer],
          [site, search],
        ],
        { [balancer]: 'external' },
      ),
      'mean',
      [site, balancer, search],
    );
    expect(findings.get(balancer)?.explainedBy[0]).toMatchObject({ entity: search, relation: 'fronted' });
    expect(findings.get(balancer)?.rootDegree).toBeLessThan(0.05);
    expect(findings.get(search)?.rootDegree).toBeGreaterThan(0.85);
  });

  it('still blames an external dependency when only its callers changed', () => {
    const processor = 'external:shop/card-processor' as const;
    const observations = new Map([
      [site, seen(site, 9, 0.2, 10)],
      [pay, seen(pay, 9, 0.4, 5)],
      [processor, seen(processor, 30, 0.4, 5)],
    ]);
    const findings = analyzePropagation(
      site,
      observations,
      graphOf(
        [
          [site, pay],
          [pay, processor],
        ],
        { [processor]: 'external' },
      ),
      'mean',
      [site, pay, processor],
    );
    expect(findings.get(processor)?.ownShare).toBe(1);
    expect(findings.get(processor)?.rootDegree).toBeGreaterThan(0.9);
    expect(findings.get(pay)?.ownShare).toBeLessThan(0.05);
  });

  it('adds failures per second up call chains as they are', () => {
    const observations = new Map([
      [site, seen(site, 20, 3, undefined)],
      [pay, seen(pay, 20, 3, undefined)],
      [gateway, seen(gateway, 20, 1, undefined)],
    ]);
    const findings = analyzePropagation(
      site,
      observations,
      graphOf([
        [site, pay],
        [pay, gateway],
      ]),
      'rate',
      [site, pay, gateway],
    );
    expect(findings.get(pay)?.ownShare).toBeCloseTo(2 / 3, 3);
    expect(findings.get(gateway)?.symptomShare).toBeCloseTo(1 / 3, 3);
  });

  it('says nothing about entities it has no reading of', () => {
    const findings = analyzePropagation(site, new Map([[site, seen(site, 9, 0.1)]]), graphOf(edges), 'mean', [
      site,
      pay,
    ]);
    expect(findings.has(pay)).toBe(false);
    expect(findings.get(site)?.ownShare).toBe(1);
  });
});
