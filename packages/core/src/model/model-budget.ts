import type { Budget, BudgetCharge } from '../contracts/budget';
import type { GenerateRequest, ModelUsage } from '../contracts/language-model';
import { toJsonSchema } from './json-schema';
import { costOf, type ModelPrice } from './model-prices';

/**
 * A rough token count of `text` (one token per four characters, rounded up). Good enough to reserve
 * budget before a call; the provider's own count settles it after.
 *
 * @param text - any text
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function schemaText(request: GenerateRequest): string {
  if (!request.schema) return '';
  try {
    return JSON.stringify(toJsonSchema(request.schema.schema));
  } catch {
    return '';
  }
}

/**
 * A rough count of the input tokens of a request: system prompt, messages, tool calls, tool
 * definitions and output schema, plus a few tokens of framing per message.
 *
 * @param request - the request about to be sent
 */
export function estimateInputTokens(request: GenerateRequest): number {
  let total = estimateTokens(request.system ?? '');
  for (const message of request.messages) {
    total += 4 + estimateTokens(message.content);
    if (message.role === 'assistant' && message.toolCalls) {
      total += estimateTokens(JSON.stringify(message.toolCalls));
    }
  }
  if (request.tools && request.tools.length > 0) total += estimateTokens(JSON.stringify(request.tools));
  return total + estimateTokens(schemaText(request));
}

/** What is reserved of a budget for one model call, settled once the real usage is known. */
export interface ModelBudgetReservation {
  /** The charge made before the call (empty when there is no budget). */
  readonly reserved: Readonly<BudgetCharge>;
  /**
   * Settles the reservation with the real usage: refunds what was not used, or charges an overrun up to
   * what the budget has left (so the budget then reads as exhausted). Only the first settle or release counts.
   */
  settle(usage: ModelUsage): void;
  /** Refunds the whole reservation (the call failed before any usage was known). */
  release(): void;
}

/** What a model call is expected to use at most. */
export interface ModelBudgetEstimate {
  /** Estimated input tokens (see {@link estimateInputTokens}). */
  inputTokens: number;
  /** The most output tokens the call may produce. */
  maxOutputTokens: number;
  /** The model's price, to reserve dollars too; without it only tokens are reserved. */
  price?: ModelPrice;
}

function settleOne(budget: Budget, key: 'modelTokens' | 'costUsd', reserved: number, actual: number): void {
  if (actual <= reserved) {
    if (reserved > actual) budget.refund({ [key]: reserved - actual });
    return;
  }
  const overrun = actual - reserved;
  const charge = budget.canCharge({ [key]: overrun }) ? overrun : budget.remaining()[key];
  if (charge > 0) budget.charge({ [key]: charge });
}

/**
 * Reserves a model call's worst case on `budget` before it runs: `maxOutputTokens` plus the estimated
 * input tokens, and their cost when the price is known. Throws the budget's `BudgetExceededError` when
 * that does not fit, so nothing is sent. Without a budget it reserves nothing.
 *
 * @param budget - the budget to charge, if any
 * @param estimate - the expected input, the output ceiling and the price
 */
export function reserveModelBudget(
  budget: Budget | undefined,
  estimate: ModelBudgetEstimate,
): ModelBudgetReservation {
  if (!budget) return { reserved: {}, settle() {}, release() {} };
  const modelTokens = estimate.inputTokens + estimate.maxOutputTokens;
  const reserved: BudgetCharge = { modelTokens };
  if (estimate.price) {
    reserved.costUsd = costOf(
      { inputTokens: estimate.inputTokens, outputTokens: estimate.maxOutputTokens },
      estimate.price,
    );
  }
  budget.charge(reserved);
  let open = true;
  return {
    reserved,
    settle(usage) {
      if (!open) return;
      open = false;
      settleOne(budget, 'modelTokens', modelTokens, usage.inputTokens + usage.outputTokens);
      if (reserved.costUsd !== undefined) settleOne(budget, 'costUsd', reserved.costUsd, usage.costUsd ?? 0);
    },
    release() {
      if (!open) return;
      open = false;
      budget.refund(reserved);
    },
  };
}

/**
 * Runs one model call under a budget reservation: reserves `estimate` (see {@link reserveModelBudget}),
 * runs the call, then settles with the usage it reports, or releases the whole reservation when it fails.
 *
 * @param budget - the budget to charge, if any
 * @param estimate - the expected input, the output ceiling and the price
 * @param run - the call
 * @param usageOf - reads the usage of the call's reply
 */
export async function runWithModelBudget<Reply>(
  budget: Budget | undefined,
  estimate: ModelBudgetEstimate,
  run: () => Promise<Reply>,
  usageOf: (reply: Reply) => ModelUsage,
): Promise<Reply> {
  const reservation = reserveModelBudget(budget, estimate);
  let reply: Reply;
  try {
    reply = await run();
  } catch (error) {
    reservation.release();
    throw error;
  }
  reservation.settle(usageOf(reply));
  return reply;
}
