import type { Budget, BudgetCharge, BudgetLimits, BudgetUsage } from '../contracts/budget';
import { budgetLimitsSchema } from '../contracts/budget';
import type { Clock } from '../contracts/common';
import { BudgetExceededError, type BudgetLimitName } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';

const epsilon = 1e-9;

/**
 * Creates a running {@link Budget}. Wall time is measured from creation on `clock`.
 *
 * @param limits - the limits (validated)
 * @param clock - the clock wall time is measured on
 */
export function createBudget(limits: BudgetLimits, clock: Clock): Budget {
  const frozen = Object.freeze({ ...parseWith(budgetLimitsSchema, limits, 'core: budget limits') });
  const startedAt = clock.now();
  let toolCalls = 0;
  let modelTokens = 0;
  let costUsd = 0;

  const used = (): BudgetUsage => ({
    wallTimeMs: Math.max(0, clock.now() - startedAt),
    toolCalls,
    modelTokens,
    costUsd,
  });

  const refusal = (charge: BudgetCharge): BudgetLimitName | undefined => {
    if (clock.now() - startedAt >= frozen.wallTimeMs) return 'wallTimeMs';
    if (toolCalls + (charge.toolCalls ?? 0) > frozen.toolCalls) return 'toolCalls';
    if (modelTokens + (charge.modelTokens ?? 0) > frozen.modelTokens) return 'modelTokens';
    if (costUsd + (charge.costUsd ?? 0) > frozen.costUsd + epsilon) return 'costUsd';
    return undefined;
  };

  return {
    limits: frozen,
    used,
    remaining() {
      const spent = used();
      return {
        wallTimeMs: Math.max(0, frozen.wallTimeMs - spent.wallTimeMs),
        toolCalls: Math.max(0, frozen.toolCalls - toolCalls),
        modelTokens: Math.max(0, frozen.modelTokens - modelTokens),
        costUsd: Math.max(0, frozen.costUsd - costUsd),
      };
    },
    canCharge: (charge) => refusal(charge) === undefined,
    charge(charge) {
      const limit = refusal(charge);
      if (limit) {
        throw new BudgetExceededError(
          limit,
          `core: budget: refused a charge of ${JSON.stringify(charge)}: it would exceed ${limit} (limit ${frozen[limit]}, used ${used()[limit]})`,
        );
      }
      toolCalls += charge.toolCalls ?? 0;
      modelTokens += charge.modelTokens ?? 0;
      costUsd += charge.costUsd ?? 0;
    },
    refund(charge) {
      toolCalls = Math.max(0, toolCalls - (charge.toolCalls ?? 0));
      modelTokens = Math.max(0, modelTokens - (charge.modelTokens ?? 0));
      costUsd = Math.max(0, costUsd - (charge.costUsd ?? 0));
    },
    exhausted() {
      const spent = used();
      if (spent.wallTimeMs >= frozen.wallTimeMs) return 'wallTimeMs';
      if (toolCalls >= frozen.toolCalls) return 'toolCalls';
      if (modelTokens >= frozen.modelTokens && frozen.modelTokens > 0) return 'modelTokens';
      if (costUsd >= frozen.costUsd - epsilon && frozen.costUsd > 0) return 'costUsd';
      return undefined;
    },
  };
}
