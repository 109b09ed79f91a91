/**
 * Keeps at most `limit` lines, noting how many were left out and how to see them.
 *
 * @param lines - the lines
 * @param limit - how many to keep
 * @param hint - what to do to see the rest
 */
export function limitLines(lines: readonly string[], limit: number, hint: string): string[] {
  if (lines.length <= limit) return [...lines];
  return [...lines.slice(0, limit), `… ${lines.length - limit} more lines: ${hint}`];
}

/**
 * A byte count for people: `67108864` → `64.0 MiB`.
 *
 * @param bytes - the count
 */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * An epoch-milliseconds time as ISO 8601 without milliseconds: `2026-11-27T11:49:28Z`.
 *
 * @param at - epoch milliseconds
 */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
