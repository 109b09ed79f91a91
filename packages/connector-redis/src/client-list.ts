/** One connection of a `CLIENT LIST` reply: `field=value` pairs. */
export type ClientEntry = Record<string, string>;

/**
 * Parses a `CLIENT LIST` reply: one line per connection of space-separated `field=value` pairs (the
 * client name cannot hold spaces, so the split is safe).
 *
 * @param text - the reply
 */
export function parseClientList(text: string): ClientEntry[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const entry: ClientEntry = {};
      for (const pair of line.split(' ')) {
        const equals = pair.indexOf('=');
        if (equals > 0) entry[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
      return entry;
    });
}

const flagNames: Record<string, string> = {
  N: 'normal',
  S: 'replica',
  M: 'master',
  P: 'pubsub',
  b: 'blocked',
  x: 'in MULTI',
  O: 'monitor',
  c: 'closing after reply',
  A: 'closing ASAP',
  t: 'tracking',
  T: 'no-touch',
};

function countBy(entries: readonly ClientEntry[], key: (entry: ClientEntry) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const value = key(entry);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const number = (value: string | undefined) => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

/** The host of `addr=10.0.0.5:51234` (IPv6 addresses keep their colons). */
function hostOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const colon = address.lastIndexOf(':');
  return colon > 0 ? address.slice(0, colon) : address;
}

/** A summary of the connections: counts by name, source host, user, last command and flag; the idlest and heaviest. */
export type ClientListSummary = {
  /** Connections in all. */
  total: number;
  /** By client name (`(unnamed)` when none), most first. */
  byName: [string, number][];
  /** By source host, most first. */
  byHost: [string, number][];
  /** By ACL user, most first. */
  byUser: [string, number][];
  /** By last command, most first. */
  byLastCommand: [string, number][];
  /** By flag (`normal`, `blocked`, `pubsub`, `replica`, …), most first. */
  byFlag: [string, number][];
  /** Connections idle longer than 5 minutes. */
  idleOver5Minutes: number;
  /** The longest idle time, seconds. */
  maxIdleSeconds: number;
  /** The connections holding the most memory (`tot-mem`, or output buffers when absent), at most 3. */
  heaviest: {
    id: string;
    name: string;
    host: string;
    totalMemoryBytes: number;
    outputBufferBytes: number;
    lastCommand: string;
  }[];
};

/**
 * Summarises a client list: what a model or a human needs to see who is connected and who is heavy,
 * without listing every connection.
 *
 * @param entries - the parsed connections
 */
export function summariseClients(entries: readonly ClientEntry[]): ClientListSummary {
  const flags = entries.flatMap((entry) =>
    [...(entry.flags ?? '')].map((flag) => flagNames[flag] ?? `flag ${flag}`),
  );
  const heaviest = [...entries]
    .sort((a, b) => number(b['tot-mem'] ?? b.omem) - number(a['tot-mem'] ?? a.omem))
    .slice(0, 3)
    .map((entry) => ({
      id: entry.id ?? '?',
      name: entry.name || '(unnamed)',
      host: hostOf(entry.addr),
      totalMemoryBytes: number(entry['tot-mem']),
      outputBufferBytes: number(entry.omem),
      lastCommand: entry.cmd ?? 'unknown',
    }));
  return {
    total: entries.length,
    byName: countBy(entries, (entry) => entry.name || '(unnamed)'),
    byHost: countBy(entries, (entry) => hostOf(entry.addr)),
    byUser: countBy(entries, (entry) => entry.user ?? 'default'),
    byLastCommand: countBy(entries, (entry) => entry.cmd ?? 'unknown'),
    byFlag: countBy(
      flags.map((flag) => ({ flag })),
      (entry) => entry.flag ?? '',
    ),
    idleOver5Minutes: entries.filter((entry) => number(entry.idle) > 300).length,
    maxIdleSeconds: Math.max(0, ...entries.map((entry) => number(entry.idle))),
    heaviest,
  };
}

/** Renders counts as `a 3, b 1`, at most `limit` of them. */
export function renderCounts(counts: readonly [string, number][], limit = 5): string {
  const shown = counts.slice(0, limit).map(([name, count]) => `${name} ${count}`);
  if (counts.length > limit) shown.push(`… ${counts.length - limit} more`);
  return shown.join(', ') || 'none';
}
