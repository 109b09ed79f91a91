import type { Clock, Logger } from '../contracts/common';
import type { CallContext } from '../contracts/tool';
import { CancelledError } from '../errors/aisre-error';

/** A logger that drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** The wall clock. The one place the SDK reads real time; hosts and tests inject their own. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told to: for tests and deterministic replays. */
export interface ManualClock extends Clock {
  /** Sets the time, epoch milliseconds. */
  set(epochMs: number): void;
  /** Moves the time forward. */
  advance(milliseconds: number): void;
}

/**
 * Creates a {@link ManualClock}.
 *
 * @param startMs - the initial time, epoch milliseconds
 */
export function createManualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    set(epochMs) {
      current = epochMs;
    },
    advance(milliseconds) {
      current += milliseconds;
    },
  };
}

/**
 * Builds a {@link CallContext} with defaults: a signal that never aborts, a silent logger, the system clock.
 *
 * @param overrides - the parts to set
 */
export function createCallContext(overrides: Partial<CallContext> = {}): CallContext {
  return {
    signal: overrides.signal ?? new AbortController().signal,
    logger: overrides.logger ?? silentLogger,
    clock: overrides.clock ?? systemClock,
  };
}

/**
 * Throws a {@link CancelledError} when `signal` is aborted. Connectors call it before and between
 * pieces of work.
 *
 * @param signal - the call's signal
 * @param what - the module and operation, e.g. `connector-redis: INFO`
 */
export function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timeout = reason instanceof Error && reason.name === 'TimeoutError';
    throw new CancelledError(`${what}: ${timeout ? 'timed out' : 'cancelled'}`, { cause: reason, timeout });
  }
}
