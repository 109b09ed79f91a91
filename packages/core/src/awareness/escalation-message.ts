import type { Notification } from '../contracts/connector';
import type { RemediationProposal } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import { escalationUrgency, urgencyWords } from './decision-revision';
import { clockTime, formatQuantity } from './triage-factors';
import type { Forecast, Situation, TriageResult } from './types';

const evidenceShown = 6;

/**
 * The escalation of a situation as a {@link Notification} with a Markdown body and its urgency
 * ({@link escalationUrgency}: page on-call for a P1, a P2 or an urgent situation, else the owning team for working
 * hours): the decision and its score,
 * the reasons (a table a host can show as is), the forecast, the investigation's conclusion and evidence
 * summary when there is a report, the proposed fixes when there are some, and the signals.
 *
 * @param situation - the situation
 * @param triage - its triage
 * @param report - the investigation's report, if one ran
 * @param proposals - proposed fixes (default: the report's)
 */
export function formatEscalation(
  situation: Situation,
  triage: TriageResult,
  report?: Report,
  proposals: readonly RemediationProposal[] = report?.proposals ?? [],
): Notification {
  const primary = situation.primary;
  const alertname = primary.labels.alertname ?? primary.summary;
  const breach = triage.forecast?.breachAt
    ? `: ${triage.forecast.resource} limit at ${clockTime(Date.parse(triage.forecast.breachAt))}`
    : '';
  const urgency = escalationUrgency(situation.severity, triage.urgent);
  const lines = [
    `## ${cell(alertname)} on \`${primary.entity}\` needs attention`,
    '',
    `Urgency: **${urgency}** (${urgencyWords[urgency]}).`,
    '',
    `Awareness decided **${triage.decision}** (score ${triage.score.toFixed(2)}; ${triage.severity} escalates at ` +
      `${triage.thresholds.escalate.toFixed(2)}) for situation \`${situation.id}\`: ${situation.signals.length} ` +
      `signal${situation.signals.length === 1 ? '' : 's'} on ${situation.entities.length} ` +
      `entit${situation.entities.length === 1 ? 'y' : 'ies'} since ${clockTime(Date.parse(situation.openedAt))}.`,
    '',
    '### Why',
    '',
    '| factor | weight | detail |',
    '| --- | ---: | --- |',
    ...triage.reasons.map(
      (reason) => `| ${reason.factor} | ${signed(reason.weight)} | ${cell(reason.detail)} |`,
    ),
    ...(triage.forecast ? ['', '### Forecast', '', forecastSentence(triage.forecast)] : []),
    ...(report ? ['', '### Investigation', '', ...investigationLines(report)] : []),
    ...(proposals.length > 0 ? ['', '### Proposed fixes', '', ...proposals.map(proposalLine)] : []),
    '',
    '### Signals',
    '',
    '| time | kind | severity | entity | summary |',
    '| --- | --- | --- | --- | --- |',
    ...situation.signals.map(
      (signal) =>
        `| ${signal.at} | ${signal.kind}${signal.status === 'resolved' ? ' (resolved)' : ''} | ${signal.severity} | ${signal.entity} | ${cell(signal.summary)} |`,
    ),
  ];
  return {
    kind: 'escalation',
    title: `[${situation.severity}] ${alertname} on ${primary.entity}${breach}`,
    entity: primary.entity,
    severity: situation.severity,
    urgency,
    body: `${lines.join('\n')}\n`,
    ...(report ? { report } : {}),
    ...(proposals.length > 0 ? { proposals: [...proposals] } : {}),
  };
}

/** One sentence on a forecast. */
export function forecastSentence(forecast: Forecast): string {
  const bytes = forecast.metric.endsWith('_bytes');
  const level = `${formatQuantity(forecast.current, bytes)} of ${formatQuantity(forecast.limit, bytes)} (${Math.round(forecast.utilisation * 100)}%)`;
  const growth = `growing ${formatQuantity(forecast.growthPerHour, bytes)}/h now (Theil–Sen over the last hour, τ ${forecast.consistency.toFixed(2)})`;
  const subject = `\`${forecast.entity}\` ${forecast.resource} (\`${forecast.metric}\`) is at ${level}, ${growth}`;
  if (!forecast.breachAt) return `${subject}; it is not projected to reach its limit within the horizon.`;
  const traffic =
    forecast.model === 'traffic'
      ? ` with traffic ${forecast.traffic ?? 'as modelled'} (×${forecast.trafficNow ?? '?'} now, ×${forecast.trafficAtBreach ?? '?'} then)`
      : '';
  const naive =
    forecast.model === 'traffic'
      ? forecast.naiveHoursToLimit === undefined
        ? '; ignoring traffic it would not'
        : `; ignoring traffic it would take ${forecast.naiveHoursToLimit} h`
      : '';
  return `${subject}; it reaches the limit at **${clockTime(Date.parse(forecast.breachAt))}** (in ${forecast.hoursToLimit} h)${traffic}${naive}.`;
}

function investigationLines(report: Report): string[] {
  const conclusion = report.conclusion
    ? `**Root cause:** ${cell(report.conclusion.statement)} (\`${report.conclusion.entity}\`, ${report.conclusion.fault}, ` +
      `confidence ${Math.round(report.conclusion.confidence * 100)}%) ${citations(report.conclusion.citations)}`
    : `**No root cause claimed** (${report.ending.kind}): ${cell(report.ending.reason)}`;
  const alternatives = report.alternatives
    .slice(0, 2)
    .map(
      (alternative) =>
        `- alternative: ${cell(alternative.statement)} (${Math.round(alternative.confidence * 100)}%) ${citations(alternative.citations)}`,
    );
  const strongest = [...report.evidence]
    .filter((evidence) => evidence.verdict !== 'unavailable')
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.id - b.id)
    .slice(0, evidenceShown)
    .sort((a, b) => a.id - b.id);
  return [
    conclusion,
    ...alternatives,
    '',
    `Ended **${report.ending.kind}**: ${cell(report.ending.reason)} — ${report.evidence.length} pieces of evidence, ` +
      `${report.budget.used.toolCalls} of ${report.budget.limits.toolCalls} tool calls, report \`${report.id}\`.`,
    ...(strongest.length > 0
      ? [
          '',
          ...strongest.map((evidence) => `- [${evidence.id}] ${evidence.verdict}: ${cell(evidence.summary)}`),
        ]
      : []),
  ];
}

function proposalLine(proposal: RemediationProposal): string {
  return (
    `- **${cell(proposal.title)}** (risk ${proposal.risk}): \`${proposal.action.type}\` on \`${proposal.action.target}\` — ` +
    `${cell(proposal.rationale)} ${citations(proposal.citations)}`.trimEnd()
  );
}

function citations(numbers: readonly number[]): string {
  return [...new Set(numbers)]
    .sort((a, b) => a - b)
    .map((number) => `[${number}]`)
    .join('');
}

function signed(weight: number): string {
  return weight > 0 ? `+${weight.toFixed(2)}` : weight.toFixed(2);
}

/** Text safe inside a Markdown table cell or a line: no pipes, no line breaks. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
