import type { BudgetLimits } from '../contracts/budget';
import type { RemediationAction } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import { noFaultId, unknownId } from '../investigation/hypothesis-board';
import { formatDuration, formatNumber } from './report-formatting';

/** `fault on entity`, the way reports name a candidate cause. */
export function causeName(cause: { entity: string; fault: string }): string {
  return `${cause.fault} on ${cause.entity}`;
}

/** What each hypothesis id of a report is called in its evidence chain. */
export function hypothesisLabels(report: Report): Map<string, string> {
  const labels = new Map<string, string>([
    [noFaultId, '"nothing is wrong"'],
    [unknownId, 'a cause nobody proposed'],
  ]);
  for (const path of report.explored) labels.set(path.hypothesis, causeName(path));
  return labels;
}

/** `key=value, …` of an action's parameters. */
export function actionParameters(action: RemediationAction): string {
  return Object.entries(action.parameters)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/** The budget's limits in the order reports show them, with how each is written. */
export const budgetRows: readonly {
  key: keyof BudgetLimits;
  label: string;
  format: (value: number) => string;
}[] = [
  { key: 'wallTimeMs', label: 'wall time', format: formatDuration },
  { key: 'toolCalls', label: 'tool calls', format: formatNumber },
  { key: 'modelTokens', label: 'model tokens', format: formatNumber },
  { key: 'costUsd', label: 'cost', format: (value) => `$${value.toFixed(2)}` },
];

/** How long the investigation took, from its start and end times (undefined when they cannot be read). */
export function reportDurationMs(report: Report): number | undefined {
  const took = Date.parse(report.endedAt) - Date.parse(report.startedAt);
  return Number.isFinite(took) ? took : undefined;
}
