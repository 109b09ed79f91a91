import type { ChangeEvent, EntityRef } from '@aisre/core';
import { describeDuration, formatIsoTime } from '../scenario/duration';
import { hashString } from '../simulation/random';
import type { Simulation } from '../simulation/simulation';
import { jobName } from './naming';

/** A stable id for an event: a prefix and a hash of what identifies it. */
export function eventId(prefix: string, identity: string): string {
  return `${prefix}-${hashString(identity).toString(16).padStart(8, '0')}${hashString(`${identity}|2`).toString(16).padStart(8, '0')}`;
}

/**
 * Changes in the window as of `nowMs`, oldest first: deploys, rollbacks, config changes, scaling, applied
 * actions, and cronjob runs (a run is listed when it overlaps the window; `endedAt` once it has ended).
 */
export function listChanges(
  simulation: Simulation,
  query: { start: number; end: number; entity?: EntityRef },
  nowMs: number,
): ChangeEvent[] {
  const { model } = simulation;
  const end = Math.min(query.end, nowMs);
  const events: ChangeEvent[] = [];
  if (end < query.start) return events;
  for (const change of simulation.changes()) {
    const entity = model.entities[change.entity];
    if (!entity || change.atMs < query.start || change.atMs > end) continue;
    if (query.entity !== undefined && entity.ref !== query.entity) continue;
    events.push({
      id: eventId('chg', `${change.kind}|${entity.ref}|${change.atMs}|${change.summary}`),
      entity: entity.ref,
      kind: change.kind,
      at: formatIsoTime(change.atMs),
      summary: change.summary,
      actor: change.actor,
      attributes: structuredClone(change.attributes),
    });
  }
  for (const entity of model.entities) {
    if (entity.kind !== 'cronjob' || (query.entity !== undefined && entity.ref !== query.entity)) continue;
    for (const run of simulation.jobRuns(entity.index)) {
      if (run.startMs > end || run.endMs < query.start) continue;
      const job = jobName(entity, run.startMs);
      const ended = run.endMs <= nowMs;
      const status = !ended ? 'Running' : run.stopped ? 'Deleted' : 'Complete';
      const summary = !ended
        ? `Job ${job} started (CronJob ${entity.name})`
        : `Job ${job} ${run.stopped ? 'deleted after' : 'completed in'} ${describeDuration(run.endMs - run.startMs)} (CronJob ${entity.name})`;
      events.push({
        id: eventId('run', `${entity.ref}|${run.startMs}`),
        entity: entity.ref,
        kind: 'job-run',
        at: formatIsoTime(run.startMs),
        ...(ended ? { endedAt: formatIsoTime(run.endMs) } : {}),
        summary,
        actor: 'cronjob-controller',
        attributes: { job, cronJob: entity.name, status },
      });
    }
  }
  events.sort((left, right) =>
    left.at < right.at ? -1 : left.at > right.at ? 1 : left.id.localeCompare(right.id),
  );
  return events;
}
