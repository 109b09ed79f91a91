import type { Clock } from '../contracts/common';
import { CancelledError, ModelError } from '../errors/aisre-error';
import { redactSecrets } from './redact-secrets';
import {
  type AttemptOutcome,
  parseRetryAfter,
  type RandomSource,
  type RetryEnvironment,
  type RetryPolicy,
  retryWithBackoff,
  type Sleep,
} from './retry-with-backoff';

/** The `fetch` an adapter calls: the global one by default, injectable for tests and proxies. */
export type FetchFunction = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** What to tell the user to do, per HTTP status, in error messages (e.g. `401: 'set OPENAI_API_KEY'`). */
export type StatusHints = Readonly<Partial<Record<number, string>>>;

/** A JSON `POST` to a model provider, with retries, timeout and cancellation. */
export interface PostJsonRequest {
  /** The module name that starts every error message, e.g. `llm-openai`. */
  module: string;
  /** The full URL. */
  url: string;
  /** Request headers (a `content-type: application/json` is added when absent). */
  headers: Readonly<Record<string, string>>;
  /** The body, sent as JSON. */
  body: unknown;
  /** The `fetch` to call. */
  fetch: FetchFunction;
  /** How long one attempt may take, milliseconds, body included. A timed-out attempt is not retried. */
  timeoutMs?: number;
  /** Aborts the call, also while it waits to retry. */
  signal?: AbortSignal;
  /** Retries of 408, 409, 429, 5xx answers and network errors. */
  retry: RetryPolicy;
  /** Waits between attempts. */
  sleep: Sleep;
  /** Jitter source. */
  random: RandomSource;
  /** Turns a `Retry-After` HTTP date into a wait. */
  clock: Clock;
  /** What to do, per status, appended to error messages (defaults cover the common statuses). */
  statusHints?: StatusHints;
  /** Told before each retry. */
  onRetry?: RetryEnvironment['onRetry'];
}

/** A successful answer to {@link postJson}. */
export interface PostJsonResponse {
  /** The HTTP status (2xx). */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The parsed JSON body, still untrusted: validate it. */
  body: unknown;
}

const defaultStatusHints: StatusHints = {
  400: 'check the request (model name, parameters, schemas)',
  401: 'check the API key',
  403: 'check that the API key may use this model',
  404: 'check the base URL and the model name',
  408: 'the server timed out: try again',
  409: 'a conflicting request is in progress: try again',
  413: 'the request is too large: shorten the prompt',
  422: 'check the request (model name, parameters, schemas)',
  429: 'rate limited: lower the concurrency or raise the rate limit',
};

const statusTexts: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  529: 'Overloaded',
};

/** True for the statuses worth retrying: 408, 409, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return redactSecrets(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

/**
 * What a failed `fetch` says, with the network error code of its cause when there is one:
 * `fetch failed (ECONNREFUSED)`.
 *
 * @param error - what `fetch` (or reading the body) threw
 */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? code : cause.message})`;
  }
  return error.message;
}

/** The provider's own explanation in an error body: `{error:{message}}`, `{error:"…"}` or `{message}`. */
function serverMessage(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.trim() === '' ? undefined : snippet(text);
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return snippet(error);
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === 'string') return snippet(message);
  }
  if (typeof record.message === 'string') return snippet(record.message);
  if (typeof record.detail === 'string') return snippet(record.detail);
  return undefined;
}

function statusError(request: PostJsonRequest, response: Response, text: string): ModelError {
  const status = response.status;
  const statusText = statusTexts[status] ?? (response.statusText || 'Error');
  const hint =
    request.statusHints?.[status] ??
    defaultStatusHints[status] ??
    (status >= 500 ? 'the provider failed: try again later' : 'check the request');
  const said = serverMessage(text);
  return new ModelError(
    `${request.module}: ${status} ${statusText}: ${hint}${said ? ` (the server said: ${said})` : ''}`,
    { status, isRetryable: isRetryableStatus(status) },
  );
}

async function attemptOnce(request: PostJsonRequest): Promise<AttemptOutcome<PostJsonResponse>> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    request.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException('the model call timed out', 'TimeoutError'));
        }, request.timeoutMs);
  const where = redactSecrets(request.url);
  try {
    let response: Response;
    let text: string;
    try {
      const headers = { 'content-type': 'application/json', ...request.headers };
      response = await request.fetch(request.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(request.body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (timedOut) {
        throw new CancelledError(
          `${request.module}: no answer from ${where} within ${request.timeoutMs} ms: raise timeoutMs or check the server`,
          { timeout: true, cause: error },
        );
      }
      if (request.signal?.aborted) {
        throw new CancelledError(`${request.module}: cancelled`, { cause: request.signal.reason });
      }
      const failure = new ModelError(
        `${request.module}: network error calling ${where}: ${describeCause(error)}: check the base URL and that the server is reachable`,
        { isRetryable: true, cause: error },
      );
      return { ok: false, error: failure, retryable: true };
    }
    if (!response.ok) {
      const failure = statusError(request, response, text);
      const retryAfterMs = parseRetryAfter(response.headers, request.clock.now());
      return {
        ok: false,
        error: failure,
        retryable: failure.isRetryable,
        retryAfterMs,
      };
    }
    try {
      return {
        ok: true,
        value: { status: response.status, headers: response.headers, body: JSON.parse(text) },
      };
    } catch (error) {
      throw new ModelError(
        `${request.module}: ${where} answered ${response.status} with a body that is not JSON ("${snippet(text)}"): check that the base URL points at a compatible API`,
        { status: response.status, cause: error },
      );
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Sends a JSON `POST` and returns the parsed JSON answer. Retries 408, 409, 429, 5xx and network errors
 * (a body cut short included) with exponential backoff and jitter, honouring `Retry-After`.
 *
 * Throws a {@link ModelError} (with `status` and `isRetryable`) for error answers and malformed bodies,
 * and a {@link CancelledError} when `signal` aborts or an attempt times out (code `timeout`).
 *
 * @param request - the URL, headers, body and the retry, timeout and cancellation settings
 */
export function postJson(request: PostJsonRequest): Promise<PostJsonResponse> {
  return retryWithBackoff(() => attemptOnce(request), request.retry, {
    sleep: request.sleep,
    random: request.random,
    module: request.module,
    signal: request.signal,
    onRetry: request.onRetry,
  });
}
