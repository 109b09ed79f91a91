import type { Budget, BudgetCharge } from '../contracts/budget';
import type { Clock, JsonValue } from '../contracts/common';
import type { Step, StepError } from '../contracts/step';
import { AisreError, BudgetExceededError, CancelledError } from '../errors/aisre-error';
import type { InvestigationEmitter } from '../events/investigation-events';
import { digestOf, toJsonValue } from './canonical-json';

/** One call to make through the gateway. */
export interface GatewayCall {
  /** What is called (`metrics.range`, `logs.search`, `tool:redis_info`). */
  tool: string;
  /** The connector (or model) that serves it. */
  provider: string;
  /** The input, as sent. */
  input: JsonValue;
  /** The hypothesis it serves, if any. */
  hypothesis?: string;
  /** The call's result is already plain JSON data (validated by a zod schema), so it needs no copy. */
  plain?: boolean;
  /** Makes the call; must honour the signal. */
  run(signal: AbortSignal): Promise<unknown>;
}

/** The outcome of a gateway call. */
export type GatewayOutcome =
  | { kind: 'ok'; step: number; output: JsonValue }
  | { kind: 'failed'; step: number; error: StepError }
  | { kind: 'refused'; reason: string };

/** Recorded steps to answer from instead of calling connectors (offline replay). */
export interface RecordedSteps {
  /** The steps of the recorded run, with their outputs. */
  steps: readonly Step[];
}

/** Options of {@link CallGateway}. */
export interface CallGatewayOptions {
  /** The investigation id (for events). */
  id: string;
  /** The budget every call is charged to before it starts. */
  budget: Budget;
  /** The clock steps are timed on. */
  clock: Clock;
  /** When the investigation started (epoch ms, on `clock`). */
  startedAt: number;
  /** Where to emit `check:started` / `check:ended`. */
  events: InvestigationEmitter;
  /** Cancels every call. */
  signal: AbortSignal;
  /** Per-call timeout, milliseconds. */
  timeoutMs: number;
  /** Keep outputs in steps (for replay). */
  keepOutputs: boolean;
  /** Answer from these recorded steps instead of calling out. */
  replay?: RecordedSteps;
}

/**
 * The one door every tool, capability and model call goes through: it charges the budget before the call
 * starts (refusing what would exceed it), numbers the step, times it, digests the output and records errors
 * as data. In replay mode it answers from a recorded run's steps, in the same order.
 */
export class CallGateway {
  readonly #options: CallGatewayOptions;
  readonly #steps: Step[] = [];
  /** The deadlines of the calls in flight: cancelling the investigation aborts them, in the order they started. */
  readonly #inFlight = new Set<CallDeadline>();
  #nextId = 1;

  /** @param options - budget, clock, events, cancellation, timeout, replay */
  constructor(options: CallGatewayOptions) {
    this.#options = options;
    const { signal } = options;
    signal.addEventListener(
      'abort',
      () => {
        for (const deadline of [...this.#inFlight]) deadline.abort(signal.reason);
      },
      { once: true },
    );
  }

  /**
   * Charges the budget for one call (by default one tool call; model calls reserve tokens) and reserves its
   * step number. Returns `undefined` when the budget refuses (nothing will run). Call in a deterministic
   * order: step numbers follow it.
   */
  reserve(charge: BudgetCharge = { toolCalls: 1 }): number | undefined {
    try {
      this.#options.budget.charge(charge);
    } catch (error) {
      if (BudgetExceededError.isInstance(error)) return undefined;
      throw error;
    }
    return this.#nextId++;
  }

  /** Runs a call whose step number was reserved with {@link CallGateway.reserve}. Never rejects. */
  async run(stepId: number, call: GatewayCall): Promise<GatewayOutcome> {
    const { clock, startedAt, events, id } = this.#options;
    const started = clock.now();
    events.emit('check:started', {
      id,
      step: stepId,
      tool: call.tool,
      ...(call.hypothesis ? { hypothesis: call.hypothesis } : {}),
    });
    let output: JsonValue | undefined;
    let error: StepError | undefined;
    if (this.#options.replay) {
      const recorded = this.#recorded(stepId);
      if (!recorded || recorded.tool !== call.tool || digestOf(recorded.input) !== digestOf(call.input)) {
        error = {
          code: 'internal',
          message: `core: replay diverged at step ${stepId}: the recorded run made a different call`,
        };
      } else if (recorded.error) error = recorded.error;
      else output = recorded.output ?? null;
    } else if (this.#options.signal.aborted) {
      error = { code: 'cancelled', message: `core: ${call.tool} not run: the investigation was cancelled` };
    } else {
      const deadline = new CallDeadline(this.#options.timeoutMs);
      this.#inFlight.add(deadline);
      try {
        const value = await deadline.race(call.run(deadline.signal), call.tool);
        output = call.plain ? (value as JsonValue) : toJsonValue(value);
      } catch (caught) {
        error = toStepError(caught, call, deadline.timedOut);
      } finally {
        deadline.dispose();
        this.#inFlight.delete(deadline);
      }
    }
    const recorded = this.#options.replay ? this.#recorded(stepId) : undefined;
    const step: Step = {
      id: stepId,
      tool: call.tool,
      provider: call.provider,
      input: call.input,
      startedMs: recorded?.startedMs ?? Math.max(0, started - startedAt),
      durationMs: recorded?.durationMs ?? Math.max(0, clock.now() - started),
      outputDigest: digestOf(output ?? null, { ordered: call.plain === true }),
      ...(this.#options.keepOutputs && output !== undefined ? { output } : {}),
      ...(error ? { error } : {}),
      ...(call.hypothesis ? { hypothesis: call.hypothesis } : {}),
    };
    this.#steps.push(step);
    events.emit('check:ended', { id, step });
    return error
      ? { kind: 'failed', step: stepId, error }
      : { kind: 'ok', step: stepId, output: output ?? null };
  }

  /** The recorded step with this number (the first, as a search would find), indexed on first use. */
  #recorded(stepId: number): Step | undefined {
    if (!this.#recordedById) {
      this.#recordedById = new Map();
      for (const step of this.#options.replay?.steps ?? [])
        if (!this.#recordedById.has(step.id)) this.#recordedById.set(step.id, step);
    }
    return this.#recordedById.get(stepId);
  }

  #recordedById: Map<number, Step> | undefined;

  /** Reserves and runs in one go (for calls made outside rounds). */
  async call(call: GatewayCall): Promise<GatewayOutcome> {
    const stepId = this.reserve();
    if (stepId === undefined) return { kind: 'refused', reason: `budget refused ${call.tool}` };
    return this.run(stepId, call);
  }

  /** Every step so far, in step order. */
  steps(): Step[] {
    return [...this.#steps].sort((a, b) => a.id - b.id);
  }
}

/**
 * The signal of one call: aborted when the investigation is cancelled (with its reason, by the gateway) or
 * when the call's timeout passes (with a `TimeoutError`, as `AbortSignal.timeout` does); either way the
 * call's race rejects at once, whether or not the connector honours its signal. One controller and one timer
 * per call, the timer released by {@link CallDeadline.dispose} when the call ends.
 */
class CallDeadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  #timedOut = false;
  #rejectRace: (() => void) | undefined;

  constructor(timeoutMs: number) {
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, timeoutMs);
    // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** The call's signal. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the timeout (not a cancellation) aborted the call. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Aborts the call's signal and rejects its race. */
  abort(reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    this.#rejectRace?.();
  }

  /** Settles with the call, or rejects with a {@link CancelledError} as soon as the call is aborted. */
  race<T>(promise: Promise<T>, what: string): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(new CancelledError(`core: ${what}: cancelled`));
    return new Promise<T>((resolve, reject) => {
      this.#rejectRace = () => reject(new CancelledError(`core: ${what}: aborted`, { cause: signal.reason }));
      promise.then(resolve, reject);
    });
  }

  /** Releases the timer. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

function toStepError(caught: unknown, call: GatewayCall, timedOut: boolean): StepError {
  if (timedOut) return { code: 'timeout', message: `core: ${call.tool} on ${call.provider} timed out` };
  if (AisreError.isInstance(caught)) return { code: caught.code, message: caught.message };
  const message = caught instanceof Error ? caught.message : String(caught);
  return { code: 'internal', message: `core: ${call.tool} on ${call.provider} failed: ${message}` };
}
