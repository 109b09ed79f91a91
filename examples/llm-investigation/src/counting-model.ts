import type { GenerateRequest, GenerateResult, LanguageModel, ModelUsage } from '@aisre/core';

/** A model that counts its calls and adds up their token use. */
export interface CountingModel extends LanguageModel {
  /** Calls made, failed ones included. */
  readonly calls: number;
  /** Calls that failed. */
  readonly failures: number;
  /** Token use and cost of the calls that succeeded. */
  readonly usage: Required<ModelUsage>;
}

/**
 * Wraps a model to count what goes through it, whatever the engine does with it.
 *
 * @param model - the model to wrap
 */
export function countingModel(model: LanguageModel): CountingModel {
  const usage: Required<ModelUsage> = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let calls = 0;
  let failures = 0;
  return {
    name: model.name,
    get calls() {
      return calls;
    },
    get failures() {
      return failures;
    },
    get usage() {
      return { ...usage };
    },
    async generate<Output>(request: GenerateRequest<Output>): Promise<GenerateResult<Output>> {
      calls += 1;
      try {
        const result = await model.generate(request);
        usage.inputTokens += result.usage.inputTokens;
        usage.outputTokens += result.usage.outputTokens;
        usage.costUsd += result.usage.costUsd ?? 0;
        return result;
      } catch (error) {
        failures += 1;
        throw error;
      }
    },
  };
}
