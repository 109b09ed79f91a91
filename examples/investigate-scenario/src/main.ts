import {
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import { createInvestigator, createManualClock, renderReportMarkdown } from '@aisre/core';

// A simulated shop whose Redis cache fragments its memory at 3 am. The scenario's answer key (`expect`)
// is stripped first: the engine only ever sees telemetry, as it would in production.
const scenario = withoutExpectations(await loadBuiltInScenario('redis-3am'));
const trigger = scenarioTrigger(scenario);

// The mock connector serves the scenario's telemetry as of the alert; a manual clock makes runs repeatable.
const connector = createMockConnector(scenario, { now: Date.parse(trigger.at) });
const investigator = createInvestigator({
  connectors: [connector],
  clock: createManualClock(connector.now()),
});

// Follow the investigation as it goes (on stderr, so stdout holds only the report).
investigator.events.on('hypothesis:updated', ({ hypothesis }) => {
  const confidence = `${Math.round(hypothesis.posterior * 100)}%`.padStart(4);
  console.error(`${confidence} ${hypothesis.status.padEnd(9)} ${hypothesis.fault} on ${hypothesis.entity}`);
});
investigator.events.on('investigation:ended', ({ report }) => {
  console.error(`ended ${report.ending.kind}: ${report.ending.reason}\n`);
});

const report = await investigator.investigate(trigger);
console.log(renderReportMarkdown(report));
