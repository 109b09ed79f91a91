import type { BudgetLimits, BudgetUsage } from '../contracts/budget';
import type { Evidence } from '../contracts/evidence';
import type { RemediationAction, RemediationProposal } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import type { Step } from '../contracts/step';
import {
  escapeTableCell,
  formatCitations,
  formatDuration,
  formatPercent,
  formatWeight,
  truncate,
} from './report-formatting';
import { actionParameters, budgetRows, causeName, hypothesisLabels, reportDurationMs } from './report-labels';
import { compactExcerpt, describeStep } from './step-description';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeTableCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- |').join('')}`, ...rows.map(line)];
}

function renderHeader(report: Report): string[] {
  const trigger = report.trigger;
  const alert = trigger.labels.alertname ?? trigger.summary;
  const took = reportDurationMs(report);
  return [
    `# Investigation: ${alert} on ${trigger.entity}`,
    '',
    `- **Trigger:** ${trigger.severity} ${trigger.kind} on \`${trigger.entity}\` at ${trigger.at}: ${trigger.summary}`,
    `- **Investigation:** \`${report.id}\`, ${report.startedAt} → ${report.endedAt}${
      took === undefined ? '' : ` (${formatDuration(took)})`
    }`,
    `- **Ending:** ${report.ending.kind}: ${report.ending.reason}`,
  ];
}

function renderConclusion(report: Report): string[] {
  const lines = ['## Conclusion', ''];
  const conclusion = report.conclusion;
  if (conclusion) {
    lines.push(
      `**Root cause: ${conclusion.fault} on \`${conclusion.entity}\`**, confidence ${formatPercent(conclusion.confidence)}.`,
      '',
      `${conclusion.statement} ${formatCitations(conclusion.citations)}`.trim(),
    );
    if (report.ending.kind !== 'concluded') {
      lines.push('', `The investigation ended ${report.ending.kind}: ${report.ending.reason}`);
    }
  } else {
    lines.push(
      `**No root cause concluded.** The investigation ended ${report.ending.kind}: ${report.ending.reason}`,
    );
    const leader = report.alternatives[0];
    if (leader) {
      lines.push(
        '',
        `Leading candidate: ${causeName(leader)} at ${formatPercent(leader.confidence)} ${formatCitations(leader.citations)}`.trim(),
      );
    }
  }
  lines.push('', `Probability left to causes nobody proposed: ${formatPercent(report.unknownRemainder)}.`);
  return lines;
}

function renderAlternatives(alternatives: readonly RankedCause[]): string[] {
  const lines = ['## Ranked alternatives', ''];
  if (alternatives.length === 0) return [...lines, 'No other candidates.'];
  const rows = alternatives.map((cause, index) => [
    String(index + 1),
    cause.entity,
    cause.fault,
    formatPercent(cause.confidence),
    formatCitations(cause.citations) || '–',
  ]);
  return [...lines, ...table(['#', 'entity', 'fault', 'confidence', 'evidence'], rows)];
}

/**
 * One line saying where a citation points: `[3] → metrics.range … on …: 1.1 → 1.89 (step 7)`.
 */
function citationLine(evidence: Evidence, step: Step | undefined): string {
  if (!step) return `[${evidence.id}] → step ${evidence.step} (not in the audit)`;
  const excerpt = compactExcerpt(evidence.excerpt);
  const failure = step.error ? `, failed: ${truncate(step.error.message, 100)}` : '';
  return `[${evidence.id}] → ${describeStep(step)}${excerpt ? `: ${excerpt}` : ''} (step ${step.id}${failure})`;
}

function renderEvidence(report: Report): string[] {
  const lines = ['## Evidence chain', ''];
  if (report.evidence.length === 0) return [...lines, 'No evidence was gathered.'];
  const steps = new Map(report.steps.map((step) => [step.id, step]));
  const labels = hypothesisLabels(report);
  for (const evidence of report.evidence) {
    const about = labels.get(evidence.hypothesis) ?? evidence.hypothesis;
    lines.push(
      `${evidence.id}. **${evidence.verdict}** ${about} (weight ${formatWeight(evidence.weight)}): ${evidence.summary}`,
      `   ${citationLine(evidence, steps.get(evidence.step))}`,
    );
  }
  const failed = report.steps.filter((step) => step.error).length;
  lines.push(
    '',
    `${report.steps.length} step${report.steps.length === 1 ? '' : 's'} audited${failed > 0 ? `, ${failed} failed` : ''}.`,
  );
  return lines;
}

function renderExplored(report: Report): string[] {
  const lines = ['## Paths explored and ruled out', ''];
  if (report.explored.length === 0) return [...lines, 'No hypotheses were explored.'];
  const ordered = [...report.explored].sort(
    (left, right) => right.posterior - left.posterior || left.hypothesis.localeCompare(right.hypothesis),
  );
  const rows = ordered.map((path) => [
    path.entity,
    path.fault,
    path.status,
    formatPercent(path.posterior),
    path.reason,
  ]);
  const ruledOut = report.explored.filter((path) => path.status === 'refuted' || path.status === 'pruned');
  return [
    ...lines,
    ...table(['entity', 'fault', 'status', 'confidence', 'why'], rows),
    '',
    `${report.explored.length} explored, ${ruledOut.length} ruled out.`,
  ];
}

function renderUnchecked(report: Report): string[] {
  const lines = ['## Could not check', ''];
  if (report.unchecked.length === 0) return [...lines, 'Nothing: every planned check ran.'];
  for (const item of report.unchecked) {
    lines.push(`- ${item.what}: ${item.why}${item.step === undefined ? '' : ` (step ${item.step})`}`);
  }
  return lines;
}

function renderBudget(budget: { limits: BudgetLimits; used: BudgetUsage }): string[] {
  const rows = budgetRows.map(({ key, label, format }) => {
    const used = budget.used[key];
    const limit = budget.limits[key];
    const share = limit > 0 ? formatPercent(Math.min(used / limit, 1)) : '–';
    return [label, format(used), format(limit), used >= limit && limit > 0 ? `${share} (spent)` : share];
  });
  return ['## Budget', '', ...table(['', 'used', 'limit', 'share'], rows)];
}

function describeAction(action: RemediationAction): string {
  const parameters = actionParameters(action);
  return `\`${action.type}\` on \`${action.target}\`${parameters ? ` (${parameters})` : ''}`;
}

function renderProposal(proposal: RemediationProposal, index: number): string[] {
  const rollback =
    typeof proposal.rollback === 'string' ? proposal.rollback : describeAction(proposal.rollback);
  return [
    `${index + 1}. **${proposal.title}** (risk ${proposal.risk}, for ${proposal.fault})`,
    `   - Change: ${describeAction(proposal.action)}`,
    `   - Why: ${`${proposal.rationale} ${formatCitations(proposal.citations)}`.trim()}`,
    `   - Rollback: ${rollback}`,
  ];
}

/**
 * Renders a report as Markdown for humans: the conclusion (root cause and confidence, or how the run ended
 * and why when nothing was concluded), the ranked alternatives, the numbered evidence chain whose
 * citations `[n]` point to the audited steps with a compact excerpt of the data, the paths explored and
 * ruled out, what could not be checked and why, the budget used against its limits, and the proposals.
 *
 * The output depends only on the report, so the same report always renders the same text.
 *
 * @param report - the report to render
 * @returns Markdown, ending with a newline
 */
export function renderReportMarkdown(report: Report): string {
  const sections = [
    renderHeader(report),
    renderConclusion(report),
    renderAlternatives(report.alternatives),
    renderEvidence(report),
    renderExplored(report),
    renderUnchecked(report),
    renderBudget(report.budget),
  ];
  if (report.proposals.length > 0) {
    sections.push(['## Proposals', '', ...report.proposals.flatMap(renderProposal)]);
  }
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
