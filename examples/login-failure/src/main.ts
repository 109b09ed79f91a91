import {
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import {
  createAutoApprovalGate,
  createCallContext,
  createInMemoryApprovalHistory,
  createInvestigator,
  createManualClock,
  createResolver,
  defaultPolicy,
  triageSignal,
} from '@aisre/core';

// Users cannot log in: the auth database runs out of connections. The answer key (`expect`) is stripped
// first, so the engine sees only telemetry. The connector and a manual clock both start at the alert.
const scenario = withoutExpectations(loadBuiltInScenario('login-failure'));
const trigger = scenarioTrigger(scenario);
const connector = createMockConnector(scenario, { now: Date.parse(trigger.at) });
const clock = createManualClock(connector.now());
console.log(`${trigger.at} ${trigger.severity} ${trigger.labels.alertname} on ${trigger.entity}\n`);

// 1. Triage, as an on-call engineer would: with the signals of the last three hours for context.
const earlier =
  (await connector.capabilities.signals?.list(
    { start: clock.now() - 3 * 3_600_000, end: clock.now() },
    createCallContext({ clock }),
  )) ?? [];
const recentSignals = earlier.filter((signal) => signal.id !== trigger.id);
const triage = await triageSignal({ connectors: [connector], signal: trigger, clock, recentSignals });
console.log(`Triage: ${triage.decision} (score ${triage.score.toFixed(2)})`);
for (const reason of triage.reasons.slice(0, 5))
  console.log(
    `  ${reason.weight >= 0 ? '+' : ''}${reason.weight.toFixed(2)} ${reason.factor}: ${reason.detail}`,
  );

// 2. Investigate, within the budget triage chose for this decision.
const report = await createInvestigator({
  connectors: [connector],
  clock,
  ...(triage.budget ? { budget: triage.budget } : {}),
}).investigate(trigger);
const conclusion = report.conclusion;
console.log(`\nInvestigation: ${report.ending.kind} after ${report.budget.used.toolCalls} tool calls`);
if (!conclusion) {
  console.log(`No root cause: ${report.ending.reason}`);
  process.exit(0);
}
console.log(
  `${conclusion.fault} on ${conclusion.entity} (${Math.round(conclusion.confidence * 100)}% confident)`,
);
const cited = new Set(conclusion.citations);
const topEvidence = report.evidence
  .filter((evidence) => cited.has(evidence.id) && evidence.verdict === 'supports')
  .sort((a, b) => b.weight - a.weight)
  .slice(0, 3);
for (const evidence of topEvidence) console.log(`  [${evidence.id}] ${evidence.summary}`);

// 3. Propose and resolve under the staging policy: limits and config need a team lead, the rest is denied.
const resolver = createResolver({
  connectors: [connector],
  policy: defaultPolicy,
  environment: 'staging',
  gate: createAutoApprovalGate({ approve: true, approver: 'lee', roles: ['team-lead'] }),
  history: createInMemoryApprovalHistory(),
  clock,
});
const resolution = await resolver.resolve(report);
console.log(`\nAudit trail (${resolution.environment}):`);
for (const record of resolution.records) {
  const asked = record.approval ? `, ${record.approval.outcome} by ${record.approval.approver}` : '';
  console.log(
    `  ${record.title}: ${record.decision} (${record.rule ?? 'default deny'}${asked}) → ${record.outcome}`,
  );
}
for (const applied of resolution.applied) console.log(`Applied: ${applied.result.summary}`);
