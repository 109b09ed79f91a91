import { z } from 'zod';
import { type BudgetLimits, type BudgetUsage, budgetLimitsSchema, budgetUsageSchema } from './budget';
import { type IsoTime, isoTimeSchema } from './common';
import { type EntityRef, entityRefSchema } from './entity-ref';
import { type Evidence, evidenceSchema } from './evidence';
import { type HypothesisStatus, hypothesisStatusSchema } from './hypothesis';
import { type RemediationProposal, remediationProposalSchema } from './remediation';
import { type Signal, signalSchema } from './signal';
import { type Step, stepSchema } from './step';

/** How an investigation ended. */
export type EndingKind = 'concluded' | 'needs-human' | 'budget-exhausted' | 'cancelled' | 'failed';

/** Zod schema of an {@link EndingKind}. */
export const endingKindSchema: z.ZodType<EndingKind> = z.enum([
  'concluded',
  'needs-human',
  'budget-exhausted',
  'cancelled',
  'failed',
]);

/** How and why an investigation ended. */
export interface Ending {
  /** The kind of ending. */
  kind: EndingKind;
  /** Why, in a sentence. */
  reason: string;
}

/** A ranked candidate root cause in a report. */
export interface RankedCause {
  /** The entity. */
  entity: EntityRef;
  /** The fault. */
  fault: string;
  /** Posterior probability, 0..1. */
  confidence: number;
  /** The claim in words. */
  statement: string;
  /** Citation numbers of the evidence for and against it. */
  citations: number[];
}

/** Zod schema of a {@link RankedCause}. */
export const rankedCauseSchema: z.ZodType<RankedCause> = z.object({
  entity: entityRefSchema,
  fault: z.string().min(1),
  confidence: z.number().min(0).max(1),
  statement: z.string(),
  citations: z.array(z.number().int().positive()),
});

/** A path of the search that was explored, and how it ended. */
export interface ExploredPath {
  /** The hypothesis id. */
  hypothesis: string;
  /** Its entity. */
  entity: EntityRef;
  /** Its fault. */
  fault: string;
  /** Its final status. */
  status: HypothesisStatus;
  /** Its final posterior. */
  posterior: number;
  /** Why it ended there. */
  reason: string;
}

/** Something the investigation could not check, and why. */
export interface UncheckedItem {
  /** What could not be checked. */
  what: string;
  /** Why (missing capability, connector error, budget). */
  why: string;
  /** The step that failed, when one did. */
  step?: number;
}

/** The outcome of an investigation: conclusion, alternatives, evidence chain, audit, budget, proposals. */
export interface Report {
  /** Schema version of the report format. */
  version: 1;
  /** Investigation id. */
  id: string;
  /** The signal that started it. */
  trigger: Signal;
  /** When it started (on the injected clock). */
  startedAt: IsoTime;
  /** When it ended. */
  endedAt: IsoTime;
  /** How it ended, and why. */
  ending: Ending;
  /** The root cause, when one is claimed. */
  conclusion?: RankedCause;
  /** Other candidates, most likely first. */
  alternatives: RankedCause[];
  /** The probability left to causes nobody proposed. */
  unknownRemainder: number;
  /** The numbered evidence chain. */
  evidence: Evidence[];
  /** Every audited action, in order. */
  steps: Step[];
  /** Every hypothesis explored, with how it ended (including those ruled out). */
  explored: ExploredPath[];
  /** What could not be checked, and why. */
  unchecked: UncheckedItem[];
  /** The budget and what was spent of it. */
  budget: { limits: BudgetLimits; used: BudgetUsage };
  /** Proposed fixes. */
  proposals: RemediationProposal[];
}

/** Zod schema of a {@link Report} (the JSON form). */
export const reportSchema: z.ZodType<Report> = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  trigger: signalSchema,
  startedAt: isoTimeSchema,
  endedAt: isoTimeSchema,
  ending: z.object({ kind: endingKindSchema, reason: z.string().min(1) }),
  conclusion: rankedCauseSchema.optional(),
  alternatives: z.array(rankedCauseSchema),
  unknownRemainder: z.number().min(0).max(1),
  evidence: z.array(evidenceSchema),
  steps: z.array(stepSchema),
  explored: z.array(
    z.object({
      hypothesis: z.string(),
      entity: entityRefSchema,
      fault: z.string(),
      status: hypothesisStatusSchema,
      posterior: z.number().min(0).max(1),
      reason: z.string(),
    }),
  ),
  unchecked: z.array(
    z.object({ what: z.string(), why: z.string(), step: z.number().int().positive().optional() }),
  ),
  budget: z.object({ limits: budgetLimitsSchema, used: budgetUsageSchema }),
  proposals: z.array(remediationProposalSchema),
});
