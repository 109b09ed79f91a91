import { z } from 'zod';
import type { BudgetExceededError, BudgetLimitName } from '../errors/aisre-error';

/** The limits of a budget. Each is a hard ceiling: nothing is started that would cross one. */
export interface BudgetLimits {
  /** Wall time from the start of the investigation, milliseconds. */
  wallTimeMs: number;
  /** Tool and capability calls. */
  toolCalls: number;
  /** Model tokens, input plus output. */
  modelTokens: number;
  /** Money spent on model calls, US dollars. */
  costUsd: number;
}

/** Zod schema of {@link BudgetLimits}. */
export const budgetLimitsSchema: z.ZodType<BudgetLimits> = z.strictObject({
  wallTimeMs: z.number().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  modelTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});

/** What has been spent of a budget so far (same units as {@link BudgetLimits}). */
export type BudgetUsage = BudgetLimits;

/** Zod schema of {@link BudgetUsage}. */
export const budgetUsageSchema: z.ZodType<BudgetUsage> = budgetLimitsSchema;

/** A request to spend: charged before the work starts. */
export interface BudgetCharge {
  /** Tool calls to spend. */
  toolCalls?: number;
  /** Model tokens to reserve (the most the call may use; the unused part is refunded after). */
  modelTokens?: number;
  /** Dollars to reserve. */
  costUsd?: number;
}

/**
 * A running budget. Every tool and model call is charged before it starts; a charge that would cross a
 * limit throws {@link BudgetExceededError} and nothing runs.
 */
export interface Budget {
  /** The limits. */
  readonly limits: Readonly<BudgetLimits>;
  /** What has been spent (wall time is measured on the injected clock). */
  used(): BudgetUsage;
  /** What is left of each limit (never negative). */
  remaining(): BudgetUsage;
  /** True when a charge of `charge` would be accepted now. */
  canCharge(charge: BudgetCharge): boolean;
  /**
   * Spends `charge`, or throws {@link BudgetExceededError} naming the limit it would cross.
   * Also throws when the wall time is already spent.
   */
  charge(charge: BudgetCharge): void;
  /** Gives back part of a reservation once the real use is known (e.g. unused model tokens). */
  refund(charge: BudgetCharge): void;
  /** The first limit that is spent, if any. */
  exhausted(): BudgetLimitName | undefined;
}
