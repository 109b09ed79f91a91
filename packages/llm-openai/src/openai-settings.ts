import {
  type ProviderRuntime,
  parseWith,
  providerModelOptionsShape,
  resolveBaseURL,
  resolveProviderRuntime,
  settingFrom,
} from '@aisre/core';
import { z } from 'zod';
import type { OpenAIMaxTokensParameter, OpenAIModelOptions } from './types';

/** The package name that starts every message. */
export const moduleName = 'llm-openai';

/** Everything a call needs, resolved once from options, environment and defaults. */
export interface OpenAISettings extends ProviderRuntime {
  /** The API key, if any. */
  apiKey: string | undefined;
  /** True for OpenAI's and Azure's hosts, which refuse calls without a key. */
  requiresApiKey: boolean;
  /** The API root without a trailing slash. */
  baseURL: string;
  /** The model name sent. */
  model: string;
  /** The Chat Completions URL, query included. */
  url: string;
  /** Where `maxOutputTokens` goes. */
  maxTokensParameter: OpenAIMaxTokensParameter;
  /** What a budget reserves when a request has no `maxOutputTokens`. */
  defaultMaxOutputTokens: number;
}

const optionsSchema = z.strictObject({
  ...providerModelOptionsShape,
  apiKey: z.string().optional(),
  baseURL: z.string().optional(),
  model: z.string().min(1).optional(),
  apiKeyHeader: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  queryParameters: z.record(z.string(), z.string()).optional(),
  maxTokensParameter: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  defaultMaxOutputTokens: z.number().int().positive().optional(),
});

function isAzureHost(host: string): boolean {
  return host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com');
}

/**
 * Resolves the options: each from its option, then its environment variable, then its default.
 * Throws an `InvalidInputError` for unknown or malformed options.
 */
export function resolveOpenAISettings(options: OpenAIModelOptions): OpenAISettings {
  parseWith(optionsSchema, options, `${moduleName}: options`);
  const runtime = resolveProviderRuntime(options);
  const { baseURL, host } = resolveBaseURL({
    module: moduleName,
    option: options.baseURL,
    variable: 'OPENAI_BASE_URL',
    environment: runtime.environment,
    fallback: 'https://api.openai.com/v1',
  });
  const official = host === 'api.openai.com' || isAzureHost(host);
  const apiKey = settingFrom(options.apiKey, runtime.environment, 'OPENAI_API_KEY');
  const apiKeyHeader = (
    options.apiKeyHeader ?? (isAzureHost(host) ? 'api-key' : 'authorization')
  ).toLowerCase();

  const query = new URLSearchParams(options.queryParameters);
  if (options.apiVersion) query.set('api-version', options.apiVersion);
  const search = query.toString();

  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (apiKey) headers[apiKeyHeader] = apiKeyHeader === 'authorization' ? `Bearer ${apiKey}` : apiKey;

  return {
    ...runtime,
    headers: { ...headers, ...runtime.headers },
    apiKey,
    requiresApiKey: official,
    baseURL,
    model: settingFrom(options.model, runtime.environment, 'OPENAI_MODEL') ?? 'gpt-4.1-mini',
    url: `${baseURL}/chat/completions${search ? `?${search}` : ''}`,
    maxTokensParameter: options.maxTokensParameter ?? (official ? 'max_completion_tokens' : 'max_tokens'),
    defaultMaxOutputTokens: options.defaultMaxOutputTokens ?? 4096,
  };
}
