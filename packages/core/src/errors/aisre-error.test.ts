import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AisreError,
  BudgetExceededError,
  CancelledError,
  ConnectorError,
  InvalidInputError,
  ModelError,
  PolicyDeniedError,
} from './aisre-error';
import { parseWith } from './zod-issues';

describe('error family', () => {
  it('gives every subclass its code and the root marker', () => {
    const errors = [
      [new ConnectorError('redis', 'connector-redis: down', { isRetryable: true }), 'connector'],
      [new ModelError('llm-openai: 429', { isRetryable: true, status: 429 }), 'model'],
      [new BudgetExceededError('toolCalls', 'core: budget'), 'budget-exceeded'],
      [new PolicyDeniedError('production', 'core: policy', { rule: 'r1' }), 'policy-denied'],
      [new InvalidInputError('core: bad', { issues: [{ path: ['a'], message: 'm' }] }), 'invalid-input'],
      [new CancelledError('core: cancelled'), 'cancelled'],
      [new CancelledError('core: timed out', { timeout: true }), 'timeout'],
    ] as const;
    for (const [error, code] of errors) {
      expect(error.code).toBe(code);
      expect(AisreError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error.toJSON()).toMatchObject({ code, message: error.message });
    }
    expect(ConnectorError.isInstance(errors[1][0])).toBe(false);
    expect(ModelError.isInstance(errors[1][0])).toBe(true);
    expect(AisreError.isInstance(new Error('plain'))).toBe(false);
    expect(AisreError.isInstance(null)).toBe(false);
    expect(AisreError.isInstance('connector')).toBe(false);
  });

  it('recognises errors from another copy of the module', async () => {
    vi.resetModules();
    const copy = await import('./aisre-error');
    expect(copy.ConnectorError).not.toBe(ConnectorError);
    const foreign = new copy.ConnectorError('redis', 'connector-redis: down');
    expect(foreign instanceof ConnectorError).toBe(false);
    expect(ConnectorError.isInstance(foreign)).toBe(true);
    expect(AisreError.isInstance(foreign)).toBe(true);
    expect(ModelError.isInstance(foreign)).toBe(false);
    expect(copy.AisreError.isInstance(new PolicyDeniedError('prod', 'x'))).toBe(true);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new ConnectorError('x', 'connector-x: failed', { cause }).cause).toBe(cause);
  });

  it('parseWith names every offending field', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.number()) }), c: z.string() });
    try {
      parseWith(schema, { a: { b: [1, 'two'] }, c: 3 }, 'test: thing');
      expect.unreachable();
    } catch (error) {
      expect(InvalidInputError.isInstance(error)).toBe(true);
      const invalid = error as InvalidInputError;
      expect(invalid.message).toMatch(/^test: thing is invalid: /);
      expect(invalid.message).toContain('a.b[1]');
      expect(invalid.issues.map((issue) => issue.path)).toEqual([['a', 'b', 1], ['c']]);
    }
  });
});
