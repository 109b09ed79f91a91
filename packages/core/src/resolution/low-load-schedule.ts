/** A time of day, UTC. */
export interface QuietTime {
  /** Hour, 0–23. */
  hour: number;
  /** Minute, 0–59. */
  minute: number;
}

/** The quiet times (UTC) the built-in catalogue moves scheduled jobs to, in order of preference. */
export const quietTimesUtc: readonly QuietTime[] = [
  { hour: 4, minute: 30 },
  { hour: 22, minute: 30 },
];

const minutesPerDay = 24 * 60;

function circularDistance(a: number, b: number): number {
  const difference = Math.abs(a - b) % minutesPerDay;
  return Math.min(difference, minutesPerDay - difference);
}

/**
 * A low-load cron schedule for a job that collided with an incident: the first of {@link quietTimesUtc} at
 * least two hours from the incident's time of day, keeping the day-of-month, month and day-of-week fields of
 * the job's current schedule when it is known (daily otherwise).
 *
 * @param incidentAt - when the incident happened, epoch ms
 * @param currentSchedule - the job's current 5-field schedule, when known
 */
export function lowLoadSchedule(incidentAt: number, currentSchedule?: string): string {
  const incident = new Date(incidentAt);
  const incidentMinute = incident.getUTCHours() * 60 + incident.getUTCMinutes();
  const quiet =
    quietTimesUtc.find((time) => circularDistance(time.hour * 60 + time.minute, incidentMinute) >= 120) ??
    quietTimesUtc[0];
  const fields = currentSchedule?.trim().split(/\s+/);
  const days = fields?.length === 5 ? fields.slice(2).join(' ') : '* * *';
  return `${quiet?.minute ?? 30} ${quiet?.hour ?? 4} ${days}`;
}
