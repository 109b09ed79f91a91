import { z } from 'zod';
import { type EntityRef, entityRefSchema } from '../contracts/entity-ref';
import type { RemediationProposal } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import type { VerificationOutcome, VerificationResult } from './remediation-verification';
import type { ResolutionRecord } from './types';

/**
 * How an incident ended for the record: the verification's outcome when a change was applied and verified;
 * `not-verified` when a change was applied but not verified; `not-remediated` when nothing was applied.
 */
export type IncidentOutcome = VerificationOutcome | 'not-verified' | 'not-remediated';

/** What is remembered of an incident: a directional hint for the next investigation, not a proof. */
export interface IncidentRecord {
  /** The report id. */
  id: string;
  /** The root-cause entity. */
  entity: EntityRef;
  /** The fault. */
  fault: string;
  /** When it happened (the trigger time), epoch ms. */
  at: number;
  /** The entity that alerted. */
  trigger: EntityRef;
  /** The action types proposed, in order. */
  proposed: string[];
  /** The action types applied, in order. */
  remediations: string[];
  /** How it ended. */
  outcome: IncidentOutcome;
  /** The verification's summary, when there was one. */
  verification?: string;
}

/** Zod schema of an {@link IncidentRecord}, for stores that read records back. */
export const incidentRecordSchema: z.ZodType<IncidentRecord> = z.object({
  id: z.string().min(1),
  entity: entityRefSchema,
  fault: z.string().min(1),
  at: z.number().finite(),
  trigger: entityRefSchema,
  proposed: z.array(z.string()),
  remediations: z.array(z.string()),
  outcome: z.enum(['improved', 'unchanged', 'worse', 'inconclusive', 'not-verified', 'not-remediated']),
  verification: z.string().optional(),
});

/** What {@link captureIncident} reads. */
export interface IncidentCaptureInput {
  /** The investigation report. */
  report: Report;
  /** The proposals made for it. */
  proposals: readonly RemediationProposal[];
  /** The resolution's audit trail. */
  records: readonly ResolutionRecord[];
  /** The verification after the change, when one ran. */
  verification?: VerificationResult;
}

/**
 * Turns a resolved incident into an {@link IncidentRecord} for an {@link IncidentMemory}. Returns `undefined`
 * when the report has no conclusion: there is no root cause to remember.
 *
 * @param input - the report, its proposals, the audit trail and the verification
 */
export function captureIncident(input: IncidentCaptureInput): IncidentRecord | undefined {
  const { report, verification } = input;
  const conclusion = report.conclusion;
  if (!conclusion) return undefined;
  const remediations = input.records
    .filter((record) => record.outcome === 'applied')
    .map((record) => record.action.type);
  const outcome: IncidentOutcome =
    remediations.length === 0 ? 'not-remediated' : (verification?.outcome ?? 'not-verified');
  return {
    id: report.id,
    entity: conclusion.entity,
    fault: conclusion.fault,
    at: Date.parse(report.trigger.at),
    trigger: report.trigger.entity,
    proposed: input.proposals.map((proposal) => proposal.action.type),
    remediations,
    outcome,
    ...(verification && remediations.length > 0 ? { verification: verification.summary } : {}),
  };
}
