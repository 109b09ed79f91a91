import { type AisreError, type CallContext, ConnectorError, throwIfAborted } from '@aisre/core';
import { Redis } from 'ioredis';
import type { ConnectionSettings } from './connection-settings';
import { type ErrorScope, isClosedConnectionError, toConnectorError } from './redis-errors';
import type { RedisClient, RedisClientFactory } from './types';

/**
 * One connection to one Redis server, opened on first use. Each call makes one attempt: it connects when
 * there is no ready connection (no background reconnects, no queue of commands while disconnected), runs the
 * command under the command deadline and the caller's signal, and reports any failure as a `ConnectorError`.
 */
export interface RedisSession {
  /** The connection's identity in messages. */
  readonly scope: ErrorScope;
  /**
   * Sends one command and resolves with its reply.
   *
   * @param what - the command as messages name it (`INFO`, `CONFIG GET`)
   * @param parts - the command and its arguments
   * @param context - the call's signal
   */
  send(what: string, parts: readonly [string, ...string[]], context: CallContext): Promise<unknown>;
  /** Closes the connection; later calls fail. */
  close(): Promise<void>;
}

/** The default client: ioredis. */
export const createIoredisClient: RedisClientFactory = (options) => new Redis(options);

/**
 * Settles with `work`, or rejects when the deadline (if any) passes (with `onDeadline()`) or the signal aborts
 * (with a `CancelledError`), whichever comes first. `work` keeps a handler either way, so a late failure is never
 * unhandled.
 */
function bounded<Value>(
  work: Promise<Value>,
  deadlineMs: number | undefined,
  signal: AbortSignal,
  what: string,
  onDeadline: () => Error,
): Promise<Value> {
  return new Promise<Value>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () =>
      finish(() => {
        try {
          throwIfAborted(signal, what);
        } catch (error) {
          reject(error);
        }
      });
    const timer =
      deadlineMs === undefined ? undefined : setTimeout(() => finish(() => reject(onDeadline())), deadlineMs);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/**
 * Creates a {@link RedisSession}.
 *
 * @param settings - the connection settings
 * @param createClient - makes the client (ioredis by default)
 */
export function createRedisSession(
  settings: ConnectionSettings,
  createClient: RedisClientFactory = createIoredisClient,
): RedisSession {
  const scope: ErrorScope = {
    connector: settings.name,
    address: settings.address,
    password: settings.password,
  };
  let client: RedisClient | undefined;
  let connecting: Promise<void> | undefined;
  let lastError: Error | undefined;
  let closed = false;

  /** Drops a connection that can no longer be trusted (timed out); the next call opens a fresh one. */
  const discard = (stale: RedisClient) => {
    stale.disconnect();
    if (client === stale) {
      client = undefined;
      connecting = undefined;
    }
  };

  const currentClient = (): RedisClient => {
    if (client) return client;
    const created = createClient({ ...settings.clientOptions });
    // Connection errors arrive as events as well as rejections: keep the latest for the message, and
    // never leave an `error` event unhandled.
    created.on('error', (error: Error) => {
      if (client === created) lastError = error;
    });
    client = created;
    return created;
  };

  const open = (current: RedisClient): Promise<void> => {
    lastError = undefined;
    let attempt: Promise<void>;
    try {
      attempt = Promise.resolve(current.connect());
    } catch (error) {
      attempt = Promise.reject(error);
    }
    const never = new AbortController().signal;
    const opening = bounded(attempt, settings.connectTimeoutMs, never, 'connector-redis: connect', () => {
      discard(current);
      return new ConnectorError(
        scope.connector,
        `connector-redis: connecting to ${scope.address} took longer than ${settings.connectTimeoutMs} ms: check the server is up and reachable and that it speaks Redis (rediss:// for TLS), or raise connectTimeoutMs`,
        { isRetryable: true },
      );
    })
      .catch((error: unknown) => {
        // ioredis rejects a failed handshake with a generic "Connection is closed"; the `error` event before it
        // carries the reason (WRONGPASS, ECONNREFUSED, …).
        const reason =
          ConnectorError.isInstance(error) || !isClosedConnectionError(error) ? error : (lastError ?? error);
        throw toConnectorError(reason, 'connecting', 'connect', scope);
      })
      .finally(() => {
        if (connecting === opening) connecting = undefined;
      });
    connecting = opening;
    return opening;
  };

  const ready = async (context: CallContext, what: string): Promise<RedisClient> => {
    if (closed) {
      throw new ConnectorError(
        scope.connector,
        `connector-redis: ${what} after close(): the connector to ${scope.address} is closed, create a new one`,
      );
    }
    const current = currentClient();
    if (current.status === 'ready') return current;
    const opening = connecting ?? open(current);
    // The attempt has its own deadline; the caller's signal only stops this call from waiting for it.
    await bounded(
      opening,
      undefined,
      context.signal,
      `connector-redis: ${what}`,
      () => new Error('unreachable'),
    );
    return current;
  };

  return {
    scope,
    async send(what, parts, context) {
      const label = `connector-redis: ${what}`;
      throwIfAborted(context.signal, label);
      const current = await ready(context, what);
      throwIfAborted(context.signal, label);
      const [command, ...args] = parts;
      let reply: Promise<unknown>;
      try {
        reply = Promise.resolve(current.call(command, ...args));
      } catch (error) {
        reply = Promise.reject(error);
      }
      try {
        return await bounded(reply, settings.commandTimeoutMs, context.signal, label, () => {
          discard(current);
          return new ConnectorError(
            scope.connector,
            `connector-redis: ${what} on ${scope.address} got no answer within ${settings.commandTimeoutMs} ms: the server may be blocked (a slow script or command, a fork, swapping) or overloaded; try again, or raise commandTimeoutMs`,
            { isRetryable: true },
          );
        });
      } catch (error) {
        // A command on a connection that just died gets a generic error; the `error` event has the reason
        // (a protocol error, a reset).
        const reason = isClosedConnectionError(error) && lastError ? lastError : error;
        throw toConnectorError(reason, what, 'command', scope) as AisreError;
      }
    },
    async close() {
      closed = true;
      const current = client;
      client = undefined;
      connecting = undefined;
      current?.disconnect();
    },
  };
}
