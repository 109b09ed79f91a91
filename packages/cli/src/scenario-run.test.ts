import * as mock from '@aisre/connector-mock';
import { renderReportJson } from '@aisre/core';
import { describe, expect, it, vi } from 'vitest';
import { runScenario } from './scenario-run';

vi.mock('@aisre/connector-mock', async (importOriginal) => {
  const original = await importOriginal<typeof import('@aisre/connector-mock')>();
  return { ...original, createMockConnector: vi.fn(original.createMockConnector) };
});

describe('runScenario', () => {
  it('never lets the connector (nor, through it, the engine) see the expectations, and is deterministic', async () => {
    const scenario = await mock.loadBuiltInScenario('redis-3am');
    expect(scenario.expect).toBeDefined();
    const first = await runScenario(scenario, { now: () => 0 });
    const second = await runScenario(mock.withoutExpectations(scenario), { now: () => 0 });
    const calls = vi.mocked(mock.createMockConnector).mock.calls;
    expect(calls.length).toBe(2);
    for (const [seen] of calls) expect(seen).not.toHaveProperty('expect');
    expect(renderReportJson(first.report)).toBe(renderReportJson(second.report));
  });

  it('applies budget overrides', async () => {
    const scenario = await mock.loadBuiltInScenario('redis-3am');
    const { report } = await runScenario(scenario, { now: () => 0, budget: { toolCalls: 5 } });
    expect(report.budget.limits.toolCalls).toBe(5);
    expect(report.budget.used.toolCalls).toBeLessThanOrEqual(5);
  });
});
