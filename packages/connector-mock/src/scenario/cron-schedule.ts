/**
 * The 5-field cron subset of scenario files: `minute hour day-of-month month day-of-week`, each field `*`,
 * a number, a list (`1,15`), a range (`1-5`), a step (`*\/10`, `0-30/5`) or lists of those. Times are UTC.
 * As in Vixie cron, when both day fields are restricted a day matches if either matches; 7 is also Sunday.
 */

/** A parsed cron schedule: the allowed values of each field. */
export interface CronSchedule {
  /** The expression it came from. */
  expression: string;
  /** Allowed minutes, 0–59. */
  minutes: ReadonlySet<number>;
  /** Allowed hours, 0–23. */
  hours: ReadonlySet<number>;
  /** Allowed days of the month, 1–31. */
  daysOfMonth: ReadonlySet<number>;
  /** Allowed months, 1–12. */
  months: ReadonlySet<number>;
  /** Allowed days of the week, 0–6 (Sunday is 0). */
  daysOfWeek: ReadonlySet<number>;
  /** True when the day-of-month field is `*`. */
  anyDayOfMonth: boolean;
  /** True when the day-of-week field is `*`. */
  anyDayOfWeek: boolean;
}

const fieldNames = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const bounds: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, field: number): Set<number> | string {
  const [low, high] = bounds[field] ?? [0, 0];
  const name = fieldNames[field] ?? 'field';
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) return `${name} "${item}" is not *, a number, a range, a list or a step`;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    let from = low;
    let to = high;
    if (match[1] !== '*') {
      from = Number(match[2]);
      to = match[3] === undefined ? (match[4] === undefined ? from : high) : Number(match[3]);
    }
    if (step < 1) return `${name} step must be at least 1`;
    if (from < low || to > high || from > to) return `${name} "${item}" is outside ${low}-${high}`;
    for (let value = from; value <= to; value += step) values.add(field === 4 && value === 7 ? 0 : value);
  }
  return values;
}

/**
 * Parses a 5-field cron expression.
 *
 * @returns the schedule, or a message saying what is wrong
 */
export function parseCronSchedule(expression: string): CronSchedule | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  const sets: Set<number>[] = [];
  for (const [index, text] of fields.entries()) {
    const parsed = parseField(text, index);
    if (typeof parsed === 'string') return parsed;
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return {
    expression,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDayOfMonth: fields[2] === '*',
    anyDayOfWeek: fields[4] === '*',
  };
}

/** True when the schedule fires at the minute starting at `epochMs` (UTC). */
export function cronMatches(schedule: CronSchedule, epochMs: number): boolean {
  const date = new Date(epochMs);
  if (!schedule.minutes.has(date.getUTCMinutes()) || !schedule.hours.has(date.getUTCHours())) return false;
  if (!schedule.months.has(date.getUTCMonth() + 1)) return false;
  const dayOfMonth = schedule.daysOfMonth.has(date.getUTCDate());
  const dayOfWeek = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return dayOfMonth && dayOfWeek;
  return dayOfMonth || dayOfWeek;
}

/** The start times (epoch milliseconds, whole minutes) the schedule fires at in `[startMs, endMs]`. */
export function cronRunsBetween(schedule: CronSchedule, startMs: number, endMs: number): number[] {
  const runs: number[] = [];
  for (let minute = Math.ceil(startMs / 60_000) * 60_000; minute <= endMs; minute += 60_000) {
    if (cronMatches(schedule, minute)) runs.push(minute);
  }
  return runs;
}
