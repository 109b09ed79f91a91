import type { Evidence } from '../contracts/evidence';
import type { RemediationAction, RemediationProposal } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import type { Step } from '../contracts/step';
import { chartSeriesOf, renderEvidenceChart } from './evidence-chart';
import { escapeHtml } from './html-escape';
import {
  compactJson,
  formatCitations,
  formatDuration,
  formatPercent,
  formatWeight,
  truncate,
} from './report-formatting';
import { actionParameters, budgetRows, causeName, hypothesisLabels, reportDurationMs } from './report-labels';
import { compactExcerpt, describeStep } from './step-description';

const styles = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;max-width:980px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;overflow-wrap:anywhere}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f5f9;padding:1px 4px;border-radius:3px}
.meta{color:#475569;margin:2px 0}.box{border:1px solid #cbd5e1;border-radius:6px;padding:12px 16px;background:#f8fafc}
.bar{display:inline-block;height:8px;background:#2563eb;border-radius:4px;vertical-align:middle;margin-right:6px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.supports{background:#dcfce7;color:#166534}.refutes{background:#fee2e2;color:#991b1b}.neutral{background:#e2e8f0;color:#334155}.unavailable{background:#fef3c7;color:#92400e}
.concluded{background:#dcfce7;color:#166534}.needs-human,.budget-exhausted{background:#fef3c7;color:#92400e}.cancelled,.failed{background:#fee2e2;color:#991b1b}
ol.evidence>li{margin-bottom:12px}.cite{color:#475569;font-size:13px}figure{margin:6px 0}figcaption{font-size:12px;color:#475569}
.legend{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
svg.chart text{font:10px ui-monospace,monospace;fill:#475569}tr.failed td{color:#991b1b}
`;

function bar(share: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(share) ? share : 0));
  return `<span class="bar" style="width:${Math.round(clamped * 120)}px"></span>`;
}

function citationLinks(citations: readonly number[]): string {
  return formatCitations(citations).replace(/\[(\d+)\]/g, '<a href="#evidence-$1">[$1]</a>');
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rowClass?: (index: number) => string,
) {
  const head = `<tr>${header.map((cell) => `<th>${cell}</th>`).join('')}</tr>`;
  const body = rows
    .map((cells, index) => {
      const className = rowClass?.(index) ?? '';
      return `<tr${className ? ` class="${className}"` : ''}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<table>${head}${body}</table>`;
}

function renderHeader(report: Report): string {
  const trigger = report.trigger;
  const alert = trigger.labels.alertname ?? trigger.summary;
  const took = reportDurationMs(report);
  return [
    `<h1>Investigation: ${escapeHtml(alert)} on <code>${escapeHtml(trigger.entity)}</code></h1>`,
    `<p class="meta"><b>Trigger:</b> ${escapeHtml(`${trigger.severity} ${trigger.kind} at ${trigger.at}: ${trigger.summary}`)}</p>`,
    `<p class="meta"><b>Investigation:</b> <code>${escapeHtml(report.id)}</code>, ${escapeHtml(`${report.startedAt} → ${report.endedAt}`)}${took === undefined ? '' : ` (${escapeHtml(formatDuration(took))})`}</p>`,
    `<p class="meta"><b>Ending:</b> <span class="badge ${escapeHtml(report.ending.kind)}">${escapeHtml(report.ending.kind)}</span> ${escapeHtml(report.ending.reason)}</p>`,
  ].join('\n');
}

function renderConclusion(report: Report): string {
  const conclusion = report.conclusion;
  const lines: string[] = [];
  if (conclusion) {
    lines.push(
      `<p><b>Root cause: ${escapeHtml(conclusion.fault)} on <code>${escapeHtml(conclusion.entity)}</code></b>, confidence ${bar(conclusion.confidence)}${formatPercent(conclusion.confidence)}.</p>`,
      `<p>${escapeHtml(conclusion.statement)} ${citationLinks(conclusion.citations)}</p>`,
    );
    if (report.ending.kind !== 'concluded') {
      lines.push(
        `<p>The investigation ended ${escapeHtml(`${report.ending.kind}: ${report.ending.reason}`)}</p>`,
      );
    }
  } else {
    lines.push(
      `<p><b>No root cause concluded.</b> The investigation ended ${escapeHtml(`${report.ending.kind}: ${report.ending.reason}`)}</p>`,
    );
    const leader = report.alternatives[0];
    if (leader) {
      lines.push(
        `<p>Leading candidate: ${escapeHtml(causeName(leader))} at ${formatPercent(leader.confidence)} ${citationLinks(leader.citations)}</p>`,
      );
    }
  }
  lines.push(
    `<p class="meta">Probability left to causes nobody proposed: ${formatPercent(report.unknownRemainder)}.</p>`,
  );
  return `<h2>Conclusion</h2><div class="box">${lines.join('\n')}</div>`;
}

function renderAlternatives(alternatives: readonly RankedCause[]): string {
  if (alternatives.length === 0) return '<h2>Ranked alternatives</h2><p>No other candidates.</p>';
  const rows = alternatives.map((cause, index) => [
    String(index + 1),
    `<code>${escapeHtml(cause.entity)}</code>`,
    escapeHtml(cause.fault),
    `${bar(cause.confidence)}${formatPercent(cause.confidence)}`,
    citationLinks(cause.citations) || '–',
  ]);
  return `<h2>Ranked alternatives</h2>${table(['#', 'entity', 'fault', 'confidence', 'evidence'], rows)}`;
}

/** Where each step's chart is drawn: under the first evidence citing it. */
type ChartedSteps = Map<number, number>;

function evidenceChart(
  evidence: Evidence,
  step: Step | undefined,
  alertAt: number | undefined,
  charted: ChartedSteps,
): string {
  if (!step || step.error) return '';
  const first = charted.get(step.id);
  if (first !== undefined)
    return `<div class="cite">chart: see <a href="#evidence-${first}">[${first}]</a></div>`;
  const chart = renderEvidenceChart(chartSeriesOf(step.output), alertAt);
  if (chart !== '') charted.set(step.id, evidence.id);
  return chart;
}

function renderEvidenceItem(
  evidence: Evidence,
  step: Step | undefined,
  about: string,
  alertAt: number | undefined,
  charted: ChartedSteps,
): string {
  const excerpt = compactExcerpt(evidence.excerpt);
  const where = step
    ? `<a href="#step-${step.id}">step ${step.id}</a>: ${escapeHtml(describeStep(step))}${excerpt ? `: ${escapeHtml(excerpt)}` : ''}${step.error ? ` — failed: ${escapeHtml(truncate(step.error.message, 160))}` : ''}`
    : `step ${evidence.step} (not in the audit)`;
  const chart = evidenceChart(evidence, step, alertAt, charted);
  return [
    `<li id="evidence-${evidence.id}" value="${evidence.id}">`,
    `<span class="badge ${escapeHtml(evidence.verdict)}">${escapeHtml(evidence.verdict)}</span> `,
    `${escapeHtml(about)} (weight ${escapeHtml(formatWeight(evidence.weight))}): ${escapeHtml(evidence.summary)}`,
    `<div class="cite">[${evidence.id}] → ${where}</div>`,
    chart,
    '</li>',
  ].join('');
}

function renderEvidence(report: Report): string {
  if (report.evidence.length === 0) return '<h2>Evidence chain</h2><p>No evidence was gathered.</p>';
  const steps = new Map(report.steps.map((step) => [step.id, step]));
  const labels = hypothesisLabels(report);
  const alertAt = Date.parse(report.trigger.at);
  const charted: ChartedSteps = new Map();
  const items = report.evidence.map((evidence) =>
    renderEvidenceItem(
      evidence,
      steps.get(evidence.step),
      labels.get(evidence.hypothesis) ?? evidence.hypothesis,
      Number.isFinite(alertAt) ? alertAt : undefined,
      charted,
    ),
  );
  return `<h2>Evidence chain</h2><ol class="evidence">${items.join('\n')}</ol>`;
}

function renderExplored(report: Report): string {
  if (report.explored.length === 0)
    return '<h2>Paths explored and ruled out</h2><p>No hypotheses were explored.</p>';
  const ordered = [...report.explored].sort(
    (left, right) => right.posterior - left.posterior || left.hypothesis.localeCompare(right.hypothesis),
  );
  const rows = ordered.map((path) => [
    `<code>${escapeHtml(path.entity)}</code>`,
    escapeHtml(path.fault),
    escapeHtml(path.status),
    formatPercent(path.posterior),
    escapeHtml(path.reason),
  ]);
  const ruledOut = report.explored.filter(
    (path) => path.status === 'refuted' || path.status === 'pruned',
  ).length;
  return `<h2>Paths explored and ruled out</h2>${table(['entity', 'fault', 'status', 'confidence', 'why'], rows)}<p class="meta">${report.explored.length} explored, ${ruledOut} ruled out.</p>`;
}

function renderUnchecked(report: Report): string {
  if (report.unchecked.length === 0)
    return '<h2>Could not check</h2><p>Nothing: every planned check ran.</p>';
  const items = report.unchecked.map(
    (item) =>
      `<li>${escapeHtml(`${item.what}: ${item.why}`)}${item.step === undefined ? '' : ` (<a href="#step-${item.step}">step ${item.step}</a>)`}</li>`,
  );
  return `<h2>Could not check</h2><ul>${items.join('')}</ul>`;
}

function renderBudget(report: Report): string {
  const rows = budgetRows.map(({ key, label, format }) => {
    const used = report.budget.used[key];
    const limit = report.budget.limits[key];
    const share = limit > 0 ? Math.min(used / limit, 1) : 0;
    return [
      label,
      escapeHtml(format(used)),
      escapeHtml(format(limit)),
      limit > 0 ? `${bar(share)}${formatPercent(share)}${used >= limit ? ' (spent)' : ''}` : '–',
    ];
  });
  return `<h2>Budget</h2>${table(['', 'used', 'limit', 'share'], rows)}`;
}

function describeAction(action: RemediationAction): string {
  const parameters = actionParameters(action);
  return `<code>${escapeHtml(action.type)}</code> on <code>${escapeHtml(action.target)}</code>${parameters ? ` (${escapeHtml(parameters)})` : ''}`;
}

function renderProposals(proposals: readonly RemediationProposal[]): string {
  if (proposals.length === 0) return '';
  const items = proposals.map((proposal) => {
    const rollback =
      typeof proposal.rollback === 'string'
        ? escapeHtml(proposal.rollback)
        : describeAction(proposal.rollback);
    return [
      `<li><b>${escapeHtml(proposal.title)}</b> (risk ${escapeHtml(proposal.risk)}, for ${escapeHtml(proposal.fault)})<ul>`,
      `<li>Change: ${describeAction(proposal.action)}</li>`,
      `<li>Why: ${escapeHtml(proposal.rationale)} ${citationLinks(proposal.citations)}</li>`,
      `<li>Rollback: ${rollback}</li></ul></li>`,
    ].join('');
  });
  return `<h2>Proposals</h2><ol>${items.join('\n')}</ol>`;
}

function renderSteps(report: Report): string {
  if (report.steps.length === 0) return '<h2>Audited steps</h2><p>No steps.</p>';
  const rows = report.steps.map((step) => [
    `<span id="step-${step.id}">${step.id}</span>`,
    escapeHtml(describeStep(step)),
    escapeHtml(step.provider),
    escapeHtml(formatDuration(step.durationMs)),
    step.error
      ? escapeHtml(`${step.error.code}: ${truncate(step.error.message, 160)}`)
      : escapeHtml(step.output === undefined ? 'output not kept' : compactJson(step.output, 90)),
    `<code title="${escapeHtml(step.outputDigest)}">${escapeHtml(step.outputDigest.slice(0, 12))}</code>`,
  ]);
  return `<h2>Audited steps</h2>${table(
    ['#', 'call', 'provider', 'took', 'output', 'SHA-256'],
    rows,
    (index) => (report.steps[index]?.error ? 'failed' : ''),
  )}`;
}

/**
 * Renders a report as one self-contained HTML page (inline styles and SVG, no scripts, nothing fetched): the
 * conclusion, ranked alternatives, the numbered evidence chain with a chart of the series each metric check
 * read (the alert's time marked; drawn once per step, under the first evidence citing it) and links from every citation to its audited step, the paths explored and
 * ruled out, what could not be checked, the budget, the proposals, and the audited steps with their digests.
 *
 * Every piece of report data is escaped, so text from logs, tools or models is shown and never interpreted.
 * The output depends only on the report.
 *
 * @param report - the report to render
 * @returns an HTML document, ending with a newline
 */
export function renderReportHtml(report: Report): string {
  const title = `Investigation: ${report.trigger.labels.alertname ?? report.trigger.summary} on ${report.trigger.entity}`;
  const body = [
    renderHeader(report),
    renderConclusion(report),
    renderAlternatives(report.alternatives),
    renderEvidence(report),
    renderExplored(report),
    renderUnchecked(report),
    renderBudget(report),
    renderProposals(report.proposals),
    renderSteps(report),
  ].filter((section) => section !== '');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${styles.trim()}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
