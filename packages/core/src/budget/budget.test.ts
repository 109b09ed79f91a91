import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, InvalidInputError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { createBudget } from './budget';
import { budgetForSeverity, defaultBudgetsBySeverity } from './severity-budgets';

describe('budget', () => {
  it('charges before work and refuses what would cross a limit', () => {
    const clock = createManualClock(0);
    const budget = createBudget({ wallTimeMs: 1000, toolCalls: 2, modelTokens: 100, costUsd: 1 }, clock);
    budget.charge({ toolCalls: 1 });
    budget.charge({ toolCalls: 1 });
    expect(() => budget.charge({ toolCalls: 1 })).toThrow(BudgetExceededError);
    expect(budget.exhausted()).toBe('toolCalls');
    expect(budget.canCharge({ modelTokens: 100 })).toBe(true);
    budget.charge({ modelTokens: 80 });
    budget.refund({ modelTokens: 30 });
    expect(budget.used().modelTokens).toBe(50);
    clock.advance(1000);
    expect(budget.canCharge({})).toBe(false);
    expect(budget.remaining().wallTimeMs).toBe(0);
  });

  it('names the limit it refused', () => {
    const budget = createBudget(
      { wallTimeMs: 10, toolCalls: 5, modelTokens: 0, costUsd: 0.5 },
      createManualClock(0),
    );
    try {
      budget.charge({ costUsd: 0.6 });
      expect.unreachable();
    } catch (error) {
      expect(BudgetExceededError.isInstance(error) && error.limit).toBe('costUsd');
    }
  });

  it('rejects invalid limits', () => {
    expect(() =>
      createBudget({ wallTimeMs: -1, toolCalls: 1, modelTokens: 1, costUsd: 1 }, createManualClock(0)),
    ).toThrow(InvalidInputError);
  });

  it('never lets usage exceed a limit, whatever the charges', () => {
    const charge = fc.record({
      toolCalls: fc.integer({ min: 0, max: 5 }),
      modelTokens: fc.integer({ min: 0, max: 500 }),
      costUsd: fc.double({ min: 0, max: 0.3, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(charge, { maxLength: 60 }), (charges) => {
        const budget = createBudget(
          { wallTimeMs: 1000, toolCalls: 20, modelTokens: 2000, costUsd: 1 },
          createManualClock(0),
        );
        for (const next of charges) {
          try {
            budget.charge(next);
          } catch (error) {
            expect(BudgetExceededError.isInstance(error)).toBe(true);
          }
          const used = budget.used();
          expect(used.toolCalls).toBeLessThanOrEqual(20);
          expect(used.modelTokens).toBeLessThanOrEqual(2000);
          expect(used.costUsd).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
    );
  });

  it('gives a P1 more than a P4 and applies overrides', () => {
    const p1 = defaultBudgetsBySeverity.P1;
    const p4 = defaultBudgetsBySeverity.P4;
    for (const key of ['wallTimeMs', 'toolCalls', 'modelTokens', 'costUsd'] as const)
      expect(p1[key]).toBeGreaterThan(p4[key]);
    expect(budgetForSeverity('P3', { toolCalls: 7 })).toEqual({
      ...defaultBudgetsBySeverity.P3,
      toolCalls: 7,
    });
  });
});
