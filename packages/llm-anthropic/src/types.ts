import type { ProviderModelOptions } from '@aisre/core';

/**
 * Options of {@link createAnthropicModel}. Each setting comes from its option first, then from its
 * environment variable, then from its default. The shared options (`timeoutMs`, `retry`, `prices`,
 * `budget`, `fetch`, `sleep`, `random`, `clock`, `env`, `headers`) are those of every adapter.
 */
export interface AnthropicModelOptions extends ProviderModelOptions {
  /** The API key, sent as `x-api-key`. Env `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** The API root, without `/v1`. Env `ANTHROPIC_BASE_URL`. Default `https://api.anthropic.com`. */
  baseURL?: string;
  /** The model. Env `ANTHROPIC_MODEL`. Default `claude-sonnet-4-5`. */
  model?: string;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
  /**
   * `max_tokens` (required by the API) for requests without `maxOutputTokens`; also what a budget
   * reserves for them. Default 4096.
   */
  maxOutputTokens?: number;
}
