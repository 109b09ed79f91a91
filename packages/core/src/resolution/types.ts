import type { Clock, IsoTime, Logger } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type { Policy, PolicyEffect } from '../contracts/policy';
import type { ActuationResult, RemediationAction, RemediationProposal } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import type { AisreErrorCode } from '../errors/aisre-error';
import type { ApprovalGate } from './approval-gate';
import type { ApprovalHistory } from './approval-history';
import type { RemediationCatalogue } from './remediation-catalogue';
import type { VerificationResult } from './remediation-verification';
import type { ResolutionEmitter } from './resolution-events';
import type { Timer } from './timer';

/** Options of {@link createResolver}. */
export interface ResolverOptions {
  /** The connectors; changes go through the first whose actuator supports the action. */
  connectors: Connector[];
  /** The remediation policy (validated with {@link parsePolicy} when the resolver is created). */
  policy: Policy;
  /** The environment this resolver changes (`development`, `staging`, `production`); it must be in the policy. */
  environment: string;
  /** How approvals reach a human. */
  gate: ApprovalGate;
  /** Past approvals (read by `onlyIfApprovedBefore` rules; every approval is recorded in it). */
  history: ApprovalHistory;
  /** The clock of the audit timestamps. */
  clock: Clock;
  /** Where to emit events (default: a new emitter, exposed as {@link Resolver.events}). */
  events?: ResolutionEmitter;
  /** The remediation catalogue (default: the built-in one). */
  catalogue?: RemediationCatalogue;
  /** How long an approval may take before it times out and nothing is applied, milliseconds (default 15 min). */
  approvalTimeoutMs?: number;
  /** How long a dry run or an apply may take before it is recorded as failed, milliseconds (default 2 min). */
  actionTimeoutMs?: number;
  /** The timer the timeouts run on (default: the real timer). */
  timer?: Timer;
  /** Where actuators log. */
  logger?: Logger;
}

/**
 * What became of one proposal. Only `applied` changed the system. `denied` covers the policy's deny and an
 * approval from someone without the required role.
 */
export type ResolutionOutcome =
  | 'applied'
  | 'not-applied'
  | 'denied'
  | 'rejected'
  | 'timed-out'
  | 'cancelled'
  | 'failed';

/** An error as the audit trail keeps it. */
export interface RecordedError {
  /** The {@link AisreErrorCode}. */
  code: string;
  /** The message. */
  message: string;
}

/** The approval part of a {@link ResolutionRecord}. */
export interface ApprovalRecord {
  /** The role asked for, in words, when the policy named one. */
  role?: string;
  /** The roles asked for (any one of them), when the policy named some. */
  roles?: string[];
  /**
   * What came of the request: `unauthorized` is a yes from someone who holds none of the roles asked for
   * (nothing is applied, the record ends `denied`).
   */
  outcome: 'approved' | 'unauthorized' | 'rejected' | 'timed-out' | 'cancelled' | 'failed';
  /** Who answered. */
  approver?: string;
  /** The roles the approver holds, as the gate said. */
  approverRoles?: string[];
  /** The reason they gave. */
  reason?: string;
  /** When it was asked. */
  requestedAt: IsoTime;
  /** When it was answered (or timed out, or was cancelled). */
  decidedAt: IsoTime;
}

/** One entry of the audit trail: a proposal, what the policy and the approver decided, and what was done. */
export interface ResolutionRecord {
  /** The proposal id. */
  proposal: string;
  /** The proposal's title. */
  title: string;
  /** The exact change. */
  action: RemediationAction;
  /** The environment. */
  environment: string;
  /** What the policy decided. */
  decision: PolicyEffect;
  /** The rule that decided (absent: the default deny). */
  rule?: string;
  /** Why the policy decided so. */
  reason: string;
  /** The approval, when one was asked. */
  approval?: ApprovalRecord;
  /** Who approved (shortcut of `approval.approver` when approved). */
  approver?: string;
  /** What became of it. */
  outcome: ResolutionOutcome;
  /** The connector whose actuator was used. */
  connector?: string;
  /** The dry run's result. */
  dryRun?: ActuationResult;
  /** The apply's result. */
  result?: ActuationResult;
  /** The error, when it was denied, refused, timed out or failed. */
  error?: RecordedError;
  /** When the policy decided. */
  decidedAt: IsoTime;
  /** When the change was applied. */
  appliedAt?: IsoTime;
  /** When this record was closed. */
  endedAt: IsoTime;
}

/** A change that was applied. */
export interface AppliedRemediation {
  /** The proposal. */
  proposal: RemediationProposal;
  /** The connector whose actuator applied it. */
  connector: string;
  /** What the actuator reported. */
  result: ActuationResult;
  /** When it was applied, epoch ms on the resolver's clock: pass it to {@link verifyRemediation}. */
  appliedAt: number;
}

/** What {@link Resolver.resolve} returns. */
export interface ResolutionResult {
  /** The id of the report resolved. */
  reportId: string;
  /** The environment. */
  environment: string;
  /** Every proposal, in catalogue order. */
  proposals: RemediationProposal[];
  /** The audit trail: one record per proposal. */
  records: ResolutionRecord[];
  /** The changes applied. */
  applied: AppliedRemediation[];
}

/** Options of {@link Resolver.resolve}. */
export interface ResolveOptions {
  /** Cancels the resolution: nothing more is asked or applied; open records end `cancelled`. */
  signal?: AbortSignal;
}

/** Options of {@link Resolver.verify}. */
export interface ResolverVerifyOptions {
  /** When the change was applied, epoch ms. */
  appliedAt: number;
  /** How long after the change to watch, milliseconds. */
  windowMs: number;
  /** The time to verify as of, epoch ms (default: the resolver's clock). */
  now?: number;
  /** Cancels the metric reads. */
  signal?: AbortSignal;
}

/** A resolver: turns reports into gated, audited changes in one environment. */
export interface Resolver {
  /** Typed events of every resolution. */
  readonly events: ResolutionEmitter;
  /** The environment it changes. */
  readonly environment: string;
  /**
   * Proposes changes for the report's conclusion, decides each by policy, asks the gate when required,
   * applies what is allowed or approved (dry run first), and returns the audit trail. Never rejects for an
   * actuator or gate failure: those are recorded.
   */
  resolve(report: Report, options?: ResolveOptions): Promise<ResolutionResult>;
  /** Watches the report's symptom after a change (see {@link verifyRemediation}) and emits `verification:ended`. */
  verify(report: Report, options: ResolverVerifyOptions): Promise<VerificationResult>;
}
