import type { BudgetLimits } from '../contracts/budget';
import type { Severity } from '../contracts/common';

/**
 * Default budget limits by severity: a P1 gets more than a P4. Hosts override any entry
 * (`budgetForSeverity('P2', { toolCalls: 80 })`) or pass limits of their own.
 *
 * | severity | wall time | tool calls | model tokens | cost |
 * | --- | --- | --- | --- | --- |
 * | P1 | 10 min | 120 | 400k | $4.00 |
 * | P2 | 6 min | 80 | 250k | $2.50 |
 * | P3 | 3 min | 50 | 120k | $1.00 |
 * | P4 | 90 s | 30 | 60k | $0.50 |
 * | P5 | 45 s | 15 | 20k | $0.20 |
 */
export const defaultBudgetsBySeverity: Readonly<Record<Severity, Readonly<BudgetLimits>>> = Object.freeze({
  P1: Object.freeze({ wallTimeMs: 600_000, toolCalls: 120, modelTokens: 400_000, costUsd: 4 }),
  P2: Object.freeze({ wallTimeMs: 360_000, toolCalls: 80, modelTokens: 250_000, costUsd: 2.5 }),
  P3: Object.freeze({ wallTimeMs: 180_000, toolCalls: 50, modelTokens: 120_000, costUsd: 1 }),
  P4: Object.freeze({ wallTimeMs: 90_000, toolCalls: 30, modelTokens: 60_000, costUsd: 0.5 }),
  P5: Object.freeze({ wallTimeMs: 45_000, toolCalls: 15, modelTokens: 20_000, costUsd: 0.2 }),
});

/**
 * The budget limits for a severity: the table's entry with `overrides` applied.
 *
 * @param severity - the trigger's severity
 * @param overrides - limits to replace
 * @param table - the table to read (defaults to {@link defaultBudgetsBySeverity})
 */
export function budgetForSeverity(
  severity: Severity,
  overrides: Partial<BudgetLimits> = {},
  table: Readonly<Record<Severity, Readonly<BudgetLimits>>> = defaultBudgetsBySeverity,
): BudgetLimits {
  return { ...table[severity], ...overrides };
}
