import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { defaultPriceTable } from './model-prices';
import { resolveBaseURL, resolveProviderRuntime, settingFrom } from './provider-settings';
import { defaultRetryPolicy } from './retry-with-backoff';

describe('settingFrom', () => {
  it('takes the option, then the environment variable; blank counts as unset', () => {
    expect(settingFrom('option', { KEY: 'env' }, 'KEY')).toBe('option');
    expect(settingFrom(undefined, { KEY: ' env ' }, 'KEY')).toBe('env');
    expect(settingFrom('', { KEY: '' }, 'KEY')).toBeUndefined();
  });
});

describe('resolveBaseURL', () => {
  const setting = { module: 'llm-test', variable: 'TEST_BASE_URL', fallback: 'https://api.example.com/v1' };
  it('uses the option, the variable or the default, without trailing slashes', () => {
    expect(resolveBaseURL({ ...setting, option: 'http://localhost:8000/v1/', environment: {} })).toEqual({
      baseURL: 'http://localhost:8000/v1',
      host: 'localhost',
    });
    expect(
      resolveBaseURL({ ...setting, option: undefined, environment: { TEST_BASE_URL: 'http://x:1' } }).host,
    ).toBe('x');
    expect(resolveBaseURL({ ...setting, option: undefined, environment: {} }).baseURL).toBe(setting.fallback);
  });
  it('refuses what is not an http(s) URL, naming the variable', () => {
    expect(() => resolveBaseURL({ ...setting, option: 'localhost:11434', environment: {} })).toThrow(
      InvalidInputError,
    );
    expect(() => resolveBaseURL({ ...setting, option: 'not a url', environment: {} })).toThrow(
      'llm-test: the base URL "not a url" is not an http(s) URL: set TEST_BASE_URL or pass baseURL, e.g. https://api.example.com/v1',
    );
  });
});

describe('resolveProviderRuntime', () => {
  it('applies the defaults and merges retry and prices over them', () => {
    const runtime = resolveProviderRuntime({
      headers: { 'X-Team': 'sre' },
      retry: { maxRetries: 5 },
      prices: { local: { inputUsdPerMillionTokens: 0, outputUsdPerMillionTokens: 0 } },
      env: { A: 'b' },
    });
    expect(runtime.headers).toEqual({ 'x-team': 'sre' });
    expect(runtime.timeoutMs).toBe(120_000);
    expect(runtime.retry).toEqual({ ...defaultRetryPolicy, maxRetries: 5 });
    expect(runtime.prices['gpt-4o']).toEqual(defaultPriceTable['gpt-4o']);
    expect(runtime.prices.local).toBeDefined();
    expect(runtime.environment).toEqual({ A: 'b' });
    expect(runtime.random()).toBeGreaterThanOrEqual(0);
  });
});
