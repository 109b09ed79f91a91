import { parseArgs } from 'node:util';
import {
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import { createInvestigator, createManualClock } from '@aisre/core';
import { chooseModel } from './choose-model';
import { countingModel } from './counting-model';

const { values } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    mock: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'redis-3am' },
  },
});

// The model: OPENAI_API_KEY, ANTHROPIC_API_KEY or --base-url when given, a scripted mock otherwise. The
// counting wrapper only tallies calls and tokens for the summary below.
const model = countingModel(
  chooseModel({
    ...(values['base-url'] ? { baseURL: values['base-url'] } : {}),
    ...(values.model ? { model: values.model } : {}),
    mock: values.mock,
    env: process.env,
  }),
);

// The simulated shop of the scenario, its answer key stripped, served as of the alert on a manual clock.
const scenario = withoutExpectations(await loadBuiltInScenario(values.scenario));
const trigger = scenarioTrigger(scenario);
const connector = createMockConnector(scenario, { now: Date.parse(trigger.at) });
const investigator = createInvestigator({
  connectors: [connector],
  model,
  clock: createManualClock(connector.now()),
});

investigator.events.on('hypothesis:added', ({ hypothesis }) => {
  if (hypothesis.generator === 'model')
    console.error(`model proposed ${hypothesis.fault} on ${hypothesis.entity}`);
});

console.error(`investigating ${trigger.summary} on ${trigger.entity} with ${model.name}…`);
const report = await investigator.investigate(trigger);

const percent = (value: number) => `${Math.round(value * 100)}%`;
console.log(`Ending: ${report.ending.kind}: ${report.ending.reason}`);
if (report.conclusion) {
  const { entity, fault, confidence, statement } = report.conclusion;
  console.log(`Root cause: ${fault} on ${entity} (${percent(confidence)}): ${statement}`);
} else {
  console.log('Root cause: none claimed');
}
for (const alternative of report.alternatives.slice(0, 3)) {
  console.log(
    `  alternative: ${alternative.fault} on ${alternative.entity} (${percent(alternative.confidence)})`,
  );
}

const modelSteps = report.steps.filter((step) => step.tool === 'model.generate');
const { inputTokens, outputTokens, costUsd } = model.usage;
console.log(
  `Model ${model.name}: ${model.calls} call(s) (${model.failures} failed), ${inputTokens} input + ${outputTokens} output tokens` +
    (costUsd > 0 ? `, $${costUsd.toFixed(4)}` : ''),
);
console.log(
  `Audit: ${modelSteps.length} model step(s), ${report.budget.used.modelTokens} model tokens charged to the budget, ` +
    `${report.budget.used.toolCalls} tool call(s)`,
);
if (model.calls === 0) {
  console.log(
    '(the engine did not call the model: it reasoned with its built-in generators and checks alone)',
  );
}
