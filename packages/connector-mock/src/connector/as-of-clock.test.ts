import { createCallContext, InvalidInputError, type Signal } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { sampleScenario } from '../fixtures/sample-scenarios';
import { createMockConnector } from './mock-connector';

const start = Date.parse('2026-03-02T10:00:00Z');
const minute = 60_000;
const far = start + 10 * 3_600_000;

describe('the as-of clock', () => {
  it('defaults to the trigger time and can start elsewhere', () => {
    expect(createMockConnector(sampleScenario()).now()).toBe(start + 80 * minute);
    expect(createMockConnector(sampleScenario(), { now: '2026-03-02T10:30:00Z' }).now()).toBe(
      start + 30 * minute,
    );
    expect(() => createMockConnector(sampleScenario(), { now: 'soon' })).toThrow(InvalidInputError);
  });

  it('never answers with data from after now', async () => {
    const connector = createMockConnector(sampleScenario(), { now: start + 37 * minute + 10_000 });
    const now = connector.now();
    const context = createCallContext({ clock: connector });
    const { metrics, logs, traces, changes, signals, topology } = connector.capabilities;
    for (const descriptor of (await metrics?.list({}, context)) ?? []) {
      for (const series of (await metrics?.range(
        { metric: descriptor.name, entity: descriptor.entity, start, end: far },
        context,
      )) ?? []) {
        for (const [at] of series.points) expect(at).toBeLessThanOrEqual(now);
      }
    }
    const lines = (await logs?.search({ start, end: far, limit: 100_000 }, context)) ?? [];
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect(Date.parse(line.at)).toBeLessThanOrEqual(now);
    const spans = (await traces?.spans({ start, end: far, limit: 5000 }, context)) ?? [];
    expect(spans.length).toBeGreaterThan(100);
    for (const span of spans) expect(Date.parse(span.start) + span.durationMs).toBeLessThanOrEqual(now);
    for (const change of (await changes?.list({ start, end: far }, context)) ?? []) {
      expect(Date.parse(change.at)).toBeLessThanOrEqual(now);
      if (change.endedAt) expect(Date.parse(change.endedAt)).toBeLessThanOrEqual(now);
    }
    const visible = (await signals?.list({ start, end: far }, context)) ?? [];
    for (const signal of visible) expect(Date.parse(signal.at)).toBeLessThanOrEqual(now);
    expect(visible.some((signal) => signal.labels.alertname === 'CheckoutErrorRateHigh')).toBe(false);
    expect((await topology?.scan(context))?.observedAt).toBe(new Date(now).toISOString());
    const stats = (await traces?.callStats({ start: now - 5 * minute, end: far }, context)) ?? [];
    expect(stats.length).toBeGreaterThan(0);
  });

  it('shows a job run as running until it ends', async () => {
    const connector = createMockConnector(sampleScenario(), { now: start + 62 * minute });
    const context = createCallContext({ clock: connector });
    const runs = async () =>
      (
        (await connector.capabilities.changes?.list({ start: start + 59 * minute, end: far }, context)) ?? []
      ).filter((change) => change.kind === 'job-run');
    const [running] = await runs();
    expect(running?.endedAt).toBeUndefined();
    expect(running?.summary).toMatch(/started/);
    connector.advanceBy(30 * minute);
    const [ended] = await runs();
    expect(ended?.endedAt).toBeDefined();
    expect(ended?.id).toBe(running?.id);
  });

  it('moves only forward, and delivers new signals to subscribers', async () => {
    const connector = createMockConnector(sampleScenario(), { now: start + 70 * minute });
    const received: Signal[] = [];
    const controller = new AbortController();
    connector.capabilities.signals?.subscribe?.((signal) => received.push(signal), {
      signal: controller.signal,
    });
    connector.advanceTo(start + 79 * minute);
    expect(received.some((signal) => signal.kind === 'chat')).toBe(true);
    expect(received.some((signal) => signal.labels.alertname === 'CheckoutErrorRateHigh')).toBe(false);
    expect(received.some((signal) => signal.status === 'resolved')).toBe(true);
    connector.advanceBy(minute);
    expect(received.filter((signal) => signal.labels.alertname === 'CheckoutErrorRateHigh')).toHaveLength(1);
    controller.abort();
    connector.advanceBy(60 * minute);
    const count = received.length;
    connector.advanceBy(minute);
    expect(received).toHaveLength(count);
    expect(() => connector.advanceTo(start)).toThrow(InvalidInputError);
    expect(() => connector.advanceBy(-1)).toThrow(InvalidInputError);
    expect(() => connector.advanceBy(Number.NaN)).toThrow(InvalidInputError);
  });
});
