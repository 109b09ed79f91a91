import { ConnectorError, type Logger, throwIfAborted } from '@aisre/core';
import {
  type ConnectionTarget,
  connectFailure,
  describeTarget,
  isConnectionLoss,
  moduleName,
  statementFailure,
} from './postgres-errors';
import type { PostgresClient, PostgresClientConfig, PostgresClientFactory } from './types';

/** Options of {@link PostgresSession}. */
export interface PostgresSessionOptions {
  /** The connector's name, for its errors. */
  connector: string;
  /** Where it connects, for messages. */
  target: ConnectionTarget;
  /** What the factory receives. */
  clientConfig: PostgresClientConfig;
  /** Creates the client. */
  createClient: PostgresClientFactory;
  /** The `statement_timeout` the session sets for itself (`SET`, so pg_settings still shows the server's value as `reset_val`), milliseconds. */
  statementTimeoutMs: number;
  /** Where connection events are logged. */
  logger: Logger;
  /** Told about every failed attempt to open the connection (the connector keeps them as log records). */
  onConnectFailure?: (failure: ConnectorError, cause: unknown) => void;
}

class DeadlineExpired extends Error {
  constructor(milliseconds: number) {
    super(`timed out after ${milliseconds} ms`);
    this.name = 'DeadlineExpired';
  }
}

function withDeadline<T>(work: Promise<T>, milliseconds: number, onExpire: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onExpire();
      reject(new DeadlineExpired(milliseconds));
    }, milliseconds);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Settles like `work`, or rejects with a `CancelledError` as soon as `signal` aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  throwIfAborted(signal, what);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      try {
        throwIfAborted(signal, what);
      } catch (error) {
        reject(error);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function endQuietly(client: PostgresClient, milliseconds: number): Promise<void> {
  let ending: Promise<void>;
  try {
    ending = client.end();
  } catch {
    ending = Promise.resolve();
  }
  return withDeadline(ending, milliseconds, () => client.destroy?.()).catch(() => undefined);
}

const skipped = Symbol('skipped');

/**
 * One persistent connection to PostgreSQL, shared by every reading of a connector: opened early and kept,
 * re-opened once when the server drops it, so that a saturated server (`53300 too many clients`) can still be
 * observed. Statements run one at a time, each under the session's `statement_timeout` and a client-side
 * deadline a little longer (a server that stopped answering is dropped); an aborted call returns at once with a
 * `CancelledError` while the server is asked to cancel its statement. Every failure is a `ConnectorError`.
 */
export class PostgresSession {
  readonly #options: PostgresSessionOptions;
  #client: PostgresClient | undefined;
  #connecting: Promise<PostgresClient> | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #served = new WeakSet<PostgresClient>();

  /** @param options - where to connect and how */
  constructor(options: PostgresSessionOptions) {
    this.#options = options;
  }

  /** The statement timeout, milliseconds. */
  get statementTimeoutMs(): number {
    return this.#options.statementTimeoutMs;
  }

  /** True while a connection is open. */
  get isOpen(): boolean {
    return this.#client !== undefined;
  }

  get #deadlineMs(): number {
    const timeout = this.statementTimeoutMs;
    return timeout + Math.min(10_000, Math.max(1000, timeout / 2));
  }

  get #connectDeadlineMs(): number {
    return this.#options.clientConfig.connectionTimeoutMillis + 1000;
  }

  #closedError(): ConnectorError {
    return new ConnectorError(
      this.#options.connector,
      `${moduleName}: the connector was closed: create a new one to read ${describeTarget(this.#options.target)} again`,
    );
  }

  #forget(client: PostgresClient): void {
    if (this.#client === client) this.#client = undefined;
  }

  #onLost(client: PostgresClient, error: Error | undefined): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    const reopen = !this.#closed && this.#served.has(client);
    this.#options.logger.warn(
      `${moduleName}: lost the connection to ${describeTarget(this.#options.target)}${error ? ` (${error.message})` : ''}; ${reopen ? 're-opening it' : 'the next call re-opens it'}`,
    );
    if (reopen) this.#connect().catch(() => undefined);
  }

  #connect(): Promise<PostgresClient> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#client) return Promise.resolve(this.#client);
    if (this.#connecting) return this.#connecting;
    const { connector, target, clientConfig, createClient, onConnectFailure } = this.#options;
    const attempt = (async () => {
      let created: PostgresClient | undefined;
      try {
        const client = createClient(clientConfig);
        created = client;
        client.on('error', (error) => this.#onLost(client, error));
        client.on('end', () => this.#onLost(client, undefined));
        const setUp = async () => {
          await client.connect();
          await client.query(
            `/* ${moduleName}: session-setup */ SET statement_timeout = ${Math.round(this.statementTimeoutMs)}`,
          );
        };
        await withDeadline(setUp(), this.#connectDeadlineMs, () => client.destroy?.());
      } catch (error) {
        const failure = connectFailure(connector, error, target);
        if (created) void endQuietly(created, 1000);
        onConnectFailure?.(failure, error);
        throw failure;
      }
      const client = created;
      if (this.#closed) {
        await endQuietly(client, 1000);
        throw this.#closedError();
      }
      this.#client = client;
      return client;
    })();
    this.#connecting = attempt;
    const clear = () => {
      if (this.#connecting === attempt) this.#connecting = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  /**
   * Opens the connection unless it is open.
   *
   * @param signal - stops waiting (the connection attempt goes on and is kept)
   */
  open(signal: AbortSignal = new AbortController().signal): Promise<void> {
    return abortable(
      this.#connect().then(() => undefined),
      signal,
      `${moduleName}: connect`,
    );
  }

  async #perform(text: string, values: readonly unknown[] | undefined, what: string, signal: AbortSignal) {
    const client = await this.#connect();
    const onAbort = () => {
      client.cancel?.().catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await withDeadline(client.query(text, values), this.#deadlineMs, () => {
        this.#forget(client);
        client.destroy?.();
        void endQuietly(client, 1000);
      });
      this.#served.add(client);
      if (!result || !Array.isArray(result.rows)) {
        throw new ConnectorError(
          this.#options.connector,
          `${moduleName}: reading ${what} failed: the server's answer has no rows (${typeof result}): is this a PostgreSQL server?`,
        );
      }
      return result.rows;
    } catch (error) {
      if (ConnectorError.isInstance(error)) throw error;
      if (error instanceof DeadlineExpired) {
        throw new ConnectorError(
          this.#options.connector,
          `${moduleName}: reading ${what} failed: ${describeTarget(this.#options.target)} did not answer within ${this.#deadlineMs} ms (statement timeout ${this.statementTimeoutMs} ms); the connection was dropped and is re-opened on the next call`,
          { cause: error, isRetryable: true },
        );
      }
      if (isConnectionLoss(error)) this.#forget(client);
      throw statementFailure(this.#options.connector, what, error, this.statementTimeoutMs);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs one statement and returns its rows (unvalidated: callers parse them).
   *
   * @param text - the SQL
   * @param values - the parameters, bound to `$1`, `$2`, …
   * @param what - what is read, for messages (`pg_stat_activity`)
   * @param signal - aborts the call (and asks the server to cancel the statement)
   */
  query(
    text: string,
    values: readonly unknown[] | undefined,
    what: string,
    signal: AbortSignal,
  ): Promise<unknown[]> {
    const label = `${moduleName}: ${what}`;
    throwIfAborted(signal, label);
    const work = this.#lock.then<unknown[] | typeof skipped>(() =>
      signal.aborted ? skipped : this.#perform(text, values, what, signal),
    );
    this.#lock = work.then(
      () => undefined,
      () => undefined,
    );
    return abortable(work, signal, label).then((rows) => {
      // The work is skipped only when the signal aborted first, and then `abortable` has rejected.
      if (rows === skipped) throw new ConnectorError(this.#options.connector, `${label}: skipped`);
      return rows;
    });
  }

  /** Closes the connection; later calls fail with a `ConnectorError`. */
  async close(): Promise<void> {
    this.#closed = true;
    const connecting = this.#connecting;
    const client = this.#client;
    this.#client = undefined;
    if (client) await endQuietly(client, 2000);
    if (connecting) {
      await connecting.then(
        (late) => endQuietly(late, 2000),
        () => undefined,
      );
    }
  }
}
