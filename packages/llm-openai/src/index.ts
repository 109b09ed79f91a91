/**
 * `@aisre/llm-openai`: a `LanguageModel` on the OpenAI-compatible Chat Completions API (OpenAI, Azure
 * OpenAI, vLLM, Ollama, LM Studio), with tool calls, JSON-schema structured output, retries, timeouts,
 * usage and cost.
 *
 * @module
 */
export { createOpenAIModel } from './openai-model';
export type { OpenAIMaxTokensParameter, OpenAIModelOptions } from './types';
