import { z } from 'zod';
import { type JsonValue, jsonValueSchema } from './common';
import { type EntityRef, entityRefSchema } from './entity-ref';
import type { Evidence } from './evidence';

/** How risky a remediation is: what can go wrong if it is wrong. */
export type RiskLevel = 'low' | 'medium' | 'high';

/** Zod schema of a {@link RiskLevel}. */
export const riskLevelSchema: z.ZodType<RiskLevel> = z.enum(['low', 'medium', 'high']);

/** A concrete change an actuator can apply. */
export interface RemediationAction {
  /** The action type, dotted (`redis.config-set`, `deployment.rollback`, `cronjob.reschedule`, `postgres.terminate-idle`). */
  type: string;
  /** The entity to change. */
  target: EntityRef;
  /** The exact change, e.g. `{ parameter: 'activedefrag', value: 'yes' }`. */
  parameters: Record<string, JsonValue>;
}

/** Zod schema of a {@link RemediationAction}. */
export const remediationActionSchema: z.ZodType<RemediationAction> = z.object({
  type: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected a dotted action type like redis.config-set'),
  target: entityRefSchema,
  parameters: z.record(z.string(), jsonValueSchema),
});

/** A proposed fix for a root cause, with the evidence that justifies it. */
export interface RemediationProposal {
  /** Unique id. */
  id: string;
  /** One line for humans. */
  title: string;
  /** The fault it addresses (e.g. `redis.memory-fragmentation`). */
  fault: string;
  /** The exact change. */
  action: RemediationAction;
  /** Risk level. */
  risk: RiskLevel;
  /** How to undo it: an action, or steps in words when no action can undo it. */
  rollback: RemediationAction | string;
  /** Why this change, in a sentence or two. */
  rationale: string;
  /** Evidence citation numbers (see {@link Evidence}) that justify it. */
  citations: number[];
}

/** Zod schema of a {@link RemediationProposal}. */
export const remediationProposalSchema: z.ZodType<RemediationProposal> = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  fault: z.string().min(1),
  action: remediationActionSchema,
  risk: riskLevelSchema,
  rollback: z.union([remediationActionSchema, z.string().min(1)]),
  rationale: z.string(),
  citations: z.array(z.number().int().positive()),
});

/** What an actuator did with an action. */
export interface ActuationResult {
  /** True when the change was made (false on a dry run). */
  applied: boolean;
  /** True when this was a dry run. */
  dryRun: boolean;
  /** What was (or would have been) done. */
  summary: string;
  /** Details of the change (previous and new values, …), for the audit and for rollback. */
  details: Record<string, JsonValue>;
}

/** Zod schema of an {@link ActuationResult}. */
export const actuationResultSchema: z.ZodType<ActuationResult> = z.object({
  applied: z.boolean(),
  dryRun: z.boolean(),
  summary: z.string(),
  details: z.record(z.string(), jsonValueSchema),
});
