import {
  type AttemptOutcome,
  type CallContext,
  ConnectorError,
  describeCause,
  type FetchFunction,
  formatInputIssues,
  InvalidInputError,
  isRetryableStatus,
  parseRetryAfter,
  type RandomSource,
  type RetryPolicy,
  redactSecrets,
  retryWithBackoff,
  type Sleep,
  throwIfAborted,
  toInputIssues,
} from '@aisre/core';
import { z } from 'zod';
import { moduleName } from './module-name';

/** Everything an API call needs, resolved once from the options. */
export interface PrometheusHttpSettings {
  /** The connector's name, for errors. */
  connector: string;
  /** The API root, without credentials or trailing slash. */
  baseURL: string;
  /** Headers sent with every request (authorization included). */
  headers: Readonly<Record<string, string>>;
  /** What to tell the user when the server refuses the credentials. */
  credentialsHint: string;
  /** Per-attempt timeout, milliseconds. */
  timeoutMs: number;
  /** Retries of transient failures. */
  retry: RetryPolicy;
  /** The `fetch` to call. */
  fetch: FetchFunction;
  /** Waits between attempts. */
  sleep: Sleep;
  /** Backoff jitter. */
  random: RandomSource;
}

/** One `GET` of the HTTP API. */
export interface ApiRequest {
  /** The path after the base URL, e.g. `/api/v1/query`. */
  path: string;
  /** Query parameters, in order (repeated names allowed, as `match[]`). */
  params: readonly (readonly [string, string])[];
  /** What is being done, for messages: `metrics.range`, `tool prometheus_query`. */
  operation: string;
  /** True when a 400 / 422 answer means the caller's query was bad (PromQL from a model or a user). */
  userQuery?: boolean;
}

const envelopeSchema = z.looseObject({
  status: z.string(),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});

const statusHints: Readonly<Record<number, string>> = {
  404: 'check the base URL (it must be the root that /api/v1/query is appended to, e.g. http://host:9090 or, for VictoriaMetrics cluster, http://vmselect:8481/select/0/prometheus)',
  405: 'check the base URL: the server does not take this request',
  408: 'the server timed out: try again',
  429: 'rate limited: try again later or lower the query rate',
  503: 'the server is unavailable or the query was aborted: try again, or narrow the query',
};

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return redactSecrets(flat.length > 300 ? `${flat.slice(0, 300)}…` : flat);
}

function serverError(text: string): { errorType?: string; error?: string } {
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { errorType: parsed.data.errorType, error: parsed.data.error };
  } catch {
    // not JSON: the raw text is the explanation
  }
  return text.trim() === '' ? {} : { error: text };
}

function urlOf(settings: PrometheusHttpSettings, request: ApiRequest): string {
  const search = new URLSearchParams(
    request.params.map(([name, value]): [string, string] => [name, value]),
  ).toString();
  return `${settings.baseURL}${request.path}${search ? `?${search}` : ''}`;
}

function statusFailure(
  settings: PrometheusHttpSettings,
  request: ApiRequest,
  response: Response,
  text: string,
): { error: Error; retryable: boolean } {
  const status = response.status;
  const said = serverError(text);
  const explanation = said.error ? ` (the server said: ${snippet(said.error)})` : '';
  const where = `${settings.baseURL}${request.path}`;
  if ((status === 400 || status === 422) && request.userQuery) {
    return {
      error: new InvalidInputError(
        `${moduleName}: ${request.operation}: Prometheus rejected the query${said.errorType ? ` (${said.errorType})` : ''}: ${snippet(said.error ?? text)}: fix the PromQL`,
        { issues: [{ path: ['query'], message: snippet(said.error ?? text) }] },
      ),
      retryable: false,
    };
  }
  const hint =
    status === 401 || status === 403
      ? settings.credentialsHint
      : (statusHints[status] ??
        (status >= 500 ? 'the server failed: try again later' : 'check the request and the base URL'));
  const retryable = isRetryableStatus(status) && status !== 409;
  return {
    error: new ConnectorError(
      settings.connector,
      `${moduleName}: ${request.operation}: ${where} answered ${status}${response.statusText ? ` ${response.statusText}` : ''}: ${hint}${explanation}`,
      { isRetryable: retryable },
    ),
    retryable,
  };
}

async function attemptOnce(
  settings: PrometheusHttpSettings,
  request: ApiRequest,
  context: CallContext,
): Promise<AttemptOutcome<unknown>> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(context.signal.reason);
  context.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('the Prometheus call timed out', 'TimeoutError'));
  }, settings.timeoutMs);
  const where = `${settings.baseURL}${request.path}`;
  try {
    let response: Response;
    let text: string;
    try {
      response = await settings.fetch(urlOf(settings, request), {
        method: 'GET',
        headers: { accept: 'application/json', ...settings.headers },
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (context.signal.aborted) throwIfAborted(context.signal, `${moduleName}: ${request.operation}`);
      if (timedOut) {
        // A server that accepts and never answers: not retried, the next attempt would hang as long.
        throw new ConnectorError(
          settings.connector,
          `${moduleName}: ${request.operation}: no answer from ${where} within ${settings.timeoutMs} ms: check the server, narrow the query or raise timeoutMs`,
          { isRetryable: true, cause: error },
        );
      }
      const failure = new ConnectorError(
        settings.connector,
        `${moduleName}: ${request.operation}: cannot reach ${where}: ${describeCause(error)}: check PROMETHEUS_URL (or baseURL) and that the server is up`,
        { isRetryable: true, cause: error },
      );
      return { ok: false, error: failure, retryable: true };
    }
    if (!response.ok) {
      const failure = statusFailure(settings, request, response, text);
      return {
        ok: false,
        ...failure,
        retryAfterMs: parseRetryAfter(response.headers, context.clock.now()),
      };
    }
    return { ok: true, value: parseJsonBody(settings, request, text, response.status) };
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', onAbort);
  }
}

function parseJsonBody(settings: PrometheusHttpSettings, request: ApiRequest, text: string, status: number) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ConnectorError(
      settings.connector,
      `${moduleName}: ${request.operation}: ${settings.baseURL}${request.path} answered ${status} with a body that is not JSON ("${snippet(text)}"): check that the base URL points at the Prometheus HTTP API`,
      { cause: error },
    );
  }
  return body;
}

/**
 * `GET`s an endpoint of the Prometheus HTTP API and returns its `data`, validated with `schema`.
 * Retries 408, 429, 5xx and network errors with backoff (honouring `Retry-After`); an attempt that times out
 * is not retried. Throws a `ConnectorError` for error answers and malformed bodies, an `InvalidInputError`
 * when the server rejects a user's query, and a `CancelledError` when `context.signal` aborts.
 *
 * @param settings - base URL, headers, timeout, retries
 * @param request - path, parameters and what the call is for
 * @param schema - the minimal schema of `data`
 * @param context - the call's signal, logger and clock
 */
export async function getApiData<Schema extends z.ZodType>(
  settings: PrometheusHttpSettings,
  request: ApiRequest,
  schema: Schema,
  context: CallContext,
): Promise<z.output<Schema>> {
  throwIfAborted(context.signal, `${moduleName}: ${request.operation}`);
  const body = await retryWithBackoff(() => attemptOnce(settings, request, context), settings.retry, {
    sleep: settings.sleep,
    random: settings.random,
    signal: context.signal,
    module: `${moduleName}: ${request.operation}`,
    onRetry: (retry) =>
      context.logger.debug(`${moduleName}: retrying ${request.operation}`, {
        retry: retry.retryNumber,
        delayMs: retry.delayMs,
        error: retry.error.message,
      }),
  });
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success || envelope.data.status !== 'success') {
    const said = envelope.success ? envelope.data.error : undefined;
    throw new ConnectorError(
      settings.connector,
      `${moduleName}: ${request.operation}: ${settings.baseURL}${request.path} did not answer a Prometheus API success${said ? ` (the server said: ${snippet(said)})` : ''}: check that the base URL points at the Prometheus HTTP API`,
    );
  }
  for (const warning of envelope.data.warnings ?? [])
    context.logger.warn(`${moduleName}: ${request.operation}: the server warned: ${snippet(warning)}`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new ConnectorError(
      settings.connector,
      `${moduleName}: ${request.operation}: ${settings.baseURL}${request.path} answered an unexpected shape (${formatInputIssues(toInputIssues(data.error))}): check that the server speaks the Prometheus HTTP API`,
      { cause: data.error },
    );
  }
  return data.data;
}
