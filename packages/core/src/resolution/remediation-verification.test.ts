import { describe, expect, it } from 'vitest';
import type { Report } from '../contracts/report';
import { createManualClock } from '../runtime/call-context';
import { verifyRemediation } from './remediation-verification';
import { createFakeMetricsConnector, fixtureReport, minute, triggerAt } from './resolution.fixture';

const appliedAt = triggerAt + 10 * minute;
const windowMs = 20 * minute;
const wobble = (at: number) => 1 + 0.02 * Math.sin(at / 97_000);

function redisReport(): Report {
  const report = fixtureReport('redis.memory-fragmentation');
  return { ...report, trigger: { ...report.trigger, labels: { alertname: 'RedisLatencyHigh' } } };
}

async function verify(
  value: (at: number) => number | null,
  now = appliedAt + windowMs,
  report = redisReport(),
) {
  const metrics = createFakeMetricsConnector(value);
  const verification = await verifyRemediation({
    connectors: [metrics.connector],
    report,
    appliedAt,
    windowMs,
    clock: createManualClock(now),
  });
  return { verification, queries: metrics.queries };
}

describe('verifyRemediation', () => {
  it('reports an improvement with the numbers, without claiming causation', async () => {
    const { verification, queries } = await verify(
      (at) => (at < appliedAt + 3 * minute ? 2400 : 800) * wobble(at),
    );
    expect(verification).toMatchObject({
      outcome: 'improved',
      metric: 'redis_latency_percentiles_usec',
      entity: 'redis:shop/cache',
      complete: true,
      before: { start: appliedAt - windowMs, end: appliedAt },
      after: { start: appliedAt, end: appliedAt + windowMs },
    });
    expect(verification.series[0]?.before).toBeGreaterThan(2300);
    expect(verification.series[0]?.after).toBeLessThan(850);
    expect(verification.series[0]?.change).toBeCloseTo(-2 / 3, 1);
    expect(verification.summary).toMatch(
      /^The symptom improved after the change: redis_latency_percentiles_usec/,
    );
    expect(verification.summary).toMatch(/This does not show the change caused it\./);
    expect(verification.summary).not.toMatch(/\bfixed\b|because of the change|resolved by/i);
    expect(queries[0]).toMatchObject({
      metric: 'redis_latency_percentiles_usec',
      entity: 'redis:shop/cache',
    });
  });

  it('reports worse and unchanged', async () => {
    const worse = await verify((at) => (at < appliedAt ? 2400 : 6000) * wobble(at));
    expect(worse.verification.outcome).toBe('worse');
    expect(worse.verification.summary).toMatch(/got worse.*does not show the change caused it/);
    const same = await verify((at) => 2400 * wobble(at));
    expect(same.verification.outcome).toBe('unchanged');
    expect(same.verification.summary).toMatch(/does not show whether the change had an effect/);
  });

  it('lets the host control time: an early verification is marked incomplete', async () => {
    const { verification, queries } = await verify(
      (at) => (at < appliedAt ? 2400 : 800),
      appliedAt + 6 * minute,
    );
    expect(verification).toMatchObject({ outcome: 'improved', complete: false });
    expect(verification.after.end).toBe(appliedAt + 6 * minute);
    expect(verification.summary).toMatch(/Only 6 of the 20 minutes/);
    expect(queries[0]).toMatchObject({ end: appliedAt + 6 * minute });
  });

  it('reads a caller-side symptom for an external dependency', async () => {
    const { verification, queries } = await verify(
      (at) => (at < appliedAt ? 4 : 0.3) * wobble(at),
      appliedAt + windowMs,
      fixtureReport('dependency.timeout'),
    );
    expect(queries[0]).toMatchObject({
      metric: 'http_client_request_duration_seconds',
      labels: { quantile: '0.99', peer: 'external:shop/payments' },
    });
    expect(queries[0]).not.toHaveProperty('entity');
    expect(verification.outcome).toBe('improved');
  });

  it('is inconclusive, never failing, when there is nothing to compare', async () => {
    const noTime = await verify(() => 1, appliedAt);
    expect(noTime.verification).toMatchObject({ outcome: 'inconclusive' });
    const noData = await verify(() => null);
    expect(noData.verification.summary).toMatch(/too few points/);
    const none = await verifyRemediation({
      connectors: [],
      report: redisReport(),
      appliedAt,
      windowMs,
      clock: createManualClock(appliedAt + windowMs),
    });
    expect(none.summary).toMatch(/no connector has the metrics capability/);
    const failing = createFakeMetricsConnector(() => 1, { fail: true });
    const down = await verifyRemediation({
      connectors: [failing.connector],
      report: redisReport(),
      appliedAt,
      windowMs,
      clock: createManualClock(0),
      now: appliedAt + windowMs,
    });
    expect(down).toMatchObject({ outcome: 'inconclusive' });
    expect(down.summary).toMatch(/fake-metrics: down/);
    await expect(
      verifyRemediation({
        connectors: [],
        report: redisReport(),
        appliedAt,
        windowMs: 0,
        clock: createManualClock(0),
      }),
    ).rejects.toThrow(/windowMs/);
  });
});
