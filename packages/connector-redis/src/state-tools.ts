import { type EntityRef, type Tool, throwIfAborted } from '@aisre/core';
import { z } from 'zod';
import { parseClientList, renderCounts, summariseClients } from './client-list';
import { isSecretParameter, redactConfig } from './config-redaction';
import { type MemoryStats, parseMemoryStats, parsePairs, parseText } from './redis-replies';
import type { RedisSession } from './redis-session';
import { humanBytes, limitLines } from './tool-text';

const configInput = z
  .object({
    pattern: z
      .string()
      .regex(/^[a-z0-9*?[\]-]{1,128}$/, 'a CONFIG GET pattern like maxmemory* or *defrag*')
      .default('*')
      .describe('a glob over parameter names, e.g. maxmemory* or *defrag*'),
  })
  .strict();

/**
 * `redis_config_get`: configuration parameters matching a pattern, secrets redacted.
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function configGetTool(session: RedisSession, entity: EntityRef): Tool<z.output<typeof configInput>> {
  return {
    name: 'redis_config_get',
    description: `Reads configuration parameters of ${entity} matching a glob (CONFIG GET), e.g. maxmemory* for the memory limit and eviction policy, *defrag* for active defragmentation, save/appendonly for persistence. Passwords and other secrets are redacted.`,
    input: configInput,
    async run(input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_config_get');
      const pairs = redactConfig(
        parsePairs(
          await session.send('CONFIG GET', ['CONFIG', 'GET', input.pattern], context),
          'CONFIG GET',
          session.scope,
        ),
      ).sort(([a], [b]) => a.localeCompare(b));
      const lines = pairs.map(([name, value]) => `${name} ${value === '' ? '""' : value}`);
      return {
        text: [
          `CONFIG GET ${input.pattern} on ${entity}: ${pairs.length} parameters`,
          ...limitLines(lines, 60, 'narrow the pattern'),
        ].join('\n'),
        data: {
          pattern: input.pattern,
          parameters: Object.fromEntries(pairs),
          redacted: pairs.filter(([name]) => isSecretParameter(name)).map(([name]) => name),
        },
      };
    },
  };
}

const noInput = z.object({}).strict();

/**
 * `redis_client_list`: who is connected, summarised (CLIENT LIST).
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function clientListTool(session: RedisSession, entity: EntityRef): Tool<z.output<typeof noInput>> {
  return {
    name: 'redis_client_list',
    description: `Summarises the client connections of ${entity} (CLIENT LIST): how many, by client name, source host, user, last command and state (blocked, pubsub, replica), the idle ones, and the three holding the most memory.`,
    input: noInput,
    async run(_input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_client_list');
      const entries = parseClientList(
        parseText(
          await session.send('CLIENT LIST', ['CLIENT', 'LIST'], context),
          'CLIENT LIST',
          session.scope,
        ),
      );
      const summary = summariseClients(entries);
      const heaviest = summary.heaviest.map(
        (client) =>
          `  id ${client.id} ${client.name} from ${client.host}: ${humanBytes(client.totalMemoryBytes)} (output buffer ${humanBytes(client.outputBufferBytes)}), last ${client.lastCommand}`,
      );
      return {
        text: [
          `CLIENT LIST of ${entity}: ${summary.total} connection${summary.total === 1 ? '' : 's'}`,
          `by name: ${renderCounts(summary.byName)}`,
          `by host: ${renderCounts(summary.byHost)}`,
          `by user: ${renderCounts(summary.byUser)}`,
          `by last command: ${renderCounts(summary.byLastCommand)}`,
          `by state: ${renderCounts(summary.byFlag)}`,
          `idle over 5 min: ${summary.idleOver5Minutes} (longest ${summary.maxIdleSeconds} s)`,
          'heaviest:',
          ...heaviest,
        ].join('\n'),
        data: summary,
      };
    },
  };
}

const memoryLines: readonly [key: string, label: string, kind: 'bytes' | 'ratio' | 'percent' | 'count'][] = [
  ['total.allocated', 'allocated', 'bytes'],
  ['peak.allocated', 'peak allocated', 'bytes'],
  ['dataset.bytes', 'data set', 'bytes'],
  ['dataset.percentage', 'data set share of net memory', 'percent'],
  ['overhead.total', 'overhead', 'bytes'],
  ['startup.allocated', 'at startup', 'bytes'],
  ['clients.normal', 'client buffers', 'bytes'],
  ['clients.slaves', 'replica buffers', 'bytes'],
  ['replication.backlog', 'replication backlog', 'bytes'],
  ['aof.buffer', 'AOF buffer', 'bytes'],
  ['lua.caches', 'Lua caches', 'bytes'],
  ['keys.count', 'keys', 'count'],
  ['keys.bytes-per-key', 'bytes per key', 'count'],
  ['fragmentation', 'fragmentation ratio (RSS / allocated)', 'ratio'],
  ['fragmentation.bytes', 'fragmentation', 'bytes'],
  ['allocator-fragmentation.ratio', 'allocator fragmentation ratio', 'ratio'],
  ['rss-overhead.ratio', 'RSS overhead ratio', 'ratio'],
];

function renderMemory(stats: MemoryStats): string[] {
  const lines: string[] = [];
  for (const [key, label, kind] of memoryLines) {
    const value = stats[key];
    if (typeof value !== 'number') continue;
    const shown =
      kind === 'bytes'
        ? humanBytes(value)
        : kind === 'percent'
          ? `${value.toFixed(1)} %`
          : kind === 'ratio'
            ? value.toFixed(2)
            : String(value);
    lines.push(`${label}: ${shown}`);
  }
  for (const [key, value] of Object.entries(stats)) {
    if (!key.startsWith('db.') || typeof value === 'number') continue;
    const overhead = Object.values(value).reduce((sum, bytes) => sum + bytes, 0);
    lines.push(`${key} hash-table overhead: ${humanBytes(overhead)}`);
  }
  return lines;
}

/**
 * `redis_memory_stats`: where the memory goes (MEMORY STATS).
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function memoryStatsTool(session: RedisSession, entity: EntityRef): Tool<z.output<typeof noInput>> {
  return {
    name: 'redis_memory_stats',
    description: `Breaks down the memory of ${entity} (MEMORY STATS): data set versus overhead, client and replication buffers, Lua caches, keys and bytes per key, and allocator and RSS fragmentation.`,
    input: noInput,
    async run(_input, context) {
      throwIfAborted(context.signal, 'connector-redis: redis_memory_stats');
      const stats = parseMemoryStats(
        await session.send('MEMORY STATS', ['MEMORY', 'STATS'], context),
        session.scope,
      );
      return {
        text: [
          `MEMORY STATS of ${entity}:`,
          ...limitLines(renderMemory(stats), 40, 'the data holds every figure'),
        ].join('\n'),
        data: stats,
      };
    },
  };
}
