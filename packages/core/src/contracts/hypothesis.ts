import { z } from 'zod';
import { type EntityRef, entityRefSchema } from './entity-ref';

/** Where a hypothesis stands. */
export type HypothesisStatus = 'open' | 'testing' | 'supported' | 'refuted' | 'pruned' | 'concluded';

/** Zod schema of a {@link HypothesisStatus}. */
export const hypothesisStatusSchema: z.ZodType<HypothesisStatus> = z.enum([
  'open',
  'testing',
  'supported',
  'refuted',
  'pruned',
  'concluded',
]);

/** A candidate root cause. */
export interface Hypothesis {
  /** Unique within an investigation, deterministic (e.g. `redis:shop/cache#redis.memory-fragmentation`). */
  id: string;
  /** The entity that would be the root cause. */
  entity: EntityRef;
  /** The fault (`redis.memory-fragmentation`), or a generic `degraded` for a coarse candidate. */
  fault: string;
  /** The claim in words. */
  statement: string;
  /** Probability before any evidence, 0..1. */
  prior: number;
  /** Probability after the evidence so far, 0..1. */
  posterior: number;
  /** The coarser hypothesis this one refines. */
  parent?: string;
  /** Where it stands. */
  status: HypothesisStatus;
  /** Which generator proposed it (`graph`, `failure-patterns`, `changes`, `incidents`, `model`). */
  generator: string;
}

/** Zod schema of a {@link Hypothesis}. */
export const hypothesisSchema: z.ZodType<Hypothesis> = z.object({
  id: z.string().min(1),
  entity: entityRefSchema,
  fault: z.string().min(1),
  statement: z.string(),
  prior: z.number().min(0).max(1),
  posterior: z.number().min(0).max(1),
  parent: z.string().min(1).optional(),
  status: hypothesisStatusSchema,
  generator: z.string().min(1),
});
