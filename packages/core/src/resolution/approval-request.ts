import { InvalidInputError } from '../errors/aisre-error';
import { formatInputIssues, toInputIssues } from '../errors/zod-issues';
import {
  type ApprovalGate,
  type ApprovalOutcome,
  type ApprovalRequest,
  approvalDecisionSchema,
} from './approval-gate';
import { toAisreError } from './resolution-errors';
import type { Timer } from './timer';

/** How long to wait and on what. */
export interface ApprovalWait {
  /** After this long without an answer the request times out. */
  timeoutMs: number;
  /** The timer the timeout runs on. */
  timer: Timer;
  /** Cancels the wait. */
  signal: AbortSignal;
}

function timeoutReason(): Error {
  const error = new Error('core: approval timed out');
  error.name = 'TimeoutError';
  return error;
}

/**
 * Asks the gate and settles exactly once: with its answer, or `timed-out` when the timer fires first, or
 * `cancelled` when `wait.signal` aborts first. A late answer is ignored. A yes from someone who holds none of
 * the request's {@link ApprovalRequest.roles} is `unauthorized`. Never rejects.
 */
export function requestApproval(
  gate: ApprovalGate,
  request: ApprovalRequest,
  wait: ApprovalWait,
): Promise<ApprovalOutcome> {
  if (wait.signal.aborted) return Promise.resolve({ kind: 'cancelled' });
  const controller = new AbortController();
  return new Promise<ApprovalOutcome>((resolve) => {
    let settled = false;
    let cancelTimer: (() => void) | undefined;
    const onAbort = () => {
      controller.abort(wait.signal.reason);
      finish({ kind: 'cancelled' });
    };
    function finish(outcome: ApprovalOutcome): void {
      if (settled) return;
      settled = true;
      cancelTimer?.();
      wait.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    }
    wait.signal.addEventListener('abort', onAbort, { once: true });
    cancelTimer = wait.timer.schedule(wait.timeoutMs, () => {
      controller.abort(timeoutReason());
      finish({ kind: 'timed-out' });
    });
    if (settled) cancelTimer();
    let answer: Promise<unknown>;
    try {
      answer = Promise.resolve(gate.request(request, { signal: controller.signal }));
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (value) => {
        const parsed = approvalDecisionSchema.safeParse(value);
        if (!parsed.success) {
          const issues = toInputIssues(parsed.error);
          finish({
            kind: 'failed',
            error: new InvalidInputError(
              `core: the approval gate answered ${request.id} with a malformed decision: ${formatInputIssues(issues)}; answer { approved, approver }`,
              { issues },
            ),
          });
          return;
        }
        const decision = {
          approved: parsed.data.approved,
          approver: parsed.data.approver,
          ...(parsed.data.roles !== undefined ? { roles: [...parsed.data.roles] } : {}),
          ...(parsed.data.reason !== undefined ? { reason: parsed.data.reason } : {}),
        };
        if (!decision.approved) {
          finish({ kind: 'rejected', decision });
          return;
        }
        const required = request.roles ?? [];
        const authorized = required.length === 0 || required.some((role) => decision.roles?.includes(role));
        finish(authorized ? { kind: 'approved', decision } : { kind: 'unauthorized', decision, required });
      },
      (error: unknown) =>
        finish({
          kind: 'failed',
          error: toAisreError(error, `core: the approval gate failed on ${request.id}`),
        }),
    );
  });
}
