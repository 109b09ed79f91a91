import { type EntityRef, type JsonValue, type Tool, throwIfAborted } from '@aisre/core';
import { z } from 'zod';
import { redactCommand } from './command-redaction';
import { parseInfo } from './info-parser';
import {
  parseInteger,
  parseLatencyHistory,
  parseLatencyLatest,
  parsePairs,
  parseSlowlog,
  parseText,
} from './redis-replies';
import type { RedisSession } from './redis-session';
import { isoSeconds, limitLines } from './tool-text';
import type { SlowlogArgumentMode } from './types';

/** The INFO sections the `redis_info` tool reads. */
export const infoSections = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'commandstats',
  'latencystats',
  'errorstats',
  'keyspace',
  'cluster',
  'modules',
] as const;

const infoInput = z
  .object({ section: z.enum(infoSections).default('memory').describe('the INFO section to read') })
  .strict();

/**
 * `redis_info`: one INFO section of the instance, as `field:value` lines.
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function infoTool(session: RedisSession, entity: EntityRef): Tool<z.output<typeof infoInput>> {
  return {
    name: 'redis_info',
    description: `Reads one INFO section of ${entity} (memory, stats, clients, persistence, keyspace, replication, commandstats, latencystats, errorstats, …): used and max memory, fragmentation, evictions, hit/miss counts, clients, saves. Values are current; counters are totals since the server started.`,
    input: infoInput,
    async run(input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_info');
      const text = parseText(
        await session.send('INFO', ['INFO', input.section], context),
        'INFO',
        session.scope,
      );
      const fields = parseInfo(text)[input.section] ?? {};
      const lines = Object.entries(fields).map(([field, value]) => `${field}:${value}`);
      return {
        text: [
          `INFO ${input.section} of ${entity}:`,
          ...limitLines(lines, 80, 'the section is long; the data holds every field'),
        ].join('\n'),
        data: { section: input.section, fields },
      };
    },
  };
}

const slowlogInput = z
  .object({ limit: z.number().int().min(1).max(128).default(10).describe('how many entries, newest first') })
  .strict();

/**
 * `redis_slowlog`: the newest SLOWLOG entries, their arguments redacted.
 *
 * @param session - the connection
 * @param entity - the instance
 * @param mode - how arguments are shown
 */
export function slowlogTool(
  session: RedisSession,
  entity: EntityRef,
  mode: SlowlogArgumentMode,
): Tool<z.output<typeof slowlogInput>> {
  return {
    name: 'redis_slowlog',
    description: `Lists the newest SLOWLOG entries of ${entity}: commands slower than slowlog-log-slower-than, with when they ran, how long they took and which client sent them (arguments redacted).`,
    input: slowlogInput,
    async run(input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_slowlog');
      const [entriesReply, lengthReply] = await Promise.all([
        session.send('SLOWLOG GET', ['SLOWLOG', 'GET', String(input.limit)], context),
        session.send('SLOWLOG LEN', ['SLOWLOG', 'LEN'], context),
      ]);
      const entries = parseSlowlog(entriesReply, session.scope);
      const length = parseInteger(lengthReply, 'SLOWLOG LEN', session.scope);
      const shown = entries.map((entry) => {
        const command = redactCommand(entry.parts, mode);
        return {
          id: entry.id,
          at: isoSeconds(entry.at),
          durationMs: entry.durationUs / 1000,
          command: command.command,
          text: command.text,
          ...(entry.client ? { client: entry.client } : {}),
          ...(entry.clientName ? { clientName: entry.clientName } : {}),
        };
      });
      const lines = shown.map(
        (entry) =>
          `#${entry.id} ${entry.at} ${entry.durationMs} ms ${entry.text}${entry.client ? ` (client ${entry.clientName ? `${entry.clientName} ` : ''}${entry.client})` : ''}`,
      );
      return {
        text: [
          `SLOWLOG of ${entity}: ${length} entr${length === 1 ? 'y' : 'ies'} kept, newest ${shown.length}:`,
          ...(lines.length > 0 ? lines : ['(empty)']),
        ].join('\n'),
        data: { length, entries: shown },
      };
    },
  };
}

const latencyInput = z
  .object({
    report: z
      .enum(['latest', 'history', 'doctor'])
      .default('latest')
      .describe(
        'latest: the newest spike of each event; history: the spikes of one event; doctor: Redis’s own analysis',
      ),
    event: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'a latency event name like command, fork or expire-cycle')
      .optional()
      .describe('the event, for history'),
  })
  .strict()
  .refine((input) => input.report !== 'history' || input.event !== undefined, {
    message: 'history needs an event',
    path: ['event'],
  });

async function latencyThreshold(session: RedisSession, context: Parameters<RedisSession['send']>[2]) {
  try {
    const pairs = parsePairs(
      await session.send('CONFIG GET', ['CONFIG', 'GET', 'latency-monitor-threshold'], context),
      'CONFIG GET',
      session.scope,
    );
    return pairs[0]?.[1];
  } catch {
    // CONFIG may be disabled (managed Redis): the report goes on without the threshold.
    return undefined;
  }
}

/**
 * `redis_latency`: the latency monitor (LATENCY LATEST, HISTORY or DOCTOR).
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function latencyTool(session: RedisSession, entity: EntityRef): Tool<z.output<typeof latencyInput>> {
  return {
    name: 'redis_latency',
    description: `Reads the latency monitor of ${entity}: the latest spike per event (command, fork, expire-cycle, eviction-cycle, aof-fsync-always, …), the history of one event, or LATENCY DOCTOR's analysis. Events are recorded only above latency-monitor-threshold (0 disables the monitor).`,
    input: latencyInput,
    async run(input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_latency');
      if (input.report === 'doctor') {
        const text = parseText(
          await session.send('LATENCY DOCTOR', ['LATENCY', 'DOCTOR'], context),
          'LATENCY DOCTOR',
          session.scope,
        );
        const trimmed = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
        return { text: `LATENCY DOCTOR of ${entity}:\n${trimmed.trim()}`, data: { doctor: text } };
      }
      if (input.report === 'history') {
        const event = input.event as string;
        const samples = parseLatencyHistory(
          await session.send('LATENCY HISTORY', ['LATENCY', 'HISTORY', event], context),
          session.scope,
        );
        const lines = samples.map((sample) => `${isoSeconds(sample.at)} ${sample.latencyMs} ms`);
        return {
          text: [
            `LATENCY HISTORY ${event} of ${entity}: ${samples.length} spike${samples.length === 1 ? '' : 's'}`,
            ...limitLines(lines.reverse(), 40, 'the data holds every spike'),
          ].join('\n'),
          data: {
            event,
            samples: samples.map((sample) => ({ at: isoSeconds(sample.at), latencyMs: sample.latencyMs })),
          },
        };
      }
      const [eventsReply, threshold] = await Promise.all([
        session.send('LATENCY LATEST', ['LATENCY', 'LATEST'], context),
        latencyThreshold(session, context),
      ]);
      const events = parseLatencyLatest(eventsReply, session.scope);
      const thresholdText =
        threshold === undefined
          ? ''
          : ` (latency-monitor-threshold ${threshold} ms${threshold === '0' ? ': the monitor is off' : ''})`;
      const lines = events.map(
        (event) =>
          `${event.event}: latest ${event.latestMs} ms at ${isoSeconds(event.latestAt)}, max ${event.maxMs} ms`,
      );
      const data: JsonValue = {
        threshold: threshold ?? null,
        events: events.map((event) => ({ ...event, latestAt: isoSeconds(event.latestAt) })),
      };
      return {
        text: [
          `LATENCY LATEST of ${entity}${thresholdText}:`,
          ...(lines.length > 0 ? lines : ['no spikes recorded']),
        ].join('\n'),
        data,
      };
    },
  };
}
