import type { CauseRef, EvalResult, ScenarioScore } from './eval-scoring';
import { percent, textTable } from './terminal-text';

function cause(ref: CauseRef): string {
  return `${ref.fault} @ ${ref.entity}`;
}

function mark(value: boolean | null): string {
  if (value === null) return '–';
  return value ? '✓' : '✗';
}

function expectedCell(score: ScenarioScore): string {
  if (!score.expected) return '–';
  if (score.expected.rootCause) return cause(score.expected.rootCause);
  return score.expected.decision ? `no cause (${score.expected.decision})` : '–';
}

function row(score: ScenarioScore): string[] {
  const first = score.ranked[0];
  const correct = score.top1 ?? score.decisionCorrect;
  return [
    score.name,
    expectedCell(score),
    first ? `${cause(first)} ${percent(first.confidence)}` : '–',
    mark(correct),
    score.decisionCorrect === null ? score.decision : `${score.decision} ${mark(score.decisionCorrect)}`,
    score.ending,
    String(score.toolCalls),
    String(score.wallMs),
  ];
}

function ratio(value: number | null, hits: number, total: number): string {
  return value === null ? 'n/a' : `${percent(value)} (${hits}/${total})`;
}

/**
 * Renders an eval run for humans: one row per scenario (name, expected root cause, top-1 candidate with its
 * confidence, ✓/✗, decision, ending, tool calls, milliseconds), then the summary (with the decisions taken by
 * decision expected) and the errors.
 *
 * @param result - the eval run
 */
export function renderEvalTable(result: EvalResult): string {
  const { summary, scenarios, errors } = result;
  const lines: string[] = [];
  if (scenarios.length > 0) {
    lines.push(
      ...textTable(
        ['scenario', 'expected', 'top-1', '✓/✗', 'decision', 'ending', 'tool calls', 'ms'],
        scenarios.map(row),
        ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right'],
      ),
      '',
    );
  }
  const withCause = scenarios.filter((score) => score.top1 !== null);
  const withDecision = scenarios.filter((score) => score.decisionCorrect !== null);
  const count = (list: readonly ScenarioScore[], key: 'top1' | 'top3' | 'decisionCorrect') =>
    list.filter((score) => score[key] === true).length;
  lines.push(
    `scenarios: ${summary.count} run${errors.length > 0 ? `, ${errors.length} failed` : ''}`,
    `top-1: ${ratio(summary.top1, count(withCause, 'top1'), withCause.length)}   top-3: ${ratio(summary.top3, count(withCause, 'top3'), withCause.length)}`,
    `decisions: ${ratio(summary.decisionAccuracy, count(withDecision, 'decisionCorrect'), withDecision.length)}   escalation precision: ${summary.escalationPrecision === null ? 'n/a' : percent(summary.escalationPrecision)}   recall: ${summary.escalationRecall === null ? 'n/a' : percent(summary.escalationRecall)}`,
    `decided (expected → decided): ${
      Object.entries(summary.confusion)
        .flatMap(([expected, row]) =>
          Object.entries(row ?? {}).map(([decided, count]) => `${expected} → ${decided} ${count}`),
        )
        .join(', ') || 'n/a'
    }`,
    `median tool calls: ${summary.medianToolCalls ?? 'n/a'}   median time: ${summary.medianWallMs === null ? 'n/a' : `${Math.round(summary.medianWallMs)} ms`}   budget overruns: ${summary.budgetOverruns}`,
    `calibration: ${summary.calibration
      .map(
        (bin) =>
          `${bin.bin}: ${bin.count} claim${bin.count === 1 ? '' : 's'}${bin.accuracy === null ? '' : `, ${percent(bin.accuracy)} right`}`,
      )
      .join('; ')}`,
  );
  if (errors.length > 0) {
    lines.push('', 'errors:', ...errors.map((error) => `  ${error.file}: ${error.error}`));
  }
  return `${lines.join('\n')}\n`;
}
