import { EventEmitter } from 'eventemitter3';
import type { ActuationResult, RemediationProposal } from '../contracts/remediation';
import type { AisreError } from '../errors/aisre-error';
import type { ApprovalOutcome, ApprovalRequest } from './approval-gate';
import type { PolicyDecision } from './policy-evaluation';
import type { VerificationResult } from './remediation-verification';
import type { ResolutionRecord } from './types';

/**
 * Everything a resolution does, as typed events (`noun:verb`), so hosts can show it live and keep their own
 * audit. Listeners receive one payload object; `report` is the report id.
 */
export interface ResolutionEvents {
  /** The catalogue proposed a change. */
  'proposal:created': (event: { report: string; proposal: RemediationProposal }) => void;
  /** The policy decided about a proposal. */
  'policy:decided': (event: {
    report: string;
    environment: string;
    proposal: RemediationProposal;
    decision: PolicyDecision;
  }) => void;
  /** An approval was asked of the gate. */
  'approval:requested': (event: { report: string; request: ApprovalRequest }) => void;
  /** The approval was answered, refused, timed out, cancelled or failed. */
  'approval:decided': (event: { report: string; request: ApprovalRequest; outcome: ApprovalOutcome }) => void;
  /** An actuator applied a change. */
  'action:applied': (event: {
    report: string;
    proposal: RemediationProposal;
    connector: string;
    result: ActuationResult;
    record: ResolutionRecord;
  }) => void;
  /** Applying a change failed (no actuator, dry run or apply failed, timed out). */
  'action:failed': (event: {
    report: string;
    proposal: RemediationProposal;
    error: AisreError;
    record: ResolutionRecord;
  }) => void;
  /** A verification of the symptom after a change ended. */
  'verification:ended': (event: { report: string; verification: VerificationResult }) => void;
}

/** A typed event emitter for {@link ResolutionEvents} (eventemitter3). */
export type ResolutionEmitter = EventEmitter<ResolutionEvents>;

/** Creates a typed event emitter for {@link ResolutionEvents}. */
export function createResolutionEmitter(): ResolutionEmitter {
  return new EventEmitter<ResolutionEvents>();
}
