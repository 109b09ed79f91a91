import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../contracts/telemetry';
import { readSaturation, type ScoringWindows } from './checks';
import type { MetricSignature } from './failure-patterns';

const asOf = 600_000;
const windows: ScoringWindows = { asOf, symptomOnset: undefined, recentMs: 60_000, stepMs: 10_000 };
const flat = (metric: string, value: number, labels: Record<string, string> = {}): MetricSeries => ({
  metric,
  entity: 'postgres:lab/db',
  labels,
  unit: '',
  points: Array.from({ length: 61 }, (_, index): [number, number] => [index * 10_000, value]),
});
const signature: MetricSignature = {
  metric: 'pg_stat_database_numbackends',
  on: 'self',
  direction: 'up',
  expect: 'present',
  sensitivity: 0.9,
  specificity: 0.95,
  limit: { metric: 'pg_settings_max_connections', threshold: 0.85 },
};

describe('readSaturation', () => {
  it('adds up usage series that share one limit (backends of each database against max_connections)', () => {
    const backends = [
      flat('pg_stat_database_numbackends', 9, { datname: 'orders' }),
      flat('pg_stat_database_numbackends', 9, { datname: 'billing' }),
      flat('pg_stat_database_numbackends', 0, { datid: '0' }),
    ];
    const reading = readSaturation(backends, [flat('pg_settings_max_connections', 20)], signature, windows);
    expect(reading?.summary).toMatch(
      /^pg_stat_database_numbackends \(sum of 3 series\) at 90 % of pg_settings_max_connections/,
    );
    expect(reading?.likelihoodRatio).toBeGreaterThan(1);
  });

  it('compares each usage series with its own limit when every one has a limit', () => {
    const usage = [flat('u', 9, { pod: 'a' }), flat('u', 9, { pod: 'b' })];
    const limits = [flat('l', 20, { pod: 'a' }), flat('l', 20, { pod: 'b' })];
    const reading = readSaturation(
      usage,
      limits,
      { ...signature, metric: 'u', limit: { metric: 'l', threshold: 0.85 } },
      windows,
    );
    expect(reading?.summary).toMatch(/^u at 45 % of l/);
    expect(reading?.likelihoodRatio).toBeLessThan(1);
  });
});
