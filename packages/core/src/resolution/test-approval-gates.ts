import { CancelledError } from '../errors/aisre-error';
import type { ApprovalDecision, ApprovalGate, ApprovalRequest } from './approval-gate';

/** An {@link ApprovalGate} that keeps every request it was asked, for assertions. */
export interface RecordingApprovalGate extends ApprovalGate {
  /** The requests received, oldest first. */
  readonly requests: readonly ApprovalRequest[];
}

/** Options of {@link createAutoApprovalGate}. */
export interface AutoApprovalGateOptions {
  /** Answer every request with yes (`true`) or no (`false`). */
  approve: boolean;
  /** The name recorded as the approver. */
  approver: string;
  /** The roles the approver holds (checked against the roles a request names). */
  roles?: string[];
  /** The reason given with every answer. */
  reason?: string;
}

/**
 * A gate that answers every request the same way at once: for tests, demos and unattended development
 * environments. Give `roles` for requests that name roles (staging, production): without them its yes is
 * refused.
 *
 * @param options - the answer, the approver's name and roles
 */
export function createAutoApprovalGate(options: AutoApprovalGateOptions): RecordingApprovalGate {
  const requests: ApprovalRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      return {
        approved: options.approve,
        approver: options.approver,
        ...(options.roles !== undefined ? { roles: [...options.roles] } : {}),
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
      };
    },
  };
}

/**
 * One scripted answer: a decision; `'never'` (no answer: the request waits until it times out or is
 * cancelled); or a function of the request.
 */
export type ScriptedApprovalAnswer =
  | ApprovalDecision
  | 'never'
  | ((
      request: ApprovalRequest,
      options: { signal: AbortSignal },
    ) => ApprovalDecision | Promise<ApprovalDecision>);

/**
 * A gate that answers by call index from a script, and records every request. When the script runs out it
 * answers no (`approver: 'scripted-gate'`), so a test that asks more than it expected applies nothing.
 *
 * @param answers - the answers, in the order requests arrive
 */
export function createScriptedApprovalGate(
  answers: readonly ScriptedApprovalAnswer[],
): RecordingApprovalGate {
  const requests: ApprovalRequest[] = [];
  return {
    requests,
    async request(request, options) {
      const answer = answers[requests.length];
      requests.push(request);
      if (answer === undefined) {
        return { approved: false, approver: 'scripted-gate', reason: 'no scripted answer left' };
      }
      if (answer === 'never') {
        return new Promise<ApprovalDecision>((_resolve, reject) => {
          const cancel = () =>
            reject(new CancelledError(`core: scripted approval ${request.id} was abandoned`));
          if (options.signal.aborted) cancel();
          else options.signal.addEventListener('abort', cancel, { once: true });
        });
      }
      return typeof answer === 'function' ? answer(request, options) : { ...answer };
    },
  };
}
