import {
  type ProviderRuntime,
  parseWith,
  providerModelOptionsShape,
  resolveBaseURL,
  resolveProviderRuntime,
  settingFrom,
} from '@aisre/core';
import { z } from 'zod';
import type { AnthropicModelOptions } from './types';

/** The package name that starts every message. */
export const moduleName = 'llm-anthropic';

/** Everything a call needs, resolved once from options, environment and defaults. */
export interface AnthropicSettings extends ProviderRuntime {
  /** The API key, if any. */
  apiKey: string | undefined;
  /** True for Anthropic's own host, which refuses calls without a key. */
  requiresApiKey: boolean;
  /** The API root without a trailing slash. */
  baseURL: string;
  /** The model name sent. */
  model: string;
  /** The Messages URL. */
  url: string;
  /** `max_tokens` when the request sets none. */
  maxOutputTokens: number;
}

const optionsSchema = z.strictObject({
  ...providerModelOptionsShape,
  apiKey: z.string().optional(),
  baseURL: z.string().optional(),
  model: z.string().min(1).optional(),
  anthropicVersion: z.string().min(1).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
});

/**
 * Resolves the options: each from its option, then its environment variable, then its default.
 * Throws an `InvalidInputError` for unknown or malformed options.
 */
export function resolveAnthropicSettings(options: AnthropicModelOptions): AnthropicSettings {
  parseWith(optionsSchema, options, `${moduleName}: options`);
  const runtime = resolveProviderRuntime(options);
  const { baseURL, host } = resolveBaseURL({
    module: moduleName,
    option: options.baseURL,
    variable: 'ANTHROPIC_BASE_URL',
    environment: runtime.environment,
    fallback: 'https://api.anthropic.com',
  });
  const apiKey = settingFrom(options.apiKey, runtime.environment, 'ANTHROPIC_API_KEY');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': options.anthropicVersion ?? '2023-06-01',
  };
  if (apiKey) headers['x-api-key'] = apiKey;
  return {
    ...runtime,
    headers: { ...headers, ...runtime.headers },
    apiKey,
    requiresApiKey: host === 'api.anthropic.com',
    baseURL,
    model: settingFrom(options.model, runtime.environment, 'ANTHROPIC_MODEL') ?? 'claude-sonnet-4-5',
    url: `${baseURL}/v1/messages`,
    maxOutputTokens: options.maxOutputTokens ?? 4096,
  };
}
