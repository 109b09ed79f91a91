import { CancelledError } from '../errors/aisre-error';

/**
 * Waits `milliseconds`, or rejects early when `signal` aborts. Injected so tests never wait in real time.
 */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

/** A random source returning a number in `[0, 1)`. Injected so jitter is deterministic in tests. */
export type RandomSource = () => number;

/** How many times, and how patiently, a failed call is tried again. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  /** The backoff ceiling of the first retry, milliseconds; it doubles on each further retry. */
  initialDelayMs: number;
  /** The most a computed backoff may be, milliseconds. */
  maxDelayMs: number;
  /**
   * The longest `Retry-After` that is honoured, milliseconds. When a server asks to wait longer, the call
   * fails at once (with a retryable error) instead of blocking.
   */
  maxRetryAfterMs: number;
}

/** The default {@link RetryPolicy}: 2 retries, backoff from 500 ms up to 8 s, `Retry-After` up to 60 s. */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/** The outcome of one attempt, as {@link retryWithBackoff} needs it. */
export type AttemptOutcome<Value> =
  | {
      /** The attempt succeeded. */
      ok: true;
      /** Its value. */
      value: Value;
    }
  | {
      /** The attempt failed. */
      ok: false;
      /** Why; thrown as is when no retry is left or allowed. */
      error: Error;
      /** True when trying again may succeed (429, 5xx, network errors). */
      retryable: boolean;
      /** How long the server asked to wait (its `Retry-After`), milliseconds. */
      retryAfterMs?: number;
    };

/** What a retry loop needs besides its policy. */
export interface RetryEnvironment {
  /** Waits between attempts. */
  sleep: Sleep;
  /** Jitter source. */
  random: RandomSource;
  /** Stops the loop (also while it waits) with a {@link CancelledError}. */
  signal?: AbortSignal;
  /** The module name used in messages, e.g. `llm-openai`. */
  module: string;
  /** Told before each wait, e.g. to log it. */
  onRetry?: (retry: RetryNotice) => void;
}

/** What {@link RetryEnvironment.onRetry} is told. */
export interface RetryNotice {
  /** 1 for the first retry. */
  retryNumber: number;
  /** How long it waits before retrying, milliseconds. */
  delayMs: number;
  /** The failure that is being retried. */
  error: Error;
}

/**
 * The wait before retry `retryNumber` (1-based): "full jitter" exponential backoff, a random time up to
 * `min(maxDelayMs, initialDelayMs * 2^(retryNumber - 1))`, or exactly `retryAfterMs` when the server
 * asked for a wait.
 *
 * @param retryNumber - 1 for the first retry
 * @param policy - the backoff settings
 * @param random - the jitter source
 * @param retryAfterMs - the server's `Retry-After`, milliseconds, when it sent one
 */
export function backoffDelayMs(
  retryNumber: number,
  policy: RetryPolicy,
  random: RandomSource,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(ceiling * random());
}

/**
 * Reads how long a server asked to wait: `retry-after-ms` (milliseconds, sent by some OpenAI-compatible
 * servers), else `retry-after` as seconds or as an HTTP date. Undefined when absent or unreadable.
 *
 * @param headers - the response headers
 * @param nowMs - the current time, epoch milliseconds (to turn an HTTP date into a wait)
 */
export function parseRetryAfter(headers: Headers, nowMs: number): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Number(milliseconds);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * A {@link Sleep} on real timers that rejects with a {@link CancelledError} when the signal aborts.
 * The default of every adapter; tests inject their own.
 */
export const timerSleep: Sleep = (milliseconds, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError('core: sleep: cancelled', { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError('core: sleep: cancelled', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function cancelled(environment: RetryEnvironment): CancelledError {
  return new CancelledError(`${environment.module}: cancelled`, {
    cause: environment.signal?.reason,
  });
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries of `policy` are used up, waiting
 * {@link backoffDelayMs} between attempts. A `Retry-After` longer than `policy.maxRetryAfterMs` ends the
 * loop at once. Throws the last attempt's error, or a {@link CancelledError} when the signal aborts.
 *
 * @param attempt - one try; receives its 0-based attempt number
 * @param policy - how many retries and how long to wait
 * @param environment - sleep, jitter, signal and module name
 */
export async function retryWithBackoff<Value>(
  attempt: (attemptNumber: number) => Promise<AttemptOutcome<Value>>,
  policy: RetryPolicy,
  environment: RetryEnvironment,
): Promise<Value> {
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    if (environment.signal?.aborted) throw cancelled(environment);
    const outcome = await attempt(attemptNumber);
    if (outcome.ok) return outcome.value;
    const retryNumber = attemptNumber + 1;
    if (!outcome.retryable || retryNumber > policy.maxRetries) throw outcome.error;
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > policy.maxRetryAfterMs)
      throw outcome.error;
    const delayMs = backoffDelayMs(retryNumber, policy, environment.random, outcome.retryAfterMs);
    environment.onRetry?.({ retryNumber, delayMs, error: outcome.error });
    try {
      await environment.sleep(delayMs, environment.signal);
    } catch (error) {
      if (environment.signal?.aborted) throw cancelled(environment);
      throw error;
    }
  }
}
