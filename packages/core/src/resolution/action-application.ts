import type { Clock, Logger } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import {
  type ActuationResult,
  actuationResultSchema,
  type RemediationAction,
} from '../contracts/remediation';
import { AisreError, CancelledError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { toAisreError } from './resolution-errors';
import type { Timer } from './timer';

/** What came of applying one action. */
export type ActuationAttempt =
  | { kind: 'applied' | 'not-applied'; connector: string; dryRun: ActuationResult; result: ActuationResult }
  | { kind: 'failed'; connector?: string; dryRun?: ActuationResult; error: AisreError };

/** How to apply. */
export interface ActuationSettings {
  /** The connectors to look through. */
  connectors: readonly Connector[];
  /** The limit of one dry run or apply, milliseconds. */
  timeoutMs: number;
  /** The timer of that limit. */
  timer: Timer;
  /** Cancels it. */
  signal: AbortSignal;
  /** Passed to the actuator. */
  logger: Logger;
  /** Passed to the actuator. */
  clock: Clock;
}

function findActuator(action: RemediationAction, connectors: readonly Connector[]) {
  for (const connector of connectors) {
    const actuator = connector.capabilities.actuator;
    if (!actuator) continue;
    try {
      if (actuator.supports(structuredClone(action))) return { connector, actuator };
    } catch {
      // An actuator whose `supports` throws cannot be trusted with the change: try the next one.
    }
  }
  return undefined;
}

/** Runs one actuator call under the timeout and the caller's signal; settles once. */
function bounded<Value>(
  what: string,
  settings: ActuationSettings,
  run: (signal: AbortSignal) => Promise<Value>,
): Promise<Value> {
  if (settings.signal.aborted) return Promise.reject(new CancelledError(`${what}: cancelled`));
  const controller = new AbortController();
  return new Promise<Value>((resolve, reject) => {
    let settled = false;
    let cancelTimer: (() => void) | undefined;
    const onAbort = () => {
      controller.abort(settings.signal.reason);
      settle(() => reject(new CancelledError(`${what}: cancelled`)));
    };
    function settle(action: () => void): void {
      if (settled) return;
      settled = true;
      cancelTimer?.();
      settings.signal.removeEventListener('abort', onAbort);
      action();
    }
    settings.signal.addEventListener('abort', onAbort, { once: true });
    cancelTimer = settings.timer.schedule(settings.timeoutMs, () => {
      const error = new CancelledError(`${what}: timed out after ${settings.timeoutMs} ms`, {
        timeout: true,
      });
      controller.abort(error);
      settle(() => reject(error));
    });
    if (settled) cancelTimer();
    let pending: Promise<Value>;
    try {
      pending = Promise.resolve(run(controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/**
 * Applies an action through the first connector whose actuator supports it: a dry run first, then the
 * change. Every failure (no actuator, a throw, a timeout, a malformed result) comes back as a typed error.
 */
export async function applyThroughActuator(
  action: RemediationAction,
  settings: ActuationSettings,
): Promise<ActuationAttempt> {
  const found = findActuator(action, settings.connectors);
  if (!found) {
    return {
      kind: 'failed',
      error: new AisreError(
        'not-found',
        `core: no connector can apply ${action.type} to ${action.target}: add a connector whose actuator supports it`,
      ),
    };
  }
  const { connector, actuator } = found;
  const call = (dryRun: boolean) =>
    bounded(
      `core: ${dryRun ? 'dry run' : 'apply'} of ${action.type} on ${action.target} by ${connector.name}`,
      settings,
      async (signal) =>
        parseWith(
          actuationResultSchema,
          await actuator.apply(
            structuredClone(action),
            { dryRun },
            { signal, logger: settings.logger, clock: settings.clock },
          ),
          `core: ${connector.name} actuation result`,
        ) as ActuationResult,
    );
  let dryRun: ActuationResult;
  try {
    dryRun = await call(true);
  } catch (error) {
    return {
      kind: 'failed',
      connector: connector.name,
      error: toAisreError(error, `core: dry run of ${action.type} by ${connector.name} failed`),
    };
  }
  try {
    const result = await call(false);
    return { kind: result.applied ? 'applied' : 'not-applied', connector: connector.name, dryRun, result };
  } catch (error) {
    const failure = toAisreError(error, `core: apply of ${action.type} by ${connector.name} failed`);
    const uncertain =
      failure.code === 'timeout'
        ? new CancelledError(`${failure.message}; the change may have been made: check ${action.target}`, {
            timeout: true,
            cause: failure,
          })
        : failure;
    return { kind: 'failed', connector: connector.name, dryRun, error: uncertain };
  }
}
