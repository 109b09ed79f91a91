import {
  builtInScenarioNames,
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import { createInvestigator, createManualClock, reportSchema } from '@aisre/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const names = builtInScenarioNames();

async function investigate(name: string, toolCalls: number, concurrency: number) {
  const scenario = withoutExpectations(loadBuiltInScenario(name));
  const connector = createMockConnector(scenario);
  const investigator = createInvestigator({
    connectors: [connector],
    clock: createManualClock(connector.now()),
    concurrency,
    budget: { toolCalls },
  });
  return investigator.investigate(scenarioTrigger(scenario));
}

describe('engine properties over the scenario library', () => {
  it('never exceeds a budget, is deterministic, and does not depend on concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 16 }),
        async (name, toolCalls, concurrency) => {
          const first = await investigate(name, toolCalls, concurrency);
          expect(reportSchema.safeParse(first).success).toBe(true);
          expect(first.budget.used.toolCalls).toBeLessThanOrEqual(toolCalls);
          expect(first.steps.filter((step) => step.tool !== 'model.generate').length).toBeLessThanOrEqual(
            toolCalls,
          );
          expect(first.ending.reason.length).toBeGreaterThan(0);
          const again = await investigate(name, toolCalls, concurrency);
          expect(again).toEqual(first);
          const other = await investigate(name, toolCalls, concurrency === 1 ? 16 : 1);
          expect(other).toEqual(first);
        },
      ),
      { numRuns: 12, seed: 20261126 },
    );
  }, 120_000);
});
