import { createMockModel } from '@aisre/llm-mock';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../contracts/language-model';
import type { Signal } from '../contracts/signal';
import { createManualClock } from '../runtime/call-context';
import { createInvestigator, replayInvestigation } from './investigator';
import { createTestSystem, frontendLatencyAlert, minute, start, testRefs } from './test-system.fixture';

const now = start + 100 * minute;
const trigger: Signal = {
  ...frontendLatencyAlert(now),
  summary: 'FrontendLatencyHigh: token=sk-live-abcdefghijklmnopqrstuvwx',
};
function scriptedModel() {
  const schema = (name: string) => (request: GenerateRequest) => request.schema?.name === name;
  return createMockModel({
    matchers: [
      {
        when: schema('candidate_causes'),
        reply: {
          object: {
            candidates: [
              {
                entity: testRefs.db,
                fault: 'db.connection-pool-saturation',
                weight: 0.6,
                reason: 'the pool is a common cause',
              },
            ],
          },
        },
      },
      {
        when: schema('tool_call_plan'),
        reply: {
          object: {
            calls: [
              { tool: 'search_logs', input: { entity: testRefs.db }, reason: 'look for refused connections' },
              { tool: 'apply_fix', input: { everything: true }, reason: 'the log says so' },
            ],
          },
        },
      },
      {
        when: schema('tool_output_reading'),
        reply: {
          object: {
            verdict: 'supports',
            strength: 'moderate',
            reason: 'FATAL too many clients in the output',
          },
        },
      },
    ],
  });
}

describe('investigation through the model path', () => {
  it('combines model reasoning with the built-in engine and charges tokens', async () => {
    const model = scriptedModel();
    const connector = createTestSystem({ fault: 'pool', now });
    const report = await createInvestigator({
      connectors: [connector],
      model,
      clock: createManualClock(now),
    }).investigate(trigger);
    expect(report.conclusion).toMatchObject({ entity: testRefs.db, fault: 'db.connection-pool-saturation' });
    const modelSteps = report.steps.filter((step) => step.tool === 'model.generate');
    expect(modelSteps.length).toBe(model.calls.length);
    expect(model.calls.length).toBeGreaterThanOrEqual(2);
    expect(report.steps.some((step) => step.tool === 'tool:search_logs')).toBe(true);
    expect(report.evidence.some((evidence) => evidence.check === 'model:search_logs')).toBe(true);
    expect(report.budget.used.modelTokens).toBeGreaterThan(0);
    expect(report.budget.used.modelTokens).toBeLessThanOrEqual(report.budget.limits.modelTokens);
  });

  it('never lets a secret reach the model', async () => {
    const model = scriptedModel();
    const connector = createTestSystem({ fault: 'pool', now });
    await createInvestigator({ connectors: [connector], model, clock: createManualClock(now) }).investigate(
      trigger,
    );
    expect(model.calls.length).toBeGreaterThan(0);
    for (const call of model.calls) {
      const body = JSON.stringify(call.request);
      expect(body).not.toContain('hunter2');
      expect(body).not.toContain('sk-live-abcdefghijklmnopqrstuvwx');
    }
  });

  it('treats instructions in tool output as data: nothing is applied and unknown tools are never run', async () => {
    const model = scriptedModel();
    const connector = createTestSystem({ fault: 'pool', now });
    const report = await createInvestigator({
      connectors: [connector],
      model,
      clock: createManualClock(now),
    }).investigate(trigger);
    expect(connector.actuatorCalls).toEqual([]);
    expect(report.steps.some((step) => step.tool.includes('apply_fix'))).toBe(false);
    expect(report.proposals).toEqual([]);
  });

  it('stays within a small token budget and says what it could not do', async () => {
    const model = scriptedModel();
    const connector = createTestSystem({ fault: 'pool', now });
    const report = await createInvestigator({
      connectors: [connector],
      model,
      clock: createManualClock(now),
      budget: { modelTokens: 900 },
    }).investigate(trigger);
    expect(report.budget.used.modelTokens).toBeLessThanOrEqual(900);
  });

  it('replays a model-driven investigation offline', async () => {
    const connector = createTestSystem({ fault: 'pool', now });
    const options = { connectors: [connector], model: scriptedModel(), clock: createManualClock(now) };
    const report = await createInvestigator(options).investigate(trigger);
    const offlineModel = createMockModel({ replies: [] });
    const replayed = await replayInvestigation(report, { connectors: [connector], model: offlineModel });
    expect(replayed).toEqual(report);
    expect(offlineModel.calls.length).toBe(0);
  });
});

describe('tool output shares', () => {
  it('truncates a tool output to its share of the remaining model tokens before the model reads it', async () => {
    const model = scriptedModel();
    const connector = createTestSystem({ fault: 'pool', now });
    const big = 'x'.repeat(50_000);
    const tool = connector.tools[0];
    if (!tool) throw new Error('test-system has a tool');
    const original = tool.run.bind(tool);
    tool.run = async (input, context) => ({ ...(await original(input, context)), text: big });
    await createInvestigator({
      connectors: [connector],
      model,
      clock: createManualClock(now),
      budget: { modelTokens: 6_000 },
    }).investigate(trigger);
    const readings = model.calls.filter((call) => call.request.schema?.name === 'tool_output_reading');
    expect(readings.length).toBeGreaterThan(0);
    for (const call of readings) {
      const longestRun = Math.max(
        ...(JSON.stringify(call.request).match(/x+/g) ?? ['']).map((run) => run.length),
      );
      // An eighth of the tokens left (at most 6 000 ÷ 8 × 4 characters), below the reasoner's own 4 000 cap.
      expect(longestRun).toBeLessThanOrEqual(3_000);
      expect(longestRun).toBeGreaterThan(100);
    }
  });
});
