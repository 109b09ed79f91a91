import { describe, expect, it } from 'vitest';
import { decisionFromReport } from './interim-decision';
import { reportWith } from './test-reports';

const redis = { entity: 'redis:shop/cache' as const, fault: 'redis.memory-fragmentation' };
const service = { entity: 'service:shop/cart' as const, fault: 'deploy.bad-release' };

describe('decisionFromReport (interim)', () => {
  it('escalates a claimed root cause on a P1-P3 trigger', () => {
    for (const severity of ['P1', 'P2', 'P3'] as const) {
      const report = reportWith({ conclusion: { ...service, confidence: 0.5 }, severity });
      expect(decisionFromReport(report, severity)).toBe('escalate');
    }
  });

  it('escalates a low-severity alert whose root cause is a datastore, a queue or an external dependency', () => {
    for (const entity of [
      'redis:shop/cache',
      'postgres:shop/db',
      'queue:shop/events',
      'external:shop/psp',
    ] as const) {
      const report = reportWith({ conclusion: { entity, fault: 'x.y', confidence: 0.8 }, severity: 'P4' });
      expect(decisionFromReport(report, 'P4'), entity).toBe('escalate');
    }
  });

  it('investigates a claimed root cause of a low-severity alert on a service', () => {
    const report = reportWith({ conclusion: { ...service, confidence: 0.9 }, severity: 'P5' });
    expect(decisionFromReport(report, 'P5')).toBe('investigate');
  });

  it('watches when nothing is claimed but a candidate reaches 0.2, ignores otherwise', () => {
    expect(decisionFromReport(reportWith({ alternatives: [{ ...redis, confidence: 0.2 }] }), 'P2')).toBe(
      'watch',
    );
    expect(decisionFromReport(reportWith({ conclusion: { ...redis, confidence: 0.45 } }), 'P2')).toBe(
      'watch',
    );
    expect(decisionFromReport(reportWith({ alternatives: [{ ...redis, confidence: 0.19 }] }), 'P2')).toBe(
      'ignore',
    );
    expect(decisionFromReport(reportWith(), 'P1')).toBe('ignore');
  });
});
