import { z } from 'zod';
import type { IsoTime } from '../contracts/common';
import type { Evidence } from '../contracts/evidence';
import type { RemediationProposal } from '../contracts/remediation';
import type { RankedCause } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import type { AisreError } from '../errors/aisre-error';

/** What an approver is asked: the change, where, why the policy asks, and the evidence behind it. */
export interface ApprovalRequest {
  /** Unique and deterministic: the report id and the proposal id. */
  id: string;
  /** The environment the change is meant for. */
  environment: string;
  /** The proposed change (action, risk, rollback, rationale, citations). */
  proposal: RemediationProposal;
  /** The role that must approve (`team-lead`, `on-call`); absent: anyone the gate accepts. */
  approver?: string;
  /** The policy rule that asked for the approval. */
  rule?: string;
  /** Why the policy asks, in a sentence. */
  reason: string;
  /** The investigation behind the proposal. */
  report: {
    /** The report id. */
    id: string;
    /** The signal that started it. */
    trigger: Signal;
    /** The root cause it concluded. */
    conclusion?: RankedCause;
  };
  /** The evidence items the proposal cites, to show the approver. */
  evidence: Evidence[];
  /** When it was asked, on the resolver's clock. */
  requestedAt: IsoTime;
  /** When it times out: after that, nothing is applied whatever the answer. */
  expiresAt: IsoTime;
}

/** An approver's answer. */
export interface ApprovalDecision {
  /** True to apply the change. */
  approved: boolean;
  /** Who answered (a person's name or handle), recorded in the audit trail. */
  approver: string;
  /** Why, when they said. */
  reason?: string;
}

/** Zod schema of an {@link ApprovalDecision}: gates' answers are validated before they count. */
export const approvalDecisionSchema: z.ZodType<ApprovalDecision> = z.object({
  approved: z.boolean(),
  approver: z.string().min(1),
  reason: z.string().optional(),
});

/**
 * How approvals reach a human: a CLI prompt, a chat button, an HTTP endpoint. The host provides it.
 *
 * Rules: answer once per request; honour `options.signal` (it aborts when the request times out or the
 * resolution is cancelled, and any later answer is ignored); identify the person in `approver`. The gate is
 * responsible for checking that the person holds the requested role ({@link ApprovalRequest.approver}).
 */
export interface ApprovalGate {
  /** Asks for an approval and resolves with the answer. */
  request(request: ApprovalRequest, options: { signal: AbortSignal }): Promise<ApprovalDecision>;
}

/** What came of an approval request. Only `approved` lets a change through. */
export type ApprovalOutcome =
  | {
      /** The approver said yes. */
      kind: 'approved';
      /** The answer. */
      decision: ApprovalDecision;
    }
  | {
      /** The approver said no. */
      kind: 'rejected';
      /** The answer. */
      decision: ApprovalDecision;
    }
  | {
      /** No answer before `approvalTimeoutMs`. */
      kind: 'timed-out';
    }
  | {
      /** The resolution was cancelled while waiting. */
      kind: 'cancelled';
    }
  | {
      /** The gate failed or answered something malformed. */
      kind: 'failed';
      /** What went wrong. */
      error: AisreError;
    };
