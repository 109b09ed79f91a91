import type { ModelUsage } from '../contracts/language-model';
import { costOf, type ModelPrice } from './model-prices';

/**
 * A {@link ModelUsage} with its cost, when the price is known.
 *
 * @param inputTokens - input (prompt) tokens
 * @param outputTokens - output (completion) tokens
 * @param price - the model's price, if known
 */
export function usageWithCost(
  inputTokens: number,
  outputTokens: number,
  price: ModelPrice | undefined,
): ModelUsage {
  const usage: ModelUsage = { inputTokens, outputTokens };
  if (price) usage.costUsd = costOf(usage, price);
  return usage;
}

/**
 * The sum of two usages (e.g. a reply and its repair). The cost is summed when both are known.
 *
 * @param first - one usage
 * @param second - the other
 */
export function addUsage(first: ModelUsage, second: ModelUsage): ModelUsage {
  const usage: ModelUsage = {
    inputTokens: first.inputTokens + second.inputTokens,
    outputTokens: first.outputTokens + second.outputTokens,
  };
  if (first.costUsd !== undefined && second.costUsd !== undefined) {
    usage.costUsd = Math.round((first.costUsd + second.costUsd) * 1e10) / 1e10;
  }
  return usage;
}
