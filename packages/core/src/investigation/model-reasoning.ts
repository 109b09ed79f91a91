import type { JsonValue } from '../contracts/common';
import type { Hypothesis } from '../contracts/hypothesis';
import type { GenerateRequest, GenerateResult, ModelToolDefinition } from '../contracts/language-model';
import type { HypothesisProposal, InvestigationScope } from './hypothesis-generators';

/** Why the engine is calling the model (recorded on the step). */
export type ModelPurpose = 'propose' | 'plan' | 'interpret' | 'summarize';

/**
 * Calls the model through the engine: redacts secrets from every message, charges the budget before the
 * call (tokens reserved, unused part refunded), records a `model.generate` step. Resolves `undefined` when
 * the budget refuses the call or the call fails (the failure is recorded as a step error).
 */
export type ModelCaller = <Output>(
  request: Omit<GenerateRequest<Output>, 'signal'>,
  options: { purpose: ModelPurpose; hypothesis?: string },
) => Promise<GenerateResult<Output> | undefined>;

/** A tool call the model planned for a hypothesis. */
export interface PlannedToolCall {
  /** The tool's name (one of the tools offered). */
  tool: string;
  /** Its input (validated against the tool's schema by the engine before it runs). */
  input: JsonValue;
  /** Why this call tests the hypothesis. */
  reason: string;
}

/** What the model read in a tool's output about a hypothesis. */
export interface ModelInterpretation {
  /** What the output says about the hypothesis. */
  verdict: 'supports' | 'refutes' | 'neutral';
  /** How strongly, as a likelihood ratio (the engine clamps it to [0.25, 4]: a model reading is one voice among many). */
  likelihoodRatio: number;
  /** One sentence: what in the output supports the verdict. */
  reason: string;
}

/**
 * Model-driven reasoning the engine combines with its built-in reasoning: the built-in candidates stay, the
 * model adds candidates, plans tool calls for hypotheses and reads raw tool output. Everything it returns is
 * data: the engine validates it, and nothing a model says can apply a change.
 */
export interface ModelReasoner {
  /** Proposes extra candidate causes from the scope. */
  propose(scope: InvestigationScope, call: ModelCaller): Promise<HypothesisProposal[]>;
  /** Chooses tool calls that would test a hypothesis. */
  plan(
    hypothesis: Hypothesis,
    tools: readonly ModelToolDefinition[],
    scope: InvestigationScope,
    call: ModelCaller,
  ): Promise<PlannedToolCall[]>;
  /** Reads one tool output (already truncated to its share of the budget) as evidence about a hypothesis. */
  interpret(
    hypothesis: Hypothesis,
    tool: string,
    output: string,
    call: ModelCaller,
  ): Promise<ModelInterpretation | undefined>;
}
