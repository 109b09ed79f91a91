import type { LanguageModel } from '@aisre/core';
import { createAnthropicModel } from '@aisre/llm-anthropic';
import { createOpenAIModel } from '@aisre/llm-openai';
import { createScriptedModel } from './scripted-model';

/** Where the model comes from: the command line first, then the environment. */
export interface ModelChoice {
  /** `--base-url`: an OpenAI-compatible server (Ollama, vLLM, LM Studio…). */
  baseURL?: string;
  /** `--model`: the model name. */
  model?: string;
  /** `--mock`: use the scripted mock even when an API key is set. */
  mock?: boolean;
  /** The environment (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The model to investigate with: an OpenAI-compatible server when `--base-url` is given, OpenAI when
 * `OPENAI_API_KEY` is set, Anthropic when `ANTHROPIC_API_KEY` is set, the scripted mock otherwise.
 *
 * @param choice - the command-line options and the environment
 */
export function chooseModel(choice: ModelChoice): LanguageModel {
  const model = choice.model ? { model: choice.model } : {};
  if (choice.mock) return createScriptedModel();
  if (choice.baseURL) return createOpenAIModel({ baseURL: choice.baseURL, ...model });
  if (choice.env.OPENAI_API_KEY) return createOpenAIModel(model);
  if (choice.env.ANTHROPIC_API_KEY) return createAnthropicModel(model);
  return createScriptedModel();
}
