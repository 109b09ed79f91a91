import {
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import { createInvestigator, createManualClock, type GenerateRequest } from '@aisre/core';
import { createMockModel } from '@aisre/llm-mock';
import { describe, expect, it } from 'vitest';

const schemaNamed = (name: string) => (request: GenerateRequest) => request.schema?.name === name;

describe('a built-in scenario investigated through the model path', () => {
  it('combines the scripted model with the built-in engine on redis-3am', async () => {
    const scenario = withoutExpectations(loadBuiltInScenario('redis-3am'));
    const connector = createMockConnector(scenario);
    const cache = 'redis:shop/recommendation-cache';
    const model = createMockModel({
      matchers: [
        {
          when: schemaNamed('candidate_causes'),
          reply: {
            object: {
              candidates: [
                {
                  entity: cache,
                  fault: 'redis.memory-fragmentation',
                  weight: 0.7,
                  reason: 'slow redis, no traffic change',
                },
              ],
            },
          },
        },
        {
          when: schemaNamed('tool_call_plan'),
          reply: {
            object: {
              calls: [
                { tool: 'describe_entity', input: { entity: cache }, reason: 'see its memory figures' },
              ],
            },
          },
        },
        {
          when: schemaNamed('tool_output_reading'),
          reply: {
            object: { verdict: 'supports', strength: 'moderate', reason: 'the fragmentation ratio is high' },
          },
        },
      ],
    });
    const report = await createInvestigator({
      connectors: [connector],
      model,
      clock: createManualClock(connector.now()),
    }).investigate(scenarioTrigger(scenario));
    expect(report.conclusion).toMatchObject({ entity: cache, fault: 'redis.memory-fragmentation' });
    const modelSteps = report.steps.filter((step) => step.tool === 'model.generate');
    expect(modelSteps.length).toBe(model.calls.length);
    expect(model.calls.some((call) => call.request.schema?.name === 'candidate_causes')).toBe(true);
    expect(report.steps.some((step) => step.tool === 'tool:describe_entity')).toBe(true);
    expect(report.evidence.some((evidence) => evidence.check === 'model:describe_entity')).toBe(true);
    expect(report.budget.used.modelTokens).toBeGreaterThan(0);
    expect(report.budget.used.modelTokens).toBeLessThanOrEqual(report.budget.limits.modelTokens);
    for (const call of model.calls) {
      const body = JSON.stringify(call.request);
      expect(body).not.toMatch(/password=|:\/\/[^/\s:@]+:[^@\s]+@/);
    }
  });
});
