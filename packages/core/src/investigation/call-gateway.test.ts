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

  it('cancels every call in flight, even one that ignores its signal, and runs none after', async () => {
    const controller = new AbortController();
    const calls = gateway(controller.signal);
    const deaf = () =>
      calls.call({ tool: 't', provider: 'test', input: 0, run: () => new Promise(() => {}) });
    const pending = [deaf(), deaf(), deaf()];
    controller.abort();
    const outcomes = await Promise.all(pending);
    expect(outcomes.map((outcome) => outcome.kind === 'failed' && outcome.error.code)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(await calls.call({ tool: 't', provider: 'test', input: 1, run: async () => 1 })).toMatchObject({
      kind: 'failed',
      error: { code: 'cancelled', message: 'core: t not run: the investigation was cancelled' },
    });
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

  it('listens to the investigation signal once, however many calls it makes', async () => {
    const controller = new AbortController();
    const calls = gateway(controller.signal, 1_000, 100);
    const listeners = getEventListeners(controller.signal, 'abort').length;
    for (let index = 0; index < 50; index++) {
      await calls.call({ tool: 't', provider: 'test', input: index, run: async () => index });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(listeners);
    expect(listeners).toBeLessThanOrEqual(1);
    expect(calls.steps().map((step) => step.id)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });
});
