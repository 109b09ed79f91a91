import type { ProviderModelOptions } from '@aisre/core';

/** The request field that carries the output-token limit. */
export type OpenAIMaxTokensParameter = 'max_tokens' | 'max_completion_tokens';

/**
 * Options of {@link createOpenAIModel}. Each setting comes from its option first, then from its
 * environment variable, then from its default. The shared options (`timeoutMs`, `retry`, `prices`,
 * `budget`, `fetch`, `sleep`, `random`, `clock`, `env`, `headers`) are those of every adapter.
 */
export interface OpenAIModelOptions extends ProviderModelOptions {
  /** The API key. Env `OPENAI_API_KEY`. Optional for local servers (Ollama, vLLM, LM Studio) that need none. */
  apiKey?: string;
  /**
   * The API root, up to and including `/v1`. Env `OPENAI_BASE_URL`. Default `https://api.openai.com/v1`.
   * Examples: `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM),
   * `http://localhost:1234/v1` (LM Studio), `https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT`
   * (Azure OpenAI, with `apiVersion`).
   */
  baseURL?: string;
  /** The model (for Azure, any name: the deployment picks the model). Env `OPENAI_MODEL`. Default `gpt-4.1-mini`. */
  model?: string;
  /**
   * The header that carries the key: `authorization` sends `Bearer KEY`; any other (e.g. Azure's `api-key`)
   * sends the bare key. Default `api-key` for `*.openai.azure.com` and `*.cognitiveservices.azure.com`
   * base URLs, `authorization` otherwise.
   */
  apiKeyHeader?: string;
  /** Sent as the `api-version` query parameter (Azure OpenAI, e.g. `2024-10-21`). */
  apiVersion?: string;
  /** Further query parameters added to the URL. */
  queryParameters?: Record<string, string>;
  /**
   * Where `maxOutputTokens` is sent. Default `max_completion_tokens` for OpenAI and Azure base URLs (the
   * o-series and GPT-5 refuse `max_tokens`), `max_tokens` for other servers.
   */
  maxTokensParameter?: OpenAIMaxTokensParameter;
  /**
   * The output tokens a budget reserves for a request without `maxOutputTokens` (nothing is sent then, and
   * the server's default applies). Default 4096.
   */
  defaultMaxOutputTokens?: number;
}
