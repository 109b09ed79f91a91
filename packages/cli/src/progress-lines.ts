import type { Hypothesis, InvestigationEmitter } from '@aisre/core';
import { percent } from './terminal-text';

/** Statuses worth a line when a hypothesis reaches them. */
const reportedStatuses = new Set<Hypothesis['status']>(['supported', 'refuted', 'pruned', 'concluded']);

function describe(hypothesis: { fault: string; entity: string }): string {
  return `${hypothesis.fault} on ${hypothesis.entity}`;
}

/**
 * Follows an investigator's events and writes one plain line per event worth showing (for logs and pipes,
 * where a live view cannot be drawn): the start and its budget, the scope, each hypothesis proposed, each
 * one that is supported, refuted, pruned or concluded, each piece of evidence, each failed check, the end.
 *
 * @param events - the investigator's events
 * @param write - where the lines go (standard error)
 */
export function followWithProgressLines(events: InvestigationEmitter, write: (line: string) => void): void {
  const labels = new Map<string, string>();
  const statuses = new Map<string, Hypothesis['status']>();
  const line = (text: string) => write(`${text}\n`);

  events.on('investigation:started', (event) => {
    const { toolCalls, wallTimeMs } = event.limits;
    line(
      `investigating ${event.trigger.labels.alertname ?? event.trigger.summary} on ${event.trigger.entity} (${event.trigger.severity}), budget ${toolCalls} tool calls and ${Math.round(wallTimeMs / 1000)} s`,
    );
  });
  events.on('scope:built', (event) => {
    line(`scope: ${event.entities.length} entities, ${event.changes} recent changes`);
  });
  events.on('hypothesis:added', ({ hypothesis }) => {
    labels.set(hypothesis.id, describe(hypothesis));
    statuses.set(hypothesis.id, hypothesis.status);
    line(`+ ${describe(hypothesis)} (prior ${percent(hypothesis.prior)})`);
  });
  events.on('hypothesis:updated', ({ hypothesis }) => {
    const before = statuses.get(hypothesis.id);
    statuses.set(hypothesis.id, hypothesis.status);
    if (before !== hypothesis.status && reportedStatuses.has(hypothesis.status)) {
      line(`~ ${describe(hypothesis)}: ${hypothesis.status} (${percent(hypothesis.posterior)})`);
    }
  });
  events.on('evidence:added', ({ evidence }) => {
    const about = labels.get(evidence.hypothesis) ?? evidence.hypothesis;
    line(`[${evidence.id}] ${evidence.verdict} ${about}: ${evidence.summary}`);
  });
  events.on('check:ended', ({ step }) => {
    if (step.error) line(`! step ${step.id} ${step.tool} failed: ${step.error.message}`);
  });
  events.on('investigation:ended', ({ report }) => {
    line(
      `ended ${report.ending.kind} after ${report.budget.used.toolCalls} tool calls: ${report.ending.reason}`,
    );
  });
}
