import { z } from 'zod';

// Reply schemas are tolerant on purpose: one odd candidate or call must not void the whole reply, so values
// are checked (and dropped one by one) by the reasoner rather than by the schema.

/** The reply to a `propose` request: candidate causes. */
export const candidateCausesReplySchema = z.object({
  candidates: z
    .array(
      z.object({
        entity: z.string().describe('An entity ref exactly as listed in the scope.'),
        fault: z
          .string()
          .describe(
            'A dotted fault id such as `redis.memory-fragmentation`, or `degraded` when the fault is unknown.',
          ),
        weight: z.number().describe('How likely this cause is, 0 to 1.'),
        reason: z.string().describe('One sentence: what in the scope points to this cause.'),
      }),
    )
    .describe('Candidate root causes, most likely first.'),
});

/** The reply to a `plan` request: the tool calls that would test a hypothesis. */
export const toolCallPlanReplySchema = z.object({
  calls: z
    .array(
      z.object({
        tool: z.string().describe('The name of one of the tools offered.'),
        input: z.object({}).catchall(z.unknown()).describe("The tool's input, matching its input schema."),
        reason: z.string().describe('One sentence: how this call tests the hypothesis.'),
      }),
    )
    .describe('Tool calls, most informative first.'),
});

/** The reply to an `interpret` request: what a tool output says about a hypothesis. */
export const interpretationReplySchema = z.object({
  verdict: z.enum(['supports', 'refutes', 'neutral']).describe('What the output says about the hypothesis.'),
  strength: z
    .enum(['weak', 'moderate', 'strong'])
    .describe('How strongly: weak when ambiguous, strong only when the output clearly shows it.'),
  reason: z.string().describe('One sentence: what in the output supports the verdict.'),
});
