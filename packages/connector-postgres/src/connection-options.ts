import { type EntityRef, entityRefSchema, InvalidInputError, isEntityRef, parseWith } from '@aisre/core';
import { z } from 'zod';
import { type ConnectionTarget, moduleName } from './postgres-errors';
import type { PostgresClientConfig, PostgresConnectorOptions } from './types';

/** The connection a connector opens, resolved from its options and the environment. */
export interface ResolvedConnection {
  /** What the client factory receives. */
  clientConfig: PostgresClientConfig;
  /** Where it connects, for messages (no password). */
  target: ConnectionTarget;
  /** The entity the server is. */
  entity: EntityRef;
  /** The `statement_timeout` the session sets for itself, milliseconds. */
  statementTimeoutMs: number;
  /** Where the connection settings came from: `options`, `DATABASE_URL` or `PG* variables`. */
  source: 'options' | 'DATABASE_URL' | 'PG* variables';
}

const defaultApplicationName = 'aisre-connector-postgres';
const defaultConnectTimeoutMs = 5000;
const defaultStatementTimeoutMs = 5000;

const positiveMs = z.number().int().positive().max(3_600_000);

/** Zod schema of {@link PostgresConnectorOptions}: strict, so a misspelt option is an error. */
export const postgresConnectorOptionsSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name like postgres')
    .optional(),
  entity: entityRefSchema.optional(),
  connectionString: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  database: z.string().min(1).optional(),
  ssl: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  applicationName: z.string().max(63).optional(),
  connectTimeoutMs: positiveMs.optional(),
  statementTimeoutMs: positiveMs.optional(),
  connectAtStart: z.boolean().optional(),
  thresholds: z
    .strictObject({
      longTransactionSeconds: z.number().positive().optional(),
      idleInTransactionSeconds: z.number().positive().optional(),
      lockWaitSeconds: z.number().nonnegative().optional(),
    })
    .optional(),
  settings: z
    .array(z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'expected a setting name like max_connections'))
    .optional(),
  sampling: z
    .strictObject({
      retentionMs: z.number().positive().optional(),
      freshnessMs: z.number().nonnegative().optional(),
    })
    .optional(),
  queryTextLength: z.number().int().min(20).max(10_000).optional(),
  clock: z.custom<object>((value) => typeof (value as { now?: unknown })?.now === 'function').optional(),
  logger: z.custom<object>((value) => typeof value === 'object' && value !== null).optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  createClient: z.custom<object>((value) => typeof value === 'function').optional(),
});

function invalid(message: string, path: string): InvalidInputError {
  return new InvalidInputError(`${moduleName}: ${message}`, { issues: [{ path: [path], message }] });
}

function targetOfUrl(
  connectionString: string,
  path: string,
): Omit<ConnectionTarget, 'database'> & {
  database: string | undefined;
} {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw invalid(
      `${path} must be a postgresql:// URL (postgresql://user:password@host:port/database)`,
      path,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalid(`${path} must start with postgresql:// or postgres:// (got ${url.protocol}//)`, path);
  }
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  return {
    host: url.hostname || url.searchParams.get('host') || 'localhost',
    port: url.port ? Number(url.port) : Number(url.searchParams.get('port') ?? 5432),
    user,
    database: database ?? user,
  };
}

function sslFromMode(mode: string | undefined): PostgresClientConfig['ssl'] | undefined {
  switch (mode) {
    case undefined:
      return undefined;
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      throw invalid(
        `PGSSLMODE "${mode}" is not one of disable, allow, prefer, require, verify-ca, verify-full`,
        'PGSSLMODE',
      );
  }
}

function connectTimeoutFrom(environment: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = environment.PGCONNECT_TIMEOUT;
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw invalid(
      `PGCONNECT_TIMEOUT must be a positive number of seconds (got "${raw}")`,
      'PGCONNECT_TIMEOUT',
    );
  }
  return Math.round(seconds * 1000);
}

function entityOf(
  options: PostgresConnectorOptions,
  environment: Readonly<Record<string, string | undefined>>,
  target: ConnectionTarget,
): EntityRef {
  if (options.entity) return options.entity;
  const fromEnvironment = environment.AISRE_POSTGRES_ENTITY;
  if (fromEnvironment) {
    if (!isEntityRef(fromEnvironment)) {
      throw invalid(
        `AISRE_POSTGRES_ENTITY "${fromEnvironment}" must look like postgres:namespace/name`,
        'AISRE_POSTGRES_ENTITY',
      );
    }
    return fromEnvironment;
  }
  const clean = (text: string) =>
    text.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9_]+/, '') || 'local';
  const namespace = target.host.startsWith('/') ? 'local' : clean(target.host);
  const ref = `postgres:${namespace}/${clean(target.database)}`;
  if (!isEntityRef(ref))
    throw invalid(`cannot derive an entity ref from ${target.host}/${target.database}: set entity`, 'entity');
  return ref;
}

/**
 * Resolves where the connector connects: options first (`connectionString`, or `host`/`port`/`user`/
 * `password`/`database`), else `DATABASE_URL`, else the `PG*` variables, else libpq's defaults.
 *
 * @param options - the connector's options (already validated)
 * @param environment - the environment variables
 * @throws {@link InvalidInputError} when the options contradict each other or a variable is malformed
 */
export function resolveConnection(
  options: PostgresConnectorOptions,
  environment: Readonly<Record<string, string | undefined>>,
): ResolvedConnection {
  parseWith(postgresConnectorOptionsSchema, options, `${moduleName}: options`);
  const fields = ['host', 'port', 'user', 'password', 'database'] as const;
  const givenFields = fields.filter((field) => options[field] !== undefined);
  if (options.connectionString !== undefined && givenFields.length > 0) {
    throw invalid(
      `give either connectionString or ${givenFields.join('/')}, not both (the URL already names them)`,
      'connectionString',
    );
  }
  const common = {
    application_name: options.applicationName ?? environment.PGAPPNAME ?? defaultApplicationName,
    connectionTimeoutMillis:
      options.connectTimeoutMs ?? connectTimeoutFrom(environment) ?? defaultConnectTimeoutMs,
    keepAlive: true,
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
  };
  const statementTimeoutMs = options.statementTimeoutMs ?? defaultStatementTimeoutMs;
  const url =
    options.connectionString !== undefined
      ? { text: options.connectionString, path: 'connectionString', source: 'options' as const }
      : givenFields.length === 0 && environment.DATABASE_URL
        ? { text: environment.DATABASE_URL, path: 'DATABASE_URL', source: 'DATABASE_URL' as const }
        : undefined;
  if (url) {
    const parsed = targetOfUrl(url.text, url.path);
    const target: ConnectionTarget = { ...parsed, database: parsed.database ?? 'postgres' };
    return {
      clientConfig: { connectionString: url.text, ...common },
      target,
      entity: entityOf(options, environment, target),
      statementTimeoutMs,
      source: url.source,
    };
  }
  const portText = environment.PGPORT;
  const port = options.port ?? (portText ? Number(portText) : 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw invalid(`PGPORT must be a port number (got "${portText}")`, 'PGPORT');
  }
  const user = options.user ?? environment.PGUSER ?? environment.USER ?? 'postgres';
  const password = options.password ?? environment.PGPASSWORD;
  const ssl = options.ssl ?? sslFromMode(environment.PGSSLMODE);
  const target: ConnectionTarget = {
    host: options.host ?? environment.PGHOST ?? 'localhost',
    port,
    user,
    database: options.database ?? environment.PGDATABASE ?? user,
  };
  return {
    clientConfig: {
      host: target.host,
      port: target.port,
      user,
      database: target.database,
      ...(password !== undefined ? { password } : {}),
      ...common,
      ...(ssl !== undefined ? { ssl } : {}),
    },
    target,
    entity: entityOf(options, environment, target),
    statementTimeoutMs,
    source: givenFields.length > 0 ? 'options' : 'PG* variables',
  };
}
