import {
  defaultRetryPolicy,
  InvalidInputError,
  type Labels,
  parseWith,
  processEnvironment,
  providerModelOptionsShape,
  settingFrom,
  systemRandom,
  timerSleep,
} from '@aisre/core';
import { z } from 'zod';
import { createEntityMapper } from './entity-mapping';
import { moduleName } from './module-name';
import type { PrometheusHttpSettings } from './prometheus-http';
import { createSeverityMapper, type SeverityMapper } from './severity-mapping';
import type { EntityMapper, PrometheusConnectorOptions, PrometheusMappingOptions } from './types';

/** Everything the connector needs, resolved once from options, environment and defaults. */
export interface PrometheusSettings {
  /** HTTP settings. */
  http: PrometheusHttpSettings;
  /** The connector's name. */
  name: string;
  /** Labels ↔ entities. */
  entities: EntityMapper;
  /** Alert labels → severity. */
  severityOf: SeverityMapper;
  /** The scrape interval, for rate windows. */
  scrapeIntervalMs: number;
  /** Most points per series. */
  maxPoints: number;
  /** How far back listings look. */
  listLookbackMs: number;
  /** Most series a listing reads. */
  maxSeries: number;
  /** Labels Prometheus adds to alerts sent to Alertmanager. */
  externalLabels: Labels;
}

/** An option that must be a function (callbacks, injected `fetch`, `sleep`, `random`). */
export const functionSchema = providerModelOptionsShape.fetch;
const severity = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);

/** The strict schema of the mapping options (shared by the connector and the webhook receiver). */
export const mappingOptionsShape = {
  entities: z
    .strictObject({
      entityLabel: z.string().min(1).nullable().optional(),
      templates: z.array(z.string().min(3)).min(1).optional(),
    })
    .optional(),
  severity: z
    .strictObject({
      label: z.string().min(1).optional(),
      values: z.record(z.string(), severity).optional(),
      fallback: severity.optional(),
    })
    .optional(),
};

const optionsSchema = z.strictObject({
  ...mappingOptionsShape,
  baseURL: z.string().optional(),
  bearerToken: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  headers: providerModelOptionsShape.headers,
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')
    .optional(),
  timeoutMs: providerModelOptionsShape.timeoutMs,
  retry: providerModelOptionsShape.retry,
  scrapeIntervalMs: z.number().positive().optional(),
  maxPoints: z.number().int().min(2).max(11_000).optional(),
  listLookbackMs: z.number().positive().optional(),
  maxSeries: z.number().int().positive().optional(),
  externalLabels: z.record(z.string(), z.string()).optional(),
  fetch: providerModelOptionsShape.fetch,
  sleep: providerModelOptionsShape.sleep,
  random: providerModelOptionsShape.random,
  env: providerModelOptionsShape.env,
});

/**
 * The entity and severity mappers of the mapping options.
 *
 * @param options - the `entities` and `severity` options
 */
export function resolveMapping(options: PrometheusMappingOptions): {
  entities: EntityMapper;
  severityOf: SeverityMapper;
} {
  return {
    entities: createEntityMapper(options.entities),
    severityOf: createSeverityMapper(options.severity),
  };
}

function invalid(message: string, path: string): InvalidInputError {
  return new InvalidInputError(`${moduleName}: ${message}`, { issues: [{ path: [path], message }] });
}

/** The base URL without credentials or trailing slashes, and the credentials it carried. */
function splitBaseURL(raw: string): { baseURL: string; username?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(
      `the base URL "${raw}" is not a URL: set PROMETHEUS_URL or pass baseURL, e.g. http://localhost:9090`,
      'baseURL',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(
      `the base URL "${url.protocol}//${url.host}" is not http(s): set PROMETHEUS_URL or pass baseURL`,
      'baseURL',
    );
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  if (url.search)
    throw invalid('the base URL must not have a query string: pass extra parameters as headers', 'baseURL');
  return {
    baseURL: url.toString().replace(/\/+$/, ''),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/**
 * Resolves the options: each from its option, then its environment variable, then its default. Throws an
 * `InvalidInputError` for unknown or malformed options, and when both a bearer token and basic-auth
 * credentials are set.
 *
 * @param options - the connector's options
 */
export function resolvePrometheusSettings(options: PrometheusConnectorOptions): PrometheusSettings {
  parseWith(optionsSchema, options, `${moduleName}: options`);
  const environment = options.env ?? processEnvironment();
  const fromUrl = splitBaseURL(
    settingFrom(options.baseURL, environment, 'PROMETHEUS_URL') ?? 'http://localhost:9090',
  );
  const bearerToken = settingFrom(options.bearerToken, environment, 'PROMETHEUS_BEARER_TOKEN');
  const username = settingFrom(options.username, environment, 'PROMETHEUS_USERNAME') ?? fromUrl.username;
  const password = settingFrom(options.password, environment, 'PROMETHEUS_PASSWORD') ?? fromUrl.password;
  if (bearerToken && (username || password))
    throw invalid(
      'both a bearer token and basic-auth credentials are set: keep one (PROMETHEUS_BEARER_TOKEN, or PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD)',
      'bearerToken',
    );
  if (password && !username)
    throw invalid('a password without a username: set PROMETHEUS_USERNAME or pass username', 'username');
  const headers: Record<string, string> = {};
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
  else if (username)
    headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`, 'utf8').toString('base64')}`;
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;

  const timeoutText = settingFrom(undefined, environment, 'PROMETHEUS_TIMEOUT_MS');
  const timeoutFromEnvironment = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutFromEnvironment !== undefined && !(timeoutFromEnvironment > 0))
    throw invalid(
      `PROMETHEUS_TIMEOUT_MS is "${timeoutText}": set it to a positive number of milliseconds`,
      'timeoutMs',
    );

  const name = options.name ?? 'prometheus';
  const credentialsHint = bearerToken
    ? 'the server refused the bearer token: check PROMETHEUS_BEARER_TOKEN (or bearerToken)'
    : username
      ? 'the server refused the credentials: check PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD (or username and password)'
      : 'the server wants credentials: set PROMETHEUS_BEARER_TOKEN, or PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD';
  return {
    http: {
      connector: name,
      baseURL: fromUrl.baseURL,
      headers,
      credentialsHint,
      timeoutMs: options.timeoutMs ?? timeoutFromEnvironment ?? 30_000,
      retry: { ...defaultRetryPolicy, ...options.retry },
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      sleep: options.sleep ?? timerSleep,
      random: options.random ?? systemRandom,
    },
    name,
    ...resolveMapping(options),
    scrapeIntervalMs: options.scrapeIntervalMs ?? 15_000,
    maxPoints: options.maxPoints ?? 600,
    listLookbackMs: options.listLookbackMs ?? 3_600_000,
    maxSeries: options.maxSeries ?? 20_000,
    externalLabels: { ...options.externalLabels },
  };
}
