import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBudget } from '../budget/budget';
import { createInvestigationEmitter } from '../events/investigation-events';
import { createManualClock } from '../runtime/call-context';
import { CallGateway, type GatewayCall } from './call-gateway';

function gateway(signal: AbortSignal, timeoutMs = 1_000, toolCalls = 10) {
  const clock = createManualClock(0);
  return new CallGateway({
    id: 'inv-test',
    budget: createBudget({ wallTimeMs: 60_000, toolCalls, modelTokens: 0, costUsd: 0 }, clock),
    clock,
    startedAt: 0,
    events: createInvestigationEmitter(),
    signal,
    timeoutMs,
    keepOutputs: true,
  });
}

/** A call that never answers on its own: it settles only when its signal aborts, with the signal's reason. */
function hangingCall(seen: { reason?: unknown }): GatewayCall {
  return {
    tool: 'metrics.range',
    provider: 'test',
    input: { metric: 'm' },
    run: (signal) =>
      new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          seen.reason = signal.reason;
          reject(signal.reason);
        });
      }),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CallGateway', () => {
  it('times a hanging call out with a TimeoutError on its signal and records a timeout step', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const calls = gateway(controller.signal, 500);
    const seen: { reason?: unknown } = {};
    const pending = calls.call(hangingCall(seen));
    await vi.advanceTimersByTimeAsync(499);
    expect(seen.reason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'timeout' } });
    expect((seen.reason as DOMException).name).toBe('TimeoutError');
    expect(calls.steps()[0]?.error?.message).toBe('core: metrics.range on test timed out');
  });

  it('cancels a call in flight with the investigation signal and its reason', async () => {
    const controller = new AbortController();
    const calls = gateway(controller.signal);
    const seen: { reason?: unknown } = {};
    const pending = calls.call(hangingCall(seen));
    const reason = new Error('operator stopped it');
    controller.abort(reason);
    const outcome = await pending;
    expect(seen.reason).toBe(reason);
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'cancelled' } });
  });

  it('releases its listener on the investigation signal when a call ends', async () => {
    const controller = new AbortController();
    const calls = gateway(controller.signal, 1_000, 100);
    for (let index = 0; index < 50; index++) {
      await calls.call({ tool: 't', provider: 'test', input: index, run: async () => index });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(calls.steps().map((step) => step.id)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });
});
