import type { ConnectionOptions } from 'node:tls';
import type { Clock, Connector, EntityRef, Logger, MetricSampler } from '@aisre/core';

/**
 * What the connector needs of a PostgreSQL client: `pg.Client` has it (the default factory wraps one), and a
 * test can hand in a fake that replays recorded rows.
 */
export interface PostgresClient {
  /** Opens the connection (startup, authentication). */
  connect(): Promise<unknown>;
  /** Runs one statement; `values` are bound to `$1`, `$2`, … */
  query(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  /** Closes the connection politely. */
  end(): Promise<void>;
  /** `error`: the connection failed outside a query; `end`: it closed. */
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
  /** Asks the server to cancel the statement running on this connection (a protocol CancelRequest). */
  cancel?(): Promise<void>;
  /** Drops the connection at once (a server that stopped answering). */
  destroy?(): void;
}

/** The settings a {@link PostgresClientFactory} receives (a subset of `pg.ClientConfig`). */
export interface PostgresClientConfig {
  /** A `postgresql://` URL; when set, the fields below that it also names are ignored by `pg`. */
  connectionString?: string;
  /** Host name, address or socket directory. */
  host?: string;
  /** Port. */
  port?: number;
  /** Role name. */
  user?: string;
  /** Password (absent: `pg` reads `~/.pgpass`). */
  password?: string;
  /** Database name. */
  database?: string;
  /** TLS: `true`, `false`, or Node.js TLS options. */
  ssl?: boolean | ConnectionOptions;
  /** `application_name` of the session, as pg_stat_activity shows it. */
  application_name: string;
  /** How long opening the connection may take, milliseconds. */
  connectionTimeoutMillis: number;
  /** TCP keep-alive on the socket. */
  keepAlive: boolean;
}

/** Creates a client (not yet connected). The default creates a `pg.Client`. */
export type PostgresClientFactory = (config: PostgresClientConfig) => PostgresClient;

/** When sessions are worth reporting as log records. */
export interface PostgresThresholds {
  /** A transaction open longer than this is a long transaction (default 60 s). */
  longTransactionSeconds?: number;
  /** A session idle in a transaction longer than this is reported (default 30 s). */
  idleInTransactionSeconds?: number;
  /** A session waiting on a lock longer than this is reported with its blocking chain (default 1 s, `deadlock_timeout`'s default). */
  lockWaitSeconds?: number;
}

/** How readings are kept (see `createMetricSampler` in `@aisre/core`). */
export interface PostgresSamplingOptions {
  /** How long readings are kept, milliseconds (default 6 hours). */
  retentionMs?: number;
  /** A query reads the server again only when the newest reading is older than this, milliseconds (default 1 000). */
  freshnessMs?: number;
}

/**
 * Options of {@link createPostgresConnector}. Each falls back to an environment variable, then a default:
 * the connection to `DATABASE_URL`, else the standard `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
 * `PGDATABASE` and `PGSSLMODE`; `applicationName` to `PGAPPNAME`; `connectTimeoutMs` to `PGCONNECT_TIMEOUT`
 * (seconds); `entity` to `AISRE_POSTGRES_ENTITY`.
 */
export interface PostgresConnectorOptions {
  /** The connector's name (default `postgres`). */
  name?: string;
  /** The entity this server is, e.g. `postgres:lab/db` (default `postgres:<host>/<database>`). */
  entity?: EntityRef;
  /** A `postgresql://user:password@host:port/database` URL. Not together with the fields below. */
  connectionString?: string;
  /** Host name, address or socket directory (default `PGHOST`, else `localhost`). */
  host?: string;
  /** Port (default `PGPORT`, else 5432). */
  port?: number;
  /** Role name (default `PGUSER`, else `USER`, else `postgres`). */
  user?: string;
  /** Password (default `PGPASSWORD`, else `~/.pgpass`). */
  password?: string;
  /** Database name (default `PGDATABASE`, else the role name). */
  database?: string;
  /** TLS: `true`, `false` or Node.js TLS options (default from `PGSSLMODE`; with a URL, its `sslmode`). */
  ssl?: boolean | ConnectionOptions;
  /** The session's `application_name` (default `PGAPPNAME`, else `aisre-connector-postgres`). */
  applicationName?: string;
  /** How long opening a connection may take, milliseconds (default `PGCONNECT_TIMEOUT` seconds, else 5 000). */
  connectTimeoutMs?: number;
  /** The session's `statement_timeout`, milliseconds (default 5 000). A silent server is dropped a little later. */
  statementTimeoutMs?: number;
  /** Open the persistent connection when the connector is created (default `true`). */
  connectAtStart?: boolean;
  /** When sessions are reported as log records. */
  thresholds?: PostgresThresholds;
  /** Settings served as `pg_settings_<name>` metrics (default: connection limits, timeouts, memory). */
  settings?: readonly string[];
  /** How metric readings are kept. */
  sampling?: PostgresSamplingOptions;
  /** Statement texts are cut to this many characters after redaction (default 200). */
  queryTextLength?: number;
  /** The clock readings and log records are stamped with (default the system clock). */
  clock?: Clock;
  /** Where connection events (lost, re-opened) are logged (default silent). */
  logger?: Logger;
  /** The environment to read variables from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Creates the client (default: a `pg.Client`); tests inject a fake. */
  createClient?: PostgresClientFactory;
}

/** A PostgreSQL connector: a {@link Connector} plus what a host needs to run it. */
export interface PostgresConnector extends Connector {
  /** The entity this server is. */
  readonly entity: EntityRef;
  /**
   * The metric history behind `capabilities.metrics`. PostgreSQL's statistics views only know the present;
   * hosts call `sampler.start({ intervalMs })` to read them in the background, so range queries have a past.
   */
  readonly sampler: MetricSampler;
  /** Opens the persistent connection now (it is opened at creation unless `connectAtStart` is false). */
  connect(options?: { signal?: AbortSignal }): Promise<void>;
  /** Stops background sampling and closes the connection. Later calls fail with a `ConnectorError`. */
  close(): Promise<void>;
}
