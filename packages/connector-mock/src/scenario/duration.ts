/** Durations (`30s`, `60m`, `3h`, `1d`) and time references (`+60m` or an ISO time) of scenario files. */

const durationPattern = /^(\d+)(s|m|h|d)$/;
const offsetPattern = /^\+(\d+)(s|m|h|d)$/;
const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const unitMilliseconds: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function amount(match: RegExpExecArray | null): number | undefined {
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = unitMilliseconds[match[2] ?? ''];
  return unit === undefined ? undefined : count * unit;
}

/** Milliseconds of a duration like `30s`, `60m`, `3h` or `1d`; `undefined` when it is not one. */
export function parseDuration(text: string): number | undefined {
  return amount(durationPattern.exec(text));
}

/** Epoch milliseconds of an ISO time with a timezone; `undefined` when it is not one. */
export function parseIsoTime(text: string): number | undefined {
  if (!isoPattern.test(text)) return undefined;
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  const epochMs = Date.parse(text);
  return Number.isFinite(epochMs) ? epochMs : undefined;
}

/**
 * Epoch milliseconds of a time reference: an offset from `startMs` (`+60m`) or an ISO time.
 * `undefined` when it is neither.
 */
export function resolveTimeReference(reference: string, startMs: number): number | undefined {
  const offset = amount(offsetPattern.exec(reference));
  if (offset !== undefined) return startMs + offset;
  return parseIsoTime(reference);
}

/** Formats epoch milliseconds as an ISO time (`2026-03-02T01:00:00.000Z`). */
export function formatIsoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** A compact duration for humans: `45s`, `12m`, `3h05m`. */
export function describeDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
}
