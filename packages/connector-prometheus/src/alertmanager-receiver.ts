import {
  AisreError,
  type Connector,
  InvalidInputError,
  parseWith,
  providerModelOptionsShape,
  type Signal,
  silentLogger,
  systemClock,
  throwIfAborted,
  windowQuerySchema,
} from '@aisre/core';
import { z } from 'zod';
import { convertWebhook } from './alertmanager-webhook';
import { moduleName } from './module-name';
import { functionSchema, mappingOptionsShape, resolveMapping } from './prometheus-settings';
import type {
  AlertmanagerReceiver,
  AlertmanagerReceiverOptions,
  WebhookReceipt,
  WebhookRequest,
  WebhookResponse,
} from './types';

const objectSchema = providerModelOptionsShape.clock;
const optionsSchema = z.strictObject({
  ...mappingOptionsShape,
  source: z.string().min(1).optional(),
  onSignal: functionSchema,
  memory: z.number().int().positive().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  bearerToken: z.string().min(1).optional(),
  logger: objectSchema,
  clock: objectSchema,
});

class PayloadTooLarge extends Error {}

async function readBody(request: WebhookRequest, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const encoder = new TextEncoder();
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw new PayloadTooLarge();
    chunks.push(bytes);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}

function reply(
  response: WebhookResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function errorBody(error: AisreError) {
  return {
    error: {
      ...error.toJSON(),
      ...(InvalidInputError.isInstance(error) ? { issues: error.issues } : {}),
    },
  };
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Creates an Alertmanager webhook receiver for a host to mount on its HTTP server: payloads (version 4)
 * become signals, firing and resolved; each new one goes to `onSignal` and to subscribers, once: a
 * re-delivery (same fingerprint, start and status) is recognised and not passed on again.
 *
 * ```ts
 * const receiver = createAlertmanagerReceiver({ onSignal: (signal) => awareness.handle(signal) });
 * http.createServer(receiver.handle).listen(9095);
 * ```
 *
 * @param options - mapping, callback, deduplication memory, body limit, token
 * @throws InvalidInputError for malformed options
 */
export function createAlertmanagerReceiver(options: AlertmanagerReceiverOptions = {}): AlertmanagerReceiver {
  parseWith(optionsSchema, options, `${moduleName}: receiver options`);
  const settings = { source: options.source ?? 'alertmanager', ...resolveMapping(options) };
  const memory = options.memory ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const seen = new Map<string, Signal>();
  const listeners = new Set<(signal: Signal) => void>();

  function remember(key: string, signal: Signal): void {
    seen.set(key, signal);
    while (seen.size > memory) {
      const oldest = seen.keys().next().value;
      if (oldest === undefined) break;
      seen.delete(oldest);
    }
  }

  async function deliver(signal: Signal): Promise<void> {
    try {
      await options.onSignal?.(signal);
    } catch (error) {
      logger.warn(`${moduleName}: receiver: onSignal failed for ${signal.id}: ${String(error)}`);
    }
    for (const listener of listeners) {
      try {
        listener(signal);
      } catch (error) {
        logger.warn(`${moduleName}: receiver: a subscriber failed for ${signal.id}: ${String(error)}`);
      }
    }
  }

  async function receive(body: unknown): Promise<WebhookReceipt> {
    const receivedAt = clock.now();
    const conversion = convertWebhook(body, settings);
    if (conversion.truncatedAlerts > 0)
      logger.warn(
        `${moduleName}: receiver: Alertmanager left ${conversion.truncatedAlerts} alerts out of a payload: raise max_alerts`,
      );
    const accepted: Signal[] = [];
    const duplicates: Signal[] = [];
    for (const signal of conversion.signals) {
      const key = `${signal.fingerprint}|${signal.at}|${signal.status}`;
      if (seen.has(key)) {
        duplicates.push(signal);
        continue;
      }
      remember(key, signal);
      accepted.push(signal);
      await deliver(signal);
    }
    for (const problem of conversion.problems) logger.warn(`${moduleName}: receiver: ${problem.message}`);
    return { receivedAt, accepted, duplicates, problems: conversion.problems };
  }

  async function handle(request: WebhookRequest, response: WebhookResponse): Promise<void> {
    try {
      if (request.method !== 'POST') {
        reply(
          response,
          405,
          {
            error: {
              code: 'invalid-input',
              message: `${moduleName}: the receiver takes POST, not ${request.method}`,
            },
          },
          { allow: 'POST' },
        );
        return;
      }
      if (options.bearerToken && header(request, 'authorization') !== `Bearer ${options.bearerToken}`) {
        reply(response, 401, {
          error: {
            code: 'invalid-input',
            message: `${moduleName}: wrong or missing bearer token: set http_config.authorization.credentials in the webhook config`,
          },
        });
        return;
      }
      let text: string;
      try {
        text = await readBody(request, maxBodyBytes);
      } catch (error) {
        if (!(error instanceof PayloadTooLarge)) throw error;
        // The rest of the body is not read: the connection cannot carry another request.
        reply(
          response,
          413,
          {
            error: {
              code: 'invalid-input',
              message: `${moduleName}: the body is larger than ${maxBodyBytes} bytes: raise maxBodyBytes or lower max_alerts`,
            },
          },
          { connection: 'close' },
        );
        return;
      }
      const receipt = await receive(text);
      const counts = {
        accepted: receipt.accepted.length,
        duplicates: receipt.duplicates.length,
        problems: receipt.problems,
      };
      if (receipt.problems.length === 0) {
        reply(response, 200, counts);
        return;
      }
      const error = new InvalidInputError(
        `${moduleName}: ${receipt.problems.length} alerts of the payload are invalid (the other ${receipt.accepted.length + receipt.duplicates.length} were received): ${receipt.problems.map((problem) => problem.message).join('; ')}`,
        {
          issues: receipt.problems.map((problem) => ({
            path: problem.index === undefined ? [] : ['alerts', problem.index],
            message: problem.message,
          })),
        },
      );
      reply(response, 400, { ...errorBody(error), ...counts });
    } catch (error) {
      if (InvalidInputError.isInstance(error)) {
        logger.warn(error.message);
        reply(response, 400, errorBody(error));
        return;
      }
      const failure = AisreError.isInstance(error)
        ? error
        : new AisreError('internal', `${moduleName}: receiver failed: ${String(error)}`, { cause: error });
      logger.error(failure.message);
      reply(response, 500, errorBody(failure));
    }
  }

  function subscribe(
    listener: (signal: Signal) => void,
    subscription: { signal?: AbortSignal } = {},
  ): () => void {
    listeners.add(listener);
    const stop = () => {
      listeners.delete(listener);
      subscription.signal?.removeEventListener('abort', stop);
    };
    if (subscription.signal?.aborted) stop();
    else subscription.signal?.addEventListener('abort', stop, { once: true });
    return stop;
  }

  return {
    handle,
    receive,
    subscribe,
    connector(name = 'alertmanager') {
      const connector: Connector = {
        name,
        tools: [],
        capabilities: {
          signals: {
            async list(query, context) {
              throwIfAborted(context.signal, `${moduleName}: receiver signals.list`);
              const { start, end, entity } = parseWith(
                windowQuerySchema,
                query,
                `${moduleName}: receiver signals.list query`,
              );
              // A firing alert lasts until its resolution arrives; a resolved one until its `endsAt`.
              return [...seen.values()]
                .filter((signal) => {
                  const at = Date.parse(signal.at);
                  const until =
                    signal.status === 'resolved' && typeof signal.payload.endsAt === 'string'
                      ? Date.parse(signal.payload.endsAt)
                      : Number.POSITIVE_INFINITY;
                  return at <= end && until >= start && (!entity || signal.entity === entity);
                })
                .sort(
                  (left, right) =>
                    Date.parse(left.at) - Date.parse(right.at) || (left.id < right.id ? -1 : 1),
                )
                .map((signal) => structuredClone(signal));
            },
            subscribe,
          },
        },
      };
      return connector;
    },
  };
}
