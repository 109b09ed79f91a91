import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBudget } from '../budget/budget';
import { BudgetExceededError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { estimateInputTokens, estimateTokens, reserveModelBudget, runWithModelBudget } from './model-budget';

const limits = { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 10_000, costUsd: 1 };
const price = { inputUsdPerMillionTokens: 1000, outputUsdPerMillionTokens: 2000 };

describe('estimateInputTokens', () => {
  it('counts a token per four characters of prompt, messages, tools and schema', () => {
    expect(estimateTokens('abcdefgh')).toBe(2);
    const plain = estimateInputTokens({
      system: 'x'.repeat(40),
      messages: [{ role: 'user', content: 'y'.repeat(40) }],
    });
    expect(plain).toBe(10 + 4 + 10);
    const richer = estimateInputTokens({
      system: 'x'.repeat(40),
      messages: [{ role: 'user', content: 'y'.repeat(40) }],
      tools: [{ name: 'logs', description: 'search logs', inputSchema: { type: 'object' } }],
      schema: { name: 'verdict', schema: z.object({ rootCause: z.string() }) },
    });
    expect(richer).toBeGreaterThan(plain);
  });
});

describe('reserveModelBudget', () => {
  it('reserves the worst case, then refunds what was not used', () => {
    const budget = createBudget(limits, createManualClock(0));
    const reservation = reserveModelBudget(budget, { inputTokens: 100, maxOutputTokens: 400, price });
    expect(reservation.reserved).toEqual({ modelTokens: 500, costUsd: 0.9 });
    expect(budget.used().modelTokens).toBe(500);
    reservation.settle({ inputTokens: 120, outputTokens: 30, costUsd: 0.18 });
    expect(budget.used().modelTokens).toBe(150);
    expect(budget.used().costUsd).toBeCloseTo(0.18);
    reservation.settle({ inputTokens: 0, outputTokens: 0 });
    expect(budget.used().modelTokens).toBe(150);
  });

  it('charges an overrun up to what is left', () => {
    const budget = createBudget({ ...limits, modelTokens: 600 }, createManualClock(0));
    const reservation = reserveModelBudget(budget, { inputTokens: 100, maxOutputTokens: 400 });
    reservation.settle({ inputTokens: 300, outputTokens: 400 });
    expect(budget.used().modelTokens).toBe(600);
    expect(budget.exhausted()).toBe('modelTokens');
  });

  it('refunds everything on release, and refuses what does not fit', () => {
    const budget = createBudget(limits, createManualClock(0));
    reserveModelBudget(budget, { inputTokens: 100, maxOutputTokens: 400, price }).release();
    expect(budget.used()).toMatchObject({ modelTokens: 0, costUsd: 0 });
    expect(() => reserveModelBudget(budget, { inputTokens: 9000, maxOutputTokens: 2000 })).toThrow(
      BudgetExceededError,
    );
  });

  it('does nothing without a budget', () => {
    const reservation = reserveModelBudget(undefined, { inputTokens: 1, maxOutputTokens: 1 });
    expect(reservation.reserved).toEqual({});
    reservation.settle({ inputTokens: 5, outputTokens: 5 });
  });
});

describe('runWithModelBudget', () => {
  it('settles with the usage of the reply, and releases everything when the call fails', async () => {
    const budget = createBudget(limits, createManualClock(0));
    const estimate = { inputTokens: 100, maxOutputTokens: 400 };
    const reply = await runWithModelBudget(
      budget,
      estimate,
      async () => ({ usage: { inputTokens: 90, outputTokens: 10 } }),
      (answer) => answer.usage,
    );
    expect(reply.usage.inputTokens).toBe(90);
    expect(budget.used().modelTokens).toBe(100);
    await expect(
      runWithModelBudget(
        budget,
        estimate,
        async () => {
          throw new Error('down');
        },
        () => ({ inputTokens: 0, outputTokens: 0 }),
      ),
    ).rejects.toThrow('down');
    expect(budget.used().modelTokens).toBe(100);
  });
});
