import type { ModelUsage } from '../contracts/language-model';

/** The price of a model, US dollars per million tokens. */
export interface ModelPrice {
  /** Dollars per million input (prompt) tokens. */
  inputUsdPerMillionTokens: number;
  /** Dollars per million output (completion) tokens. */
  outputUsdPerMillionTokens: number;
}

/** Prices by model name. A key also prices dated variants: `gpt-4o` prices `gpt-4o-2024-08-06`. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

function price(input: number, output: number): ModelPrice {
  return Object.freeze({ inputUsdPerMillionTokens: input, outputUsdPerMillionTokens: output });
}

/**
 * List prices of common OpenAI and Anthropic models (standard tier, no caching or batch discounts) as
 * published in 2025. Prices change: pass your own table to the adapters (`prices`) to override or extend
 * it, e.g. with `0` for a local model.
 */
export const defaultPriceTable: PriceTable = Object.freeze({
  'gpt-5': price(1.25, 10),
  'gpt-5-mini': price(0.25, 2),
  'gpt-5-nano': price(0.05, 0.4),
  'gpt-4.1': price(2, 8),
  'gpt-4.1-mini': price(0.4, 1.6),
  'gpt-4.1-nano': price(0.1, 0.4),
  'gpt-4o': price(2.5, 10),
  'gpt-4o-mini': price(0.15, 0.6),
  o3: price(2, 8),
  'o3-mini': price(1.1, 4.4),
  'o4-mini': price(1.1, 4.4),
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  'claude-opus-4': price(15, 75),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-3-5-sonnet': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
  'claude-3-haiku': price(0.25, 1.25),
});

function lookup(model: string, table: PriceTable): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * The price of `model`: the exact entry, else the longest entry the name extends with a `-suffix`
 * (a date or a version), also trying the part after a `provider/` prefix. Undefined when unknown.
 *
 * @param model - the model name, e.g. `gpt-4o-mini-2024-07-18`
 * @param table - the prices to search
 */
export function findModelPrice(model: string, table: PriceTable = defaultPriceTable): ModelPrice | undefined {
  const found = lookup(model, table);
  if (found) return found;
  const slash = model.lastIndexOf('/');
  return slash === -1 ? undefined : lookup(model.slice(slash + 1), table);
}

/**
 * The cost in US dollars of `usage` at `price` (rounded to 1e-10 dollars).
 *
 * @param usage - input and output tokens
 * @param price - dollars per million tokens
 */
export function costOf(usage: Pick<ModelUsage, 'inputTokens' | 'outputTokens'>, price: ModelPrice): number {
  const dollars =
    (usage.inputTokens * price.inputUsdPerMillionTokens +
      usage.outputTokens * price.outputUsdPerMillionTokens) /
    1_000_000;
  return Math.round(dollars * 1e10) / 1e10;
}
