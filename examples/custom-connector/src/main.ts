import { createInvestigator, createManualClock, type Signal } from '@aisre/core';
import { createShopTelemetryConnector } from './shop-telemetry-connector';

// The alert your alerting sent: checkout's p99 latency has been above 1.5 s for 5 minutes.
const trigger: Signal = {
  id: 'alert-checkout-latency-2026-05-12T14:20',
  source: 'alertmanager',
  kind: 'alert',
  entity: 'service:shop/checkout',
  severity: 'P2',
  at: '2026-05-12T14:20:00Z',
  summary: 'Checkout p99 latency above 1.5 s',
  labels: { alertname: 'CheckoutLatencyHigh', team: 'payments' },
  payload: { value: 1.73, threshold: 1.5 },
};

// The investigation runs on a clock set to the alert, so it reads the telemetry as of then, reproducibly.
const investigator = createInvestigator({
  connectors: [createShopTelemetryConnector()],
  clock: createManualClock(Date.parse(trigger.at)),
});
investigator.events.on('evidence:added', ({ evidence }) => {
  console.error(`[${evidence.id}] ${evidence.verdict}: ${evidence.summary}`);
});

const report = await investigator.investigate(trigger);
const percent = (value: number) => `${Math.round(value * 100)}%`;
console.log(`\nEnded ${report.ending.kind}: ${report.ending.reason}`);
const [leader, ...others] = report.conclusion
  ? [report.conclusion, ...report.alternatives]
  : report.alternatives;
if (leader) {
  const title = report.conclusion ? 'Root cause' : 'Leading candidate (not concluded)';
  console.log(`${title}: ${leader.fault} on ${leader.entity} (${percent(leader.confidence)})`);
  console.log(`  ${leader.statement} ${leader.citations.map((citation) => `[${citation}]`).join('')}`);
}
for (const other of others.slice(0, 2)) {
  console.log(`Alternative: ${other.fault} on ${other.entity} (${percent(other.confidence)})`);
}
console.log(`Spent ${report.budget.used.toolCalls} of ${report.budget.limits.toolCalls} tool calls.`);
