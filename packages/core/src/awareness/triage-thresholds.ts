import { z } from 'zod';
import { defaultBudgetsBySeverity } from '../budget/severity-budgets';
import { type BudgetLimits, budgetLimitsSchema } from '../contracts/budget';
import { type Severity, severities, severitySchema } from '../contracts/common';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import type {
  DecisionBudget,
  DecisionBudgets,
  DecisionThresholds,
  TriageDecision,
  TriageThresholdOverrides,
  TriageThresholds,
} from './types';

/** The decisions, from least to most attention. */
export const triageDecisions: readonly TriageDecision[] = ['ignore', 'watch', 'investigate', 'escalate'];

/**
 * The default minimum score of each decision, per severity. A score below `watch` is ignored.
 * Hosts override any cell through {@link AwarenessOptions.thresholds}; repeated misses of a pattern lower
 * its thresholds (see docs/awareness.md).
 *
 * | severity | watch | investigate | escalate |
 * | --- | --- | --- | --- |
 * | P1 | 0.10 | 0.25 | 0.45 |
 * | P2 | 0.20 | 0.40 | 0.60 |
 * | P3 | 0.30 | 0.55 | 0.75 |
 * | P4 | 0.35 | 0.60 | 0.80 |
 * | P5 | 0.40 | 0.70 | 0.85 |
 */
export const defaultTriageThresholds: Readonly<TriageThresholds> = Object.freeze({
  P1: Object.freeze({ watch: 0.1, investigate: 0.25, escalate: 0.45 }),
  P2: Object.freeze({ watch: 0.2, investigate: 0.4, escalate: 0.6 }),
  P3: Object.freeze({ watch: 0.3, investigate: 0.55, escalate: 0.75 }),
  P4: Object.freeze({ watch: 0.35, investigate: 0.6, escalate: 0.8 }),
  P5: Object.freeze({ watch: 0.4, investigate: 0.7, escalate: 0.85 }),
});

/**
 * The default investigation budget of each decision: nothing for `ignore` and `watch`, the situation's own
 * severity budget for `investigate` and `escalate` (an investigation cut short cannot confirm the fault that would
 * escalate the situation; engineers who want a quick look set `investigate: 'P4'`).
 */
export const defaultDecisionBudgets: Readonly<DecisionBudgets> = Object.freeze({
  ignore: 'none',
  watch: 'none',
  investigate: 'severity',
  escalate: 'severity',
});

const scoreSchema = z.number().min(0).max(1);
const partialThresholdsSchema = z.strictObject({
  watch: scoreSchema.optional(),
  investigate: scoreSchema.optional(),
  escalate: scoreSchema.optional(),
});
const thresholdOverridesSchema = z.partialRecord(severitySchema, partialThresholdsSchema);
const decisionBudgetSchema = z.union([
  z.literal('none'),
  z.literal('severity'),
  severitySchema,
  budgetLimitsSchema,
]);
const budgetOverridesSchema = z.strictObject({
  ignore: decisionBudgetSchema.optional(),
  watch: decisionBudgetSchema.optional(),
  investigate: decisionBudgetSchema.optional(),
  escalate: decisionBudgetSchema.optional(),
});

/**
 * The thresholds table with overrides applied.
 *
 * @param overrides - cells to replace
 * @throws {@link InvalidInputError} when a value is not in 0..1 or a row is not `watch ≤ investigate ≤ escalate`.
 */
export function resolveTriageThresholds(overrides: TriageThresholdOverrides = {}): TriageThresholds {
  const parsed = parseWith(thresholdOverridesSchema, overrides, 'core: awareness: thresholds');
  const table = {} as TriageThresholds;
  for (const severity of severities) {
    const row = { ...defaultTriageThresholds[severity], ...definedOnly(parsed[severity] ?? {}) };
    if (!(row.watch <= row.investigate && row.investigate <= row.escalate))
      throw new InvalidInputError(
        `core: awareness: thresholds of ${severity} must satisfy watch ≤ investigate ≤ escalate (got ${row.watch}, ${row.investigate}, ${row.escalate})`,
        { issues: [{ path: [severity], message: 'expected watch ≤ investigate ≤ escalate' }] },
      );
    table[severity] = row;
  }
  return table;
}

/**
 * The decision budgets with overrides applied.
 *
 * @param overrides - decisions whose budget to replace
 * @throws {@link InvalidInputError} for a budget that is not `none`, `severity`, a severity or limits.
 */
export function resolveDecisionBudgets(overrides: Partial<DecisionBudgets> = {}): DecisionBudgets {
  const parsed = parseWith(budgetOverridesSchema, overrides, 'core: awareness: budgets');
  return { ...defaultDecisionBudgets, ...definedOnly(parsed) };
}

/**
 * The decision a score earns: the most attention whose threshold it reaches.
 *
 * @param score - the triage score
 * @param thresholds - the thresholds of the situation's severity
 */
export function decide(score: number, thresholds: DecisionThresholds): TriageDecision {
  if (score >= thresholds.escalate) return 'escalate';
  if (score >= thresholds.investigate) return 'investigate';
  if (score >= thresholds.watch) return 'watch';
  return 'ignore';
}

/**
 * Thresholds moved by `shift` (negative lowers them), kept within 0.05..1 and in order.
 *
 * @param thresholds - the thresholds
 * @param shift - how much to add to each
 */
export function shiftThresholds(thresholds: DecisionThresholds, shift: number): DecisionThresholds {
  const move = (value: number) => round(Math.min(1, Math.max(0.05, value + shift)));
  return {
    watch: move(thresholds.watch),
    investigate: move(thresholds.investigate),
    escalate: move(thresholds.escalate),
  };
}

/**
 * The budget limits of a decision, or `null` when it gets no investigation.
 *
 * @param budget - the decision's budget setting
 * @param severity - the situation's severity
 * @param table - budget limits by severity
 */
export function budgetForDecision(
  budget: DecisionBudget,
  severity: Severity,
  table: Readonly<Record<Severity, Readonly<BudgetLimits>>> = defaultBudgetsBySeverity,
): BudgetLimits | null {
  if (budget === 'none') return null;
  if (budget === 'severity') return { ...table[severity] };
  if (typeof budget === 'string') return { ...table[budget] };
  return { ...budget };
}

/** Rounds to three decimals, so scores and thresholds print and compare cleanly. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function definedOnly<Value extends object>(value: Value): Partial<Value> {
  return Object.fromEntries(
    Object.entries(value).filter(([, inner]) => inner !== undefined),
  ) as Partial<Value>;
}
