import { describe, expect, it } from 'vitest';
import { addUsage, usageWithCost } from './model-usage';

describe('model usage', () => {
  it('adds the cost when the price is known', () => {
    const price = { inputUsdPerMillionTokens: 2, outputUsdPerMillionTokens: 8 };
    expect(usageWithCost(1000, 100, price)).toEqual({
      inputTokens: 1000,
      outputTokens: 100,
      costUsd: 0.0028,
    });
    expect(usageWithCost(1000, 100, undefined)).toEqual({ inputTokens: 1000, outputTokens: 100 });
  });

  it('sums usages, and their cost only when both are known', () => {
    expect(
      addUsage(
        { inputTokens: 1, outputTokens: 2, costUsd: 0.1 },
        { inputTokens: 3, outputTokens: 4, costUsd: 0.2 },
      ),
    ).toEqual({ inputTokens: 4, outputTokens: 6, costUsd: 0.3 });
    expect(
      addUsage({ inputTokens: 1, outputTokens: 2, costUsd: 0.1 }, { inputTokens: 3, outputTokens: 4 }),
    ).toEqual({
      inputTokens: 4,
      outputTokens: 6,
    });
  });
});
