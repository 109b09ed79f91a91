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
  /** The role that must approve, in words (`team-lead`, `team-lead or sre`); absent: anyone the gate accepts. */
  approver?: string;
  /**
   * The roles of which the approver must hold at least one; absent: anyone the gate accepts. An approval
   * whose {@link ApprovalDecision.roles} hold none of them applies nothing.
   */
  roles?: string[];
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
  /**
   * The roles the person holds, as the host's identity system says (`team-lead`, `on-call`). When the
   * request names {@link ApprovalRequest.roles}, an approval counts only if one of them is here: an approval
   * without roles, or with others only, is refused and nothing is applied.
   */
  roles?: string[];
  /** Why, when they said. */
  reason?: string;
}

/** Zod schema of an {@link ApprovalDecision}: gates' answers are validated before they count. */
export const approvalDecisionSchema: z.ZodType<ApprovalDecision> = z.object({
  approved: z.boolean(),
  approver: z.string().min(1),
  roles: z.array(z.string().min(1)).optional(),
  reason: z.string().optional(),
});

/**
 * How approvals reach a human: a CLI prompt, a chat button, an HTTP endpoint. The host provides it.
 *
 * Rules: answer once per request; honour `options.signal` (it aborts when the request times out or the
 * resolution is cancelled, and any later answer is ignored); identify the person in `approver` and give the
 * roles your identity system says they hold in `roles`. The resolver checks those roles against the ones
 * the request names ({@link ApprovalRequest.roles}) and applies nothing when none matches.
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
      /** The approver said yes but holds none of the roles the request names: nothing is applied. */
      kind: 'unauthorized';
      /** The answer. */
      decision: ApprovalDecision;
      /** The roles the request named. */
      required: string[];
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
