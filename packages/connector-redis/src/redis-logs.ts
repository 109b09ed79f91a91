import {
  type CallContext,
  CancelledError,
  type EntityRef,
  type LogRecord,
  type LogsCapability,
  logQuerySchema,
  parseWith,
  throwIfAborted,
} from '@aisre/core';
import { redactCommand } from './command-redaction';
import {
  type LatencySample,
  parseLatencyHistory,
  parseLatencyLatest,
  parseSlowlog,
  type SlowlogEntry,
} from './redis-replies';
import type { RedisSession } from './redis-session';
import type { SlowlogArgumentMode } from './types';

/** What the latency monitor's events measure (Redis's latency monitor documentation). */
const latencyEventMeanings: Record<string, string> = {
  command: 'a command ran longer than latency-monitor-threshold',
  'fast-command': 'an O(1) or O(log N) command ran longer than latency-monitor-threshold',
  fork: 'the fork for a background save or AOF rewrite',
  'rdb-unlink-temp-file': 'unlinking a temporary RDB file',
  'aof-fsync-always': 'fsync of the AOF with appendfsync always',
  'aof-write': 'writing the AOF',
  'aof-write-pending-fsync': 'writing the AOF while an fsync was pending',
  'aof-write-active-child': 'writing the AOF while a child process was saving',
  'aof-write-alone': 'writing the AOF with nothing else pending',
  'aof-fstat': 'fstat of the AOF',
  'aof-rename': 'renaming the AOF after a rewrite',
  'aof-rewrite-diff-write': 'writing the AOF rewrite buffer',
  'active-defrag-cycle': 'an active defragmentation cycle',
  'expire-cycle': 'the cycle that expires keys',
  'expire-del': 'deleting an expired key',
  'eviction-cycle': 'the cycle that evicts keys to stay under maxmemory',
  'eviction-del': 'deleting a key evicted for maxmemory',
  'eviction-lazyfree': 'waiting for lazy freeing during eviction',
  'while-blocked-cron': 'background work while blocked by a script or module',
};

const levelOrder: Record<LogRecord['level'], number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

function milliseconds(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

/**
 * A SLOWLOG entry as a log record, its arguments redacted (or truncated) so that no user data or credential
 * leaves the server.
 *
 * @param entry - the entry
 * @param entity - the instance
 * @param mode - how arguments are shown
 */
export function slowlogRecord(entry: SlowlogEntry, entity: EntityRef, mode: SlowlogArgumentMode): LogRecord {
  const command = redactCommand(entry.parts, mode);
  const durationMs = entry.durationUs / 1000;
  return {
    at: new Date(entry.at).toISOString(),
    entity,
    level: 'warn',
    message: `slow command: ${command.text} took ${milliseconds(durationMs)} ms`,
    attributes: {
      source: 'slowlog',
      id: entry.id,
      durationMs,
      command: command.command,
      argumentCount: command.argumentCount,
      ...(entry.client ? { client: entry.client } : {}),
      ...(entry.clientName ? { clientName: entry.clientName } : {}),
    },
  };
}

/**
 * A latency spike as a log record.
 *
 * @param event - the latency event
 * @param sample - the spike
 * @param entity - the instance
 */
export function latencyRecord(event: string, sample: LatencySample, entity: EntityRef): LogRecord {
  const meaning = latencyEventMeanings[event];
  return {
    at: new Date(sample.at).toISOString(),
    entity,
    level: 'warn',
    message: `latency spike: ${event} took ${sample.latencyMs} ms${meaning ? ` (${meaning})` : ''}`,
    attributes: { source: 'latency', event, latencyMs: sample.latencyMs },
  };
}

/** Reads every latency spike the server keeps: the events of LATENCY LATEST, then each one's history. */
export async function readLatencySpikes(
  session: RedisSession,
  context: CallContext,
): Promise<{ event: string; samples: LatencySample[] }[]> {
  const events = parseLatencyLatest(
    await session.send('LATENCY LATEST', ['LATENCY', 'LATEST'], context),
    session.scope,
  );
  return Promise.all(
    events.map(async ({ event }) => ({
      event,
      samples: parseLatencyHistory(
        await session.send('LATENCY HISTORY', ['LATENCY', 'HISTORY', event], context),
        session.scope,
      ),
    })),
  );
}

/**
 * The logs of one instance: its SLOWLOG entries and latency spikes as log records (level `warn`) with the
 * server's timestamps, newest first. When one of the two sources fails (a managed Redis may disable LATENCY),
 * the other's records are still returned and the failure is logged; when both fail, the search fails.
 *
 * @param session - the connection
 * @param entity - the instance
 * @param settings - how many slowlog entries to read and how to show their arguments
 */
export function createRedisLogs(
  session: RedisSession,
  entity: EntityRef,
  settings: { slowlogEntries: number; slowlogArguments: SlowlogArgumentMode },
): LogsCapability {
  return {
    async search(query, context) {
      const valid = parseWith(logQuerySchema, query, 'connector-redis: logs.search query');
      throwIfAborted(context.signal, 'connector-redis: logs.search');
      if (valid.entity !== undefined && valid.entity !== entity) return [];
      const [slowlog, latency] = await Promise.allSettled([
        session
          .send('SLOWLOG GET', ['SLOWLOG', 'GET', String(settings.slowlogEntries)], context)
          .then((reply) => parseSlowlog(reply, session.scope)),
        readLatencySpikes(session, context),
      ]);
      if (slowlog.status === 'rejected' && latency.status === 'rejected') throw slowlog.reason;
      const records: LogRecord[] = [];
      for (const result of [slowlog, latency]) {
        if (result.status === 'rejected') {
          if (CancelledError.isInstance(result.reason)) throw result.reason;
          context.logger.warn(String((result.reason as Error)?.message ?? result.reason));
        }
      }
      if (slowlog.status === 'fulfilled') {
        for (const entry of slowlog.value)
          records.push(slowlogRecord(entry, entity, settings.slowlogArguments));
      }
      if (latency.status === 'fulfilled') {
        for (const { event, samples } of latency.value) {
          for (const sample of samples) records.push(latencyRecord(event, sample, entity));
        }
      }
      const text = valid.text?.toLowerCase();
      const minimum = levelOrder[valid.minLevel ?? 'debug'];
      const matching = records.filter((record) => {
        const at = Date.parse(record.at);
        if (at < valid.start || at > valid.end) return false;
        if (levelOrder[record.level] < minimum) return false;
        return text === undefined || record.message.toLowerCase().includes(text);
      });
      matching.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      return valid.limit === undefined ? matching : matching.slice(0, valid.limit);
    },
  };
}
