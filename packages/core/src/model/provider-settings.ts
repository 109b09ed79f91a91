import { z } from 'zod';
import type { Budget } from '../contracts/budget';
import type { Clock } from '../contracts/common';
import { InvalidInputError } from '../errors/aisre-error';
import { systemClock } from '../runtime/call-context';
import { defaultPriceTable, type PriceTable } from './model-prices';
import type { FetchFunction } from './post-json';
import {
  defaultRetryPolicy,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
  timerSleep,
} from './retry-with-backoff';

/** Environment variables as adapters read them (`process.env` by default; injectable for tests). */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** The process's environment variables, or none where there is no `process` (browsers, edge runtimes). */
export function processEnvironment(): EnvironmentVariables {
  return (globalThis as { process?: { env?: EnvironmentVariables } }).process?.env ?? {};
}

/**
 * A setting from its option first, then its environment variable; empty strings count as unset.
 *
 * @param option - the value passed as an option
 * @param environment - the environment variables
 * @param variable - the variable's name, e.g. `OPENAI_API_KEY`
 */
export function settingFrom(
  option: string | undefined,
  environment: EnvironmentVariables,
  variable: string,
): string | undefined {
  if (option !== undefined && option.trim() !== '') return option;
  const value = environment[variable];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The jitter source adapters use by default: `Math.random`. The one place the model utilities read
 * randomness; tests inject their own.
 */
export const systemRandom: RandomSource = () => Math.random();

/** The options every model adapter takes besides its key, base URL and model. */
export interface ProviderModelOptions {
  /** Extra headers sent with every request; they override the adapter's own. */
  headers?: Record<string, string>;
  /** How long one HTTP attempt may take, milliseconds; then it fails with a `CancelledError` of code `timeout`. Default 120000. */
  timeoutMs?: number;
  /** Retries of 408, 409, 429, 5xx and network errors (honouring `Retry-After`), merged over {@link defaultRetryPolicy}. */
  retry?: Partial<RetryPolicy>;
  /** Prices (USD per million tokens) merged over {@link defaultPriceTable}, for `usage.costUsd`. */
  prices?: PriceTable;
  /**
   * A budget to charge: before each HTTP call the adapter reserves the output-token limit plus the
   * estimated input tokens, and their cost when the price is known; after the call it refunds what was
   * not used. A reservation that does not fit throws `BudgetExceededError` and nothing is sent.
   */
  budget?: Budget;
  /** The `fetch` to call. Default the global `fetch`. */
  fetch?: FetchFunction;
  /** Waits between retries. Default {@link timerSleep}. */
  sleep?: Sleep;
  /** Jitter of the backoff, in `[0, 1)`. Default {@link systemRandom}. */
  random?: RandomSource;
  /** The clock a `Retry-After` date is read against. Default the system clock. */
  clock?: Clock;
  /** Where environment variables are read. Default {@link processEnvironment}. */
  env?: EnvironmentVariables;
}

const functionSchema = z.custom<(...parameters: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'expected a function',
});
const objectSchema = z.custom<object>((value) => typeof value === 'object' && value !== null, {
  message: 'expected an object',
});

/**
 * The zod shape of {@link ProviderModelOptions}, for an adapter's strict options schema:
 * `z.strictObject({ ...providerModelOptionsShape, apiKey: z.string().optional(), … })`.
 */
export const providerModelOptionsShape = {
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().positive().optional(),
  retry: z
    .strictObject({
      maxRetries: z.number().int().nonnegative().optional(),
      initialDelayMs: z.number().nonnegative().optional(),
      maxDelayMs: z.number().nonnegative().optional(),
      maxRetryAfterMs: z.number().nonnegative().optional(),
    })
    .optional(),
  prices: z
    .record(
      z.string(),
      z.strictObject({
        inputUsdPerMillionTokens: z.number().nonnegative(),
        outputUsdPerMillionTokens: z.number().nonnegative(),
      }),
    )
    .optional(),
  budget: objectSchema.optional(),
  fetch: functionSchema.optional(),
  sleep: functionSchema.optional(),
  random: functionSchema.optional(),
  clock: objectSchema.optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
};

/** {@link ProviderModelOptions} with every default applied. */
export interface ProviderRuntime {
  /** The extra headers, names in lower case. */
  headers: Record<string, string>;
  /** Per-attempt timeout, milliseconds. */
  timeoutMs: number;
  /** The retry policy. */
  retry: RetryPolicy;
  /** Prices by model. */
  prices: PriceTable;
  /** The budget to charge, if any. */
  budget: Budget | undefined;
  /** The `fetch` to call. */
  fetch: FetchFunction;
  /** Waits between retries. */
  sleep: Sleep;
  /** Backoff jitter. */
  random: RandomSource;
  /** Reads `Retry-After` dates. */
  clock: Clock;
  /** The environment variables. */
  environment: EnvironmentVariables;
}

/**
 * Applies the defaults to the shared options: 120 s per attempt, {@link defaultRetryPolicy},
 * {@link defaultPriceTable}, the global `fetch`, real timers, `Math.random`, the system clock and `process.env`.
 *
 * @param options - the adapter's options
 */
export function resolveProviderRuntime(options: ProviderModelOptions): ProviderRuntime {
  return {
    headers: Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    timeoutMs: options.timeoutMs ?? 120_000,
    retry: { ...defaultRetryPolicy, ...options.retry },
    prices: { ...defaultPriceTable, ...options.prices },
    budget: options.budget,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    sleep: options.sleep ?? timerSleep,
    random: options.random ?? systemRandom,
    clock: options.clock ?? systemClock,
    environment: options.env ?? processEnvironment(),
  };
}

/** Where {@link resolveBaseURL} looks and what it says when the URL is wrong. */
export interface BaseURLSetting {
  /** The module that starts the message, e.g. `llm-openai`. */
  module: string;
  /** The `baseURL` option. */
  option: string | undefined;
  /** The environment variable, e.g. `OPENAI_BASE_URL`. */
  variable: string;
  /** The environment variables. */
  environment: EnvironmentVariables;
  /** The default. */
  fallback: string;
}

/**
 * The base URL from its option, its environment variable or its default, without trailing slashes, and
 * its host. Throws an {@link InvalidInputError} naming the variable when it is not an http(s) URL.
 *
 * @param setting - where to look
 */
export function resolveBaseURL(setting: BaseURLSetting): { baseURL: string; host: string } {
  const baseURL = (
    settingFrom(setting.option, setting.environment, setting.variable) ?? setting.fallback
  ).replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(baseURL);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidInputError(
      `${setting.module}: the base URL "${baseURL}" is not an http(s) URL: set ${setting.variable} or pass baseURL, e.g. ${setting.fallback}`,
    );
  }
  return { baseURL, host: url.hostname };
}
