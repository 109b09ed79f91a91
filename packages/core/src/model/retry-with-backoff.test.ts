import { describe, expect, it } from 'vitest';
import { CancelledError, ModelError } from '../errors/aisre-error';
import {
  type AttemptOutcome,
  backoffDelayMs,
  defaultRetryPolicy,
  parseRetryAfter,
  retryWithBackoff,
  timerSleep,
} from './retry-with-backoff';

const policy = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (milliseconds: number) => void waits.push(milliseconds) };
}

function failure(retryable: boolean, retryAfterMs?: number): AttemptOutcome<string> {
  return {
    ok: false,
    error: new ModelError('llm-test: failed', { isRetryable: retryable }),
    retryable,
    retryAfterMs,
  };
}

describe('backoffDelayMs', () => {
  it('doubles the ceiling per retry, caps it, and scales it by the jitter', () => {
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(50);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(400);
    expect(backoffDelayMs(10, policy, () => 0.5)).toBe(500);
    expect(backoffDelayMs(1, policy, () => 0)).toBe(0);
  });

  it('waits exactly what Retry-After asked', () => {
    expect(backoffDelayMs(1, policy, () => 0.5, 2000)).toBe(2000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-02T03:00:00Z');
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 03:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 02:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable failures with backoff, then returns the value', async () => {
    const { waits, sleep } = recordingSleep();
    const outcomes = [failure(true), failure(true, 1500), { ok: true as const, value: 'done' }];
    const attempts: number[] = [];
    const value = await retryWithBackoff(
      async (attempt) => {
        attempts.push(attempt);
        return outcomes[attempt] ?? failure(false);
      },
      policy,
      { sleep, random: () => 0.5, module: 'llm-test' },
    );
    expect(value).toBe('done');
    expect(attempts).toEqual([0, 1, 2]);
    expect(waits).toEqual([50, 1500]);
  });

  it('throws at once on a failure that is not retryable', async () => {
    const { waits, sleep } = recordingSleep();
    await expect(
      retryWithBackoff(async () => failure(false), policy, { sleep, random: () => 0, module: 'llm-test' }),
    ).rejects.toThrow('llm-test: failed');
    expect(waits).toEqual([]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          return failure(true);
        },
        { ...policy, maxRetries: 2 },
        { sleep, random: () => 1, module: 'llm-test' },
      ),
    ).rejects.toBeInstanceOf(ModelError);
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    const { waits, sleep } = recordingSleep();
    await expect(
      retryWithBackoff(async () => failure(true, 60_000), policy, {
        sleep,
        random: () => 0,
        module: 'llm-test',
      }),
    ).rejects.toBeInstanceOf(ModelError);
    expect(waits).toEqual([]);
  });

  it('stops with a CancelledError when the signal aborts while waiting', async () => {
    const controller = new AbortController();
    const notices: number[] = [];
    const promise = retryWithBackoff(async () => failure(true), defaultRetryPolicy, {
      sleep: timerSleep,
      random: () => 1,
      module: 'llm-test',
      signal: controller.signal,
      onRetry: (notice) => notices.push(notice.retryNumber),
    });
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(notices).toEqual([1]);
  });
});
