/**
 * `@aisre/llm-anthropic`: a `LanguageModel` on the Anthropic Messages API, with tool use, structured
 * output through a forced tool, retries, timeouts, usage and cost.
 *
 * @module
 */
export { createAnthropicModel } from './anthropic-model';
export type { AnthropicModelOptions } from './types';
