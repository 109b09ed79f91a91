import { z } from 'zod';
import { type ErrorScope, malformedReply } from './redis-errors';

/** One SLOWLOG entry. */
export interface SlowlogEntry {
  /** The entry's id (grows by one per entry). */
  id: number;
  /** When the command ran, epoch milliseconds (the server records seconds). */
  at: number;
  /** How long it ran, microseconds. */
  durationUs: number;
  /** The command and its arguments, as recorded (Redis truncates long ones). */
  parts: string[];
  /** The client's address, Redis 4 and later. */
  client?: string;
  /** The client's name, Redis 4 and later. */
  clientName?: string;
}

/** The newest spike of one LATENCY event. */
export interface LatencyEventSummary {
  /** The event (`command`, `fast-command`, `fork`, `expire-cycle`, `eviction-cycle`, …). */
  event: string;
  /** When its latest spike happened, epoch milliseconds. */
  latestAt: number;
  /** The latest spike, milliseconds. */
  latestMs: number;
  /** The largest spike since the last reset, milliseconds. */
  maxMs: number;
}

/** One sample of a LATENCY HISTORY. */
export interface LatencySample {
  /** When, epoch milliseconds. */
  at: number;
  /** How long, milliseconds. */
  latencyMs: number;
}

const integer = z.number().int();
const text = z.string();

const slowlogSchema = z.array(
  z.tuple([integer, integer, integer, z.array(z.union([text, integer]))]).rest(z.union([text, integer])),
);
const latencyLatestSchema = z.array(z.tuple([text, integer, integer, integer]).rest(z.unknown()));
const latencyHistorySchema = z.array(z.tuple([integer, integer]).rest(z.unknown()));
const flatPairsSchema = z.array(z.union([text, integer]));
const memoryStatsSchema = z.array(z.union([text, integer, z.array(z.union([text, integer]))]));

function parse<Schema extends z.ZodType>(
  schema: Schema,
  reply: unknown,
  what: string,
  expected: string,
  scope: ErrorScope,
): z.output<Schema> {
  const result = schema.safeParse(reply);
  if (!result.success) throw malformedReply(what, expected, scope);
  return result.data;
}

/**
 * Reads a `SLOWLOG GET` reply.
 *
 * @param reply - the reply
 * @param scope - the connection, for errors
 * @throws ConnectorError when the reply is not a list of slowlog entries
 */
export function parseSlowlog(reply: unknown, scope: ErrorScope): SlowlogEntry[] {
  const entries = parse(
    slowlogSchema,
    reply,
    'SLOWLOG GET',
    'a list of [id, time, duration, arguments, …]',
    scope,
  );
  return entries.map(([id, seconds, durationUs, parts, client, clientName]) => ({
    id,
    at: seconds * 1000,
    durationUs,
    parts: parts.map(String),
    ...(client === undefined || client === '' ? {} : { client: String(client) }),
    ...(clientName === undefined || clientName === '' ? {} : { clientName: String(clientName) }),
  }));
}

/**
 * Reads a `LATENCY LATEST` reply.
 *
 * @param reply - the reply
 * @param scope - the connection, for errors
 * @throws ConnectorError when the reply is not a list of [event, time, latest, max]
 */
export function parseLatencyLatest(reply: unknown, scope: ErrorScope): LatencyEventSummary[] {
  const events = parse(
    latencyLatestSchema,
    reply,
    'LATENCY LATEST',
    'a list of [event, time, latest, max]',
    scope,
  );
  return events.map(([event, seconds, latestMs, maxMs]) => ({
    event,
    latestAt: seconds * 1000,
    latestMs,
    maxMs,
  }));
}

/**
 * Reads a `LATENCY HISTORY` reply.
 *
 * @param reply - the reply
 * @param scope - the connection, for errors
 * @throws ConnectorError when the reply is not a list of [time, latency]
 */
export function parseLatencyHistory(reply: unknown, scope: ErrorScope): LatencySample[] {
  const samples = parse(latencyHistorySchema, reply, 'LATENCY HISTORY', 'a list of [time, latency]', scope);
  return samples.map(([seconds, latencyMs]) => ({ at: seconds * 1000, latencyMs }));
}

/**
 * Reads a flat `[name, value, name, value, …]` reply (CONFIG GET) into pairs, in order.
 *
 * @param reply - the reply
 * @param what - the command, for errors
 * @param scope - the connection, for errors
 * @throws ConnectorError when the reply is not an even list of strings
 */
export function parsePairs(reply: unknown, what: string, scope: ErrorScope): [string, string][] {
  const flat = parse(flatPairsSchema, reply, what, 'a list of names and values', scope);
  if (flat.length % 2 !== 0) throw malformedReply(what, 'an even list of names and values', scope);
  const pairs: [string, string][] = [];
  for (let index = 0; index < flat.length; index += 2)
    pairs.push([String(flat[index]), String(flat[index + 1])]);
  return pairs;
}

/** MEMORY STATS: numbers by name, and per-database overheads (`db.0` → `overhead.hashtable.main` → bytes). */
export type MemoryStats = Record<string, number | Record<string, number>>;

function numeric(value: string | number): number | undefined {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * Reads a `MEMORY STATS` reply: integers, doubles (bulk strings in RESP2) and nested per-database lists.
 *
 * @param reply - the reply
 * @param scope - the connection, for errors
 * @throws ConnectorError when the reply is not a flat list of names and values
 */
export function parseMemoryStats(reply: unknown, scope: ErrorScope): MemoryStats {
  const flat = parse(memoryStatsSchema, reply, 'MEMORY STATS', 'a list of names and values', scope);
  if (flat.length % 2 !== 0) throw malformedReply('MEMORY STATS', 'an even list of names and values', scope);
  const stats: MemoryStats = {};
  for (let index = 0; index < flat.length; index += 2) {
    const name = flat[index];
    const value = flat[index + 1];
    if (typeof name !== 'string' || value === undefined)
      throw malformedReply('MEMORY STATS', 'names and values', scope);
    if (Array.isArray(value)) {
      const nested: Record<string, number> = {};
      for (let inner = 0; inner + 1 < value.length; inner += 2) {
        const number = numeric(value[inner + 1] as string | number);
        if (number !== undefined) nested[String(value[inner])] = number;
      }
      stats[name] = nested;
    } else {
      const number = numeric(value);
      if (number !== undefined) stats[name] = number;
    }
  }
  return stats;
}

/**
 * Reads an integer reply (SLOWLOG LEN).
 *
 * @param reply - the reply
 * @param what - the command, for errors
 * @param scope - the connection, for errors
 */
export function parseInteger(reply: unknown, what: string, scope: ErrorScope): number {
  return parse(integer, reply, what, 'an integer', scope);
}

/**
 * Reads a bulk-string reply (INFO, CLIENT LIST, LATENCY DOCTOR).
 *
 * @param reply - the reply
 * @param what - the command, for errors
 * @param scope - the connection, for errors
 */
export function parseText(reply: unknown, what: string, scope: ErrorScope): string {
  return parse(text, reply, what, 'a string', scope);
}
