import { describe, expect, it } from 'vitest';
import { costOf, defaultPriceTable, findModelPrice } from './model-prices';

describe('findModelPrice', () => {
  it('finds exact names, dated variants (longest entry first) and provider-prefixed names', () => {
    expect(findModelPrice('gpt-4o')).toEqual({
      inputUsdPerMillionTokens: 2.5,
      outputUsdPerMillionTokens: 10,
    });
    expect(findModelPrice('gpt-4o-mini-2024-07-18')).toEqual(defaultPriceTable['gpt-4o-mini']);
    expect(findModelPrice('claude-sonnet-4-5-20250929')).toEqual(defaultPriceTable['claude-sonnet-4-5']);
    expect(findModelPrice('openai/gpt-4.1-mini')).toEqual(defaultPriceTable['gpt-4.1-mini']);
  });

  it('knows nothing of unlisted models, and uses the table it is given', () => {
    expect(findModelPrice('llama3.1:8b')).toBeUndefined();
    expect(findModelPrice('gpt-4-turbo')).toBeUndefined();
    const table = { 'llama3.1:8b': { inputUsdPerMillionTokens: 0, outputUsdPerMillionTokens: 0 } };
    expect(findModelPrice('llama3.1:8b', table)).toEqual(table['llama3.1:8b']);
  });
});

describe('costOf', () => {
  it('prices input and output tokens per million', () => {
    const price = { inputUsdPerMillionTokens: 3, outputUsdPerMillionTokens: 15 };
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 0 }, price)).toBe(3);
    expect(costOf({ inputTokens: 1000, outputTokens: 500 }, price)).toBe(0.0105);
    expect(costOf({ inputTokens: 0, outputTokens: 0 }, price)).toBe(0);
  });
});
