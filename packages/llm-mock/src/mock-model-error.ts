import { ModelError } from '@aisre/core';

/** Why a {@link MockModelError} was thrown. */
export type MockModelErrorReason = 'exhausted' | 'replay-mismatch' | 'unused-replies';

const marker = 'aisre.error.mock-model';

/**
 * The mock model could not answer as scripted: no reply was left (`exhausted`), a replayed run diverged
 * from its recording (`replay-mismatch`), or replies were left unused (`unused-replies`). A
 * `ModelError` that is not retryable.
 */
export class MockModelError extends ModelError {
  /** What went wrong. */
  readonly reason: MockModelErrorReason;
  /** The index of the call concerned, when one is. */
  readonly callIndex: number | undefined;

  /**
   * @param reason - what went wrong
   * @param message - what failed and what to do
   * @param callIndex - the index of the call concerned
   */
  constructor(reason: MockModelErrorReason, message: string, callIndex?: number) {
    super(message, { isRetryable: false });
    this.name = 'MockModelError';
    this.reason = reason;
    this.callIndex = callIndex;
    Object.defineProperty(this, Symbol.for(marker), { value: true, enumerable: false });
  }

  /** True when `value` is a {@link MockModelError} from any copy of this module. */
  static override isInstance(value: unknown): value is MockModelError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[Symbol.for(marker)] === true
    );
  }
}
