import type { Clock, Connector, EntityRef, MetricSampler } from '@aisre/core';
import type { RedisOptions } from 'ioredis';

/**
 * The part of a Redis client the connector uses. An `ioredis` `Redis` instance is one; tests and hosts with
 * their own client can pass anything shaped like it through {@link RedisConnectorOptions.createClient}.
 */
export interface RedisClient {
  /** The connection state, as ioredis names it (`wait`, `connecting`, `connect`, `ready`, `close`, `end`, …). */
  readonly status: string;
  /** Opens the connection; resolves when it is ready, rejects when it fails. */
  connect(): Promise<void>;
  /** Sends one command and resolves with its reply (bulk strings as strings, integers as numbers). */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** Closes the connection at once. */
  disconnect(): void;
  /** Registers a listener for connection errors (the connector always registers one). */
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Creates the client from the connection options the connector settled on (host, port, credentials, TLS,
 * timeouts, no reconnects, no offline queue). The default is `new Redis(options)` from `ioredis`.
 */
export type RedisClientFactory = (options: RedisOptions) => RedisClient;

/** How SLOWLOG command arguments appear in log records and tool output. */
export type SlowlogArgumentMode = 'redacted' | 'truncated';

/**
 * Options of {@link createRedisConnector}. Each falls back to an environment variable, then to a default.
 */
export interface RedisConnectorOptions {
  /**
   * The server, `redis://[user:password@]host[:port][/db]` (`rediss://` for TLS).
   * Env `REDIS_URL`; default `redis://127.0.0.1:6379`.
   */
  url?: string;
  /** The ACL user name, overriding the URL's. Env `REDIS_USERNAME`. */
  username?: string;
  /** The password, overriding the URL's. Env `REDIS_PASSWORD`. It never appears in an error, a log or a tool's output. */
  password?: string;
  /**
   * The entity this instance is in the knowledge graph, e.g. `redis:shop/session-cache`.
   * Env `AISRE_REDIS_ENTITY`; default derived from the address: `redis:<host>/<port>`.
   */
  entity?: EntityRef;
  /** The connector's name (default `redis`); give each instance its own when a host connects several. */
  name?: string;
  /** How long connecting (TCP, AUTH, SELECT) may take, milliseconds. Env `AISRE_REDIS_CONNECT_TIMEOUT_MS`; default 5 000. */
  connectTimeoutMs?: number;
  /** How long one command may take, milliseconds. Env `AISRE_REDIS_COMMAND_TIMEOUT_MS`; default 5 000. */
  commandTimeoutMs?: number;
  /** Stamps metric readings (default: the wall clock). */
  clock?: Clock;
  /** Creates the Redis client (default: `ioredis`). Inject one in tests. */
  createClient?: RedisClientFactory;
  /** Where the environment variables are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long metric readings are kept, milliseconds (default 6 hours). */
  retentionMs?: number;
  /** A metrics query reads INFO again only when the newest reading is older than this, milliseconds (default 1 000). */
  freshnessMs?: number;
  /**
   * SLOWLOG arguments in logs and tools: `redacted` (default) shows only their sizes; `truncated` shows each
   * argument cut to 32 characters. Arguments of AUTH, HELLO, ACL, MIGRATE and CONFIG SET are always redacted.
   */
  slowlogArguments?: SlowlogArgumentMode;
  /** How many SLOWLOG entries a log search reads (default 128, at most 1 024). */
  slowlogEntries?: number;
}

/** A Redis connector: the {@link Connector} plus what hosts need to run it. */
export interface RedisConnector extends Connector {
  /** The entity this instance is. */
  readonly entity: EntityRef;
  /** The metric history behind `capabilities.metrics`; `sampler.start({ intervalMs })` samples in the background. */
  readonly sampler: MetricSampler;
  /** Closes the connection; later calls fail with a `ConnectorError`. */
  close(): Promise<void>;
}
