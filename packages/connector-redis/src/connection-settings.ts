import { type Clock, type EntityRef, entityRefSchema, InvalidInputError, parseWith } from '@aisre/core';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';
import type { RedisClientFactory, RedisConnectorOptions, SlowlogArgumentMode } from './types';

/** Everything the connector needs to know about the server, settled from options, environment and defaults. */
export interface ConnectionSettings {
  /** `host:port`, for messages (never with credentials). */
  address: string;
  /** The entity this instance is. */
  entity: EntityRef;
  /** The connector's name. */
  name: string;
  /** Connect (handshake included) deadline, milliseconds. */
  connectTimeoutMs: number;
  /** Per-command deadline, milliseconds. */
  commandTimeoutMs: number;
  /** The password, to scrub from any message that might echo it. */
  password: string | undefined;
  /** SLOWLOG argument rendering. */
  slowlogArguments: SlowlogArgumentMode;
  /** How many SLOWLOG entries a log search reads. */
  slowlogEntries: number;
  /** The ioredis options: one connection, no reconnects, no offline queue. */
  clientOptions: RedisOptions;
}

const optionsSchema = z
  .object({
    url: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    entity: entityRefSchema.optional(),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')
      .optional(),
    connectTimeoutMs: z.number().int().positive().max(600_000).optional(),
    commandTimeoutMs: z.number().int().positive().max(600_000).optional(),
    slowlogArguments: z.enum(['redacted', 'truncated']).optional(),
    slowlogEntries: z.number().int().positive().max(1024).optional(),
    clock: z
      .custom<Clock>(
        (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
        'expected a clock with now()',
      )
      .optional(),
    createClient: z
      .custom<RedisClientFactory>((value) => typeof value === 'function', 'expected a function')
      .optional(),
    env: z.record(z.string(), z.string().optional()).optional(),
    retentionMs: z.number().positive().optional(),
    freshnessMs: z.number().nonnegative().optional(),
  })
  .strict();

const defaultUrl = 'redis://127.0.0.1:6379';
const defaultTimeoutMs = 5000;

function timeoutFromEnv(value: string | undefined, variable: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 600_000) {
    throw new InvalidInputError(
      `connector-redis: ${variable} must be a whole number of milliseconds between 1 and 600000 (got "${value}")`,
      { issues: [{ path: [variable], message: 'expected a positive integer' }] },
    );
  }
  return parsed;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(
      'connector-redis: url is not a URL: expected redis://[user:password@]host[:port][/db] (or rediss:// for TLS)',
      { issues: [{ path: ['url'], message: 'not a URL' }] },
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new InvalidInputError(
      `connector-redis: url must start with redis:// or rediss:// (got ${url.protocol}//)`,
      { issues: [{ path: ['url'], message: 'expected the redis: or rediss: scheme' }] },
    );
  }
  return url;
}

function databaseOf(url: URL): number {
  const path = url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  const db = Number(path);
  if (!Number.isInteger(db) || db < 0) {
    throw new InvalidInputError(
      `connector-redis: the url's path must be a database number, like redis://host:6379/2 (got "/${path}")`,
      { issues: [{ path: ['url'], message: 'expected /<database number>' }] },
    );
  }
  return db;
}

/** `redis:<host>/<port>`, with characters an entity ref cannot hold replaced by dashes. */
function derivedEntity(host: string, port: number): EntityRef {
  const namespace = host.replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'localhost';
  return `redis:${namespace}/${port}` as EntityRef;
}

/**
 * Settles the connection settings: each option from the arguments first, then its environment variable, then
 * the default.
 *
 * @param options - the connector's options
 * @throws {@link InvalidInputError} naming the option or variable that is malformed
 */
export function resolveConnectionSettings(options: RedisConnectorOptions): ConnectionSettings {
  const valid = parseWith(optionsSchema, options, 'connector-redis: options');
  const env = options.env ?? process.env;
  const url = parseUrl(valid.url ?? env.REDIS_URL ?? defaultUrl);
  const host = url.hostname || '127.0.0.1';
  const port = url.port ? Number(url.port) : 6379;
  const username = valid.username ?? env.REDIS_USERNAME ?? (decodeURIComponent(url.username) || undefined);
  const password = valid.password ?? env.REDIS_PASSWORD ?? (decodeURIComponent(url.password) || undefined);
  const entityText = valid.entity ?? env.AISRE_REDIS_ENTITY;
  const entity =
    entityText === undefined || entityText === ''
      ? derivedEntity(host, port)
      : parseWith(entityRefSchema, entityText, 'connector-redis: entity (or AISRE_REDIS_ENTITY)');
  const connectTimeoutMs =
    valid.connectTimeoutMs ??
    timeoutFromEnv(env.AISRE_REDIS_CONNECT_TIMEOUT_MS, 'AISRE_REDIS_CONNECT_TIMEOUT_MS') ??
    defaultTimeoutMs;
  const commandTimeoutMs =
    valid.commandTimeoutMs ??
    timeoutFromEnv(env.AISRE_REDIS_COMMAND_TIMEOUT_MS, 'AISRE_REDIS_COMMAND_TIMEOUT_MS') ??
    defaultTimeoutMs;
  const clientOptions: RedisOptions = {
    host: host.replace(/^\[|\]$/g, ''),
    port,
    db: databaseOf(url),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    connectionName: 'aisre-connector-redis',
    // One attempt per call: the scheduler owns retries, so the client never reconnects on its own…
    lazyConnect: true,
    retryStrategy: () => null,
    reconnectOnError: null,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // …never queues commands while disconnected…
    enableOfflineQueue: false,
    // …and speaks RESP2, whose reply shapes every Redis version shares.
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maintNotifications: 'disabled',
    connectTimeout: connectTimeoutMs,
  };
  return {
    address: `${host}:${port}`,
    entity,
    name: valid.name ?? 'redis',
    connectTimeoutMs,
    commandTimeoutMs,
    password,
    slowlogArguments: valid.slowlogArguments ?? 'redacted',
    slowlogEntries: valid.slowlogEntries ?? 128,
    clientOptions,
  };
}
