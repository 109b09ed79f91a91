import { z } from 'zod';
import { parseWith } from '../../errors/zod-issues';
import type { ModelReasoner } from '../model-reasoning';
import { proposeCandidates } from './candidate-proposals';
import { planToolCalls } from './tool-call-plan';
import { interpretToolOutput } from './tool-output-interpretation';
import type { ModelReasonerOptions } from './types';

const optionsSchema = z.strictObject({
  maxCandidates: z.number().int().positive().optional(),
  maxToolCallsPerHypothesis: z.number().int().positive().optional(),
  outputShareChars: z.number().int().positive().optional(),
});

/**
 * Creates the built-in {@link ModelReasoner}: it asks a model, through the engine's {@link ModelCaller}, for
 * extra candidate causes, for tool calls that would test a hypothesis, and for its reading of a tool output.
 * Every request uses structured output and a system prompt that treats tool output and log lines as data,
 * never instructions; every reply is validated and trimmed (entities outside the scope's reach, malformed
 * fault ids and tools that were not offered are dropped). The reasoner only returns data: it has no way to
 * run a tool or apply a change.
 *
 * ```ts
 * const reasoner = createModelReasoner({ maxCandidates: 3 });
 * const proposals = await reasoner.propose(scope, call); // HypothesisProposal[], mode 'candidate'
 * ```
 *
 * Throws an `InvalidInputError` for invalid options.
 *
 * @param options - how many candidates and calls to keep, how much tool output to show
 */
export function createModelReasoner(options: ModelReasonerOptions = {}): ModelReasoner {
  const settings = parseWith(optionsSchema, options, 'core: model reasoner: options');
  const maxCandidates = settings.maxCandidates ?? 5;
  const maxCalls = settings.maxToolCallsPerHypothesis ?? 3;
  const outputShareChars = settings.outputShareChars ?? 4000;
  return {
    propose: (scope, call) => proposeCandidates(scope, call, maxCandidates),
    plan: (hypothesis, tools, scope, call) => planToolCalls(hypothesis, tools, scope, call, maxCalls),
    interpret: (hypothesis, tool, output, call) =>
      interpretToolOutput(hypothesis, tool, output, call, outputShareChars),
  };
}
