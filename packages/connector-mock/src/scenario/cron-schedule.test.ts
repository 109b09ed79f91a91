import { describe, expect, it } from 'vitest';
import { cronMatches, cronRunsBetween, parseCronSchedule } from './cron-schedule';

function schedule(expression: string) {
  const parsed = parseCronSchedule(expression);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('cron schedules', () => {
  it('supports *, numbers, lists, ranges and steps', () => {
    const parsed = schedule('*/15 1,13 1-5 * 1-5');
    expect([...parsed.minutes]).toEqual([0, 15, 30, 45]);
    expect([...parsed.hours]).toEqual([1, 13]);
    expect([...parsed.daysOfMonth]).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.months.size).toBe(12);
    expect([...schedule('0-30/10 * * * *').minutes]).toEqual([0, 10, 20, 30]);
    expect([...schedule('0 0 * * 7').daysOfWeek]).toEqual([0]);
  });

  it('finds the runs in a window (UTC)', () => {
    const start = Date.parse('2026-03-02T00:00:00Z');
    const runs = cronRunsBetween(schedule('30 1,3 * * *'), start, start + 4 * 3_600_000);
    expect(runs.map((run) => new Date(run).toISOString())).toEqual([
      '2026-03-02T01:30:00.000Z',
      '2026-03-02T03:30:00.000Z',
    ]);
    expect(cronRunsBetween(schedule('*/20 * * * *'), start, start + 3_600_000)).toHaveLength(4);
  });

  it('matches either day field when both are restricted (Vixie cron)', () => {
    const monday = Date.parse('2026-03-02T04:00:00Z');
    const fifteenth = Date.parse('2026-03-15T04:00:00Z');
    const both = schedule('0 4 15 * 1');
    expect(cronMatches(both, monday)).toBe(true);
    expect(cronMatches(both, fifteenth)).toBe(true);
    expect(cronMatches(both, monday + 86_400_000)).toBe(false);
  });

  it('explains what is wrong', () => {
    expect(parseCronSchedule('* * * *')).toMatch(/5 fields/);
    expect(parseCronSchedule('60 * * * *')).toMatch(/minute "60" is outside 0-59/);
    expect(parseCronSchedule('* 5-2 * * *')).toMatch(/hour/);
    expect(parseCronSchedule('@daily * * * *')).toMatch(/not \*, a number/);
    expect(parseCronSchedule('* * 0 * *')).toMatch(/day of month/);
  });
});
