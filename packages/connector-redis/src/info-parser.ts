/** The fields of one INFO section, in the server's order: `used_memory` → `67108688`. */
export type InfoSection = Record<string, string>;

/** An INFO reply by lower-case section name (`memory`, `stats`, `keyspace`, `commandstats`, …). */
export type InfoSections = Record<string, InfoSection>;

/**
 * Parses the text of an `INFO` reply: `# Section` headers, then `field:value` lines (the value may itself
 * contain colons, as paths do). Lines before any header go to a section named `default`.
 *
 * @param text - the reply
 */
export function parseInfo(text: string): InfoSections {
  const sections: InfoSections = {};
  let current: InfoSection | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim().toLowerCase();
      current = sections[name] ?? {};
      sections[name] = current;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = {};
      sections.default = current;
    }
    current[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return sections;
}

/**
 * Parses a compound INFO value, `keys=2001,expires=200,avg_ttl=3599847` or `p50=1.003,p99=2.007`.
 *
 * @param value - the value after the field's colon
 */
export function parseInfoFields(value: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    fields[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return fields;
}

/**
 * The number an INFO value holds: plain numbers, `ok`/`err` statuses (1/0) and `up`/`down` links (1/0);
 * `undefined` for anything else (a name, a path).
 *
 * @param value - the value
 */
export function infoNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === 'ok' || text === 'up') return 1;
  if (text === 'err' || text === 'down') return 0;
  if (text === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
