import { z } from 'zod';
import { type JsonValue, jsonValueSchema } from './common';

/** An error recorded on a step. */
export interface StepError {
  /** The {@link AisreErrorCode} (or `internal`). */
  code: string;
  /** The message. */
  message: string;
}

/** One audited action of an investigation: a tool or capability call, or a model call. */
export interface Step {
  /** 1-based, in order of start. */
  id: number;
  /** What was called: `metrics.range`, `logs.search`, `tool:redis_info`, `model.generate`. */
  tool: string;
  /** The connector that served it, or the model's name. */
  provider: string;
  /** The input, as sent. */
  input: JsonValue;
  /** Start, milliseconds since the investigation began (on the injected clock). */
  startedMs: number;
  /** Duration, milliseconds. */
  durationMs: number;
  /** SHA-256 (hex) of the canonical JSON of the output. */
  outputDigest: string;
  /** The output, kept so the run can be replayed offline (absent when the host asked not to keep outputs). */
  output?: JsonValue;
  /** The error, when the call failed. */
  error?: StepError;
  /** The hypothesis the call served, if any. */
  hypothesis?: string;
}

/** Zod schema of a {@link Step}. */
export const stepSchema: z.ZodType<Step> = z.object({
  id: z.number().int().positive(),
  tool: z.string().min(1),
  provider: z.string().min(1),
  input: jsonValueSchema,
  startedMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  outputDigest: z.string().regex(/^[0-9a-f]{64}$/),
  output: jsonValueSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  hypothesis: z.string().optional(),
});
