import { type CronSchedule, cronRunsBetween } from '../scenario/cron-schedule';
import { numberParameter } from '../scenario/scenario-parameters';
import type { Simulation } from './simulation';
import type { JobRun } from './simulation-types';

const minuteMs = 60_000;
const lookbackMs = 6 * 3_600_000;

interface ScheduleSegment {
  fromMs: number;
  toMs: number;
  schedule: CronSchedule | null;
}

function scheduleSegments(simulation: Simulation, index: number): ScheduleSegment[] {
  const { model } = simulation;
  const segments: ScheduleSegment[] = [];
  let fromMs = model.startMs - lookbackMs;
  let schedule: CronSchedule | null = model.entities[index]?.schedule ?? null;
  const changes = simulation.interventions
    .filter((intervention) => intervention.target === index && intervention.schedule !== undefined)
    .sort((left, right) => left.atMs - right.atMs);
  for (const change of changes) {
    segments.push({ fromMs, toMs: change.atMs, schedule });
    fromMs = change.atMs;
    schedule = change.schedule ?? null;
  }
  segments.push({ fromMs, toMs: model.endMs, schedule });
  return segments;
}

/**
 * The runs of a cronjob: every scheduled start from six hours before the window to its end, light and short
 * normally, heavy and long while a contention fault is active, stopped when an action stops the job.
 */
export function computeJobRuns(simulation: Simulation, index: number): JobRun[] {
  const { model } = simulation;
  const entity = model.entities[index];
  if (entity?.kind !== 'cronjob') return [];
  const faults = simulation.faultsOn(index, 'cronjob.resource-contention');
  const stops = simulation.interventions
    .filter((intervention) => intervention.target === index && intervention.schedule !== undefined)
    .map((intervention) => intervention.atMs);
  const runs: JobRun[] = [];
  for (const segment of scheduleSegments(simulation, index)) {
    if (!segment.schedule) continue;
    for (const startMs of cronRunsBetween(segment.schedule, segment.fromMs, segment.toMs - 1)) {
      const heavyFault = faults.find((fault) => {
        const mitigation = simulation.mitigationOf(fault.index);
        return (
          startMs >= fault.startMs &&
          (fault.endMs === undefined || startMs < fault.endMs) &&
          (mitigation === undefined || startMs < mitigation.atMs)
        );
      });
      const jitter = simulation.random(`run|${entity.ref}|${startMs}`).between(0.85, 1.15);
      const minutes = heavyFault
        ? numberParameter(heavyFault.params, 'runMinutes')
        : entity.baseline.runMinutes * jitter;
      let endMs = startMs + Math.round(minutes * minuteMs);
      let stopped = false;
      const stop = stops.find((at) => at > startMs && at < endMs);
      if (stop !== undefined) {
        endMs = stop + 30_000;
        stopped = true;
      }
      runs.push({ startMs, endMs, heavy: heavyFault !== undefined, stopped });
    }
  }
  return runs;
}

/** Per step: whether the job runs (0/1) and how heavy the run is (0..1, ramping up over two minutes). */
export function computeJobActivity(
  simulation: Simulation,
  index: number,
): { running: Float64Array; heavy: Float64Array } {
  const { model } = simulation;
  const running = new Float64Array(model.stepCount);
  const heavy = new Float64Array(model.stepCount);
  for (const run of simulation.jobRuns(index)) {
    const first = Math.max(0, Math.ceil((run.startMs - model.startMs) / model.stepMs));
    const last = Math.min(model.stepCount - 1, Math.floor((run.endMs - model.startMs) / model.stepMs));
    for (let step = first; step <= last; step++) {
      running[step] = 1;
      if (run.heavy) {
        const at = model.startMs + step * model.stepMs;
        heavy[step] = Math.max(heavy[step] ?? 0, Math.min(1, (at - run.startMs) / (2 * minuteMs)));
      }
    }
  }
  return { running, heavy };
}

/** The load a datastore gets from the cronjobs that use it: latency multiplier minus one, per step. */
export function computeJobLoad(simulation: Simulation, index: number): Float64Array {
  const { model } = simulation;
  const load = new Float64Array(model.stepCount);
  for (const edgeIndex of model.entities[index]?.incoming ?? []) {
    const edge = model.edges[edgeIndex];
    const caller = edge ? model.entities[edge.from] : undefined;
    if (caller?.kind !== 'cronjob') continue;
    const { running, heavy } = simulation.jobActivity(caller.index);
    const fault = simulation.faultsOn(caller.index, 'cronjob.resource-contention')[0];
    const multiplier = fault ? numberParameter(fault.params, 'loadMultiplier') : 1;
    for (let step = 0; step < model.stepCount; step++) {
      load[step] = (load[step] ?? 0) + 0.12 * (running[step] ?? 0) + (multiplier - 1) * (heavy[step] ?? 0);
    }
  }
  return load;
}
