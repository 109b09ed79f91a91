import { z } from 'zod';
import { type JsonValue, jsonValueSchema } from './common';

/** What a check said about a hypothesis; `unavailable` means it could not be checked. */
export type EvidenceVerdict = 'supports' | 'refutes' | 'neutral' | 'unavailable';

/** Zod schema of an {@link EvidenceVerdict}. */
export const evidenceVerdictSchema: z.ZodType<EvidenceVerdict> = z.enum([
  'supports',
  'refutes',
  'neutral',
  'unavailable',
]);

/** One numbered piece of evidence, citing the step that produced it. */
export interface Evidence {
  /** The citation number, `[n]` in reports; 1-based, in order of arrival. */
  id: number;
  /** The hypothesis it bears on. */
  hypothesis: string;
  /** The check that produced it (`metric-anomaly:redis_mem_fragmentation_ratio`). */
  check: string;
  /** What it says. */
  verdict: EvidenceVerdict;
  /** Strength: the natural log of the likelihood ratio it applied (positive supports, negative refutes). */
  weight: number;
  /** One sentence for humans. */
  summary: string;
  /** The data it rests on (a few points, a log line, a value). */
  excerpt: JsonValue;
  /** The id of the step whose output it came from. */
  step: number;
}

/** Zod schema of an {@link Evidence}. */
export const evidenceSchema: z.ZodType<Evidence> = z.object({
  id: z.number().int().positive(),
  hypothesis: z.string().min(1),
  check: z.string().min(1),
  verdict: evidenceVerdictSchema,
  weight: z.number().finite(),
  summary: z.string(),
  excerpt: jsonValueSchema,
  step: z.number().int().positive(),
});
