import type { LogQuery, LogRecord } from '@aisre/core';
import { textParameter } from '../scenario/scenario-parameters';
import { versionAt } from '../simulation/change-timeline';
import { quantilesAt, shareAbove } from '../simulation/quantiles';
import type { Simulation } from '../simulation/simulation';
import type { EntityHealth, ErrorCode } from '../simulation/simulation-types';
import type { ModelEntity } from '../simulation/system-model';
import { cronjobLines, postgresLines, redisLines } from './datastore-log-lines';
import { backgroundText, callerErrorText, callerTimeoutText, ownErrorText } from './log-messages';
import { podName } from './naming';
import { StepLog } from './step-log';

const levels: LogRecord['level'][] = ['debug', 'info', 'warn', 'error', 'fatal'];
const logSampling = 0.02;

function dominantCause(health: EntityHealth, step: number): ErrorCode | undefined {
  let best: ErrorCode | undefined;
  let bestRatio = 0;
  for (const cause of health.causes) {
    const ratio = cause.ratio[step] ?? 0;
    if (cause.code !== 'background' && ratio > bestRatio) {
      best = cause.code;
      bestRatio = ratio;
    }
  }
  return best;
}

function serviceLines(simulation: Simulation, entity: ModelEntity, log: StepLog, step: number): void {
  const { model } = simulation;
  const random = log.random;
  const health = simulation.health(entity.index);
  const rate = simulation.activity(entity.index)[step] ?? 0;
  const stepSeconds = model.stepMs / 1000;
  const version = versionAt(simulation, entity.index, simulation.timeAt(step));
  const configFault = simulation.faultsOn(entity.index, 'config.bad-change')[0];
  const configKey = configFault ? textParameter(configFault.params, 'key') : undefined;
  for (const cause of health.causes) {
    const expected = (cause.ratio[step] ?? 0) * rate * stepSeconds * logSampling;
    if (cause.peer === undefined) {
      log.repeat(expected, 8, () => ownErrorText(entity, cause.code, { version, configKey }, random));
      continue;
    }
    const callee = model.entities[cause.peer];
    if (!callee) continue;
    const calleeHealth = simulation.health(callee.index);
    if (cause.code === 'timeout') {
      const edge = model.edges.find(
        (candidate) => candidate.from === entity.index && candidate.to === callee.index,
      );
      const waiting = (calleeHealth.intakeWaitFactor[step] ?? 1) > 1.5;
      log.repeat(expected, 8, () =>
        callerTimeoutText(model, callee, edge?.timeoutSeconds ?? 3, waiting, random),
      );
    } else {
      log.repeat(expected, 8, () =>
        callerErrorText(model, callee, dominantCause(calleeHealth, step), random),
      );
    }
  }
  const resources = simulation.resources(entity.index);
  for (const event of resources.oomEvents) {
    if (event.step !== step) continue;
    const pod = podName(entity, event.pod);
    log.add(
      {
        level: 'error',
        message: `Container ${entity.name} in pod ${pod} was OOMKilled (exit code 137); restarting`,
        attributes: { source: 'kubelet', reason: 'OOMKilled' },
      },
      pod,
    );
  }
  const pressure = resources.memoryPressure[step] ?? 0;
  log.repeat(pressure * 1.5, 3, () => ({
    level: 'warn',
    message: `GC overhead high: ${Math.round(25 + pressure * 50)}% of time spent in garbage collection over the last minute`,
    attributes: { 'service.version': version },
  }));
  const saturation = simulation.strength(entity.index, 'cpu.saturation')[step] ?? 0;
  log.repeat(saturation * 1.2, 3, () => ({
    level: 'warn',
    message: `Liveness probe failed: Get "http://10.${random.integer(0, 3)}.${random.integer(0, 255)}.${random.integer(2, 250)}:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    attributes: { source: 'kubelet' },
  }));
  const slowShare = shareAbove(quantilesAt(health.latency, step), 1);
  log.repeat(slowShare * rate * stepSeconds * 0.01, 4, () => ({
    level: 'warn',
    message: `slow request: ${random.pick(['GET', 'POST'])} /api/${entity.name} took ${random.integer(1000, 4000)}ms`,
    attributes: { 'service.version': version },
  }));
  const rollouts = simulation.memo(`rollout-changes|${entity.index}`, () =>
    simulation.changes().filter((change) => change.entity === entity.index && change.rollsPods),
  );
  for (const change of rollouts) {
    if (Math.floor((change.atMs - model.startMs) / model.stepMs) !== step) continue;
    const starting = versionAt(simulation, entity.index, change.atMs);
    for (let replica = 0; replica < Math.min(entity.replicas, 3); replica++) {
      log.add({
        level: 'info',
        message: `starting ${entity.name} ${starting}, listening on :8080`,
        attributes: { 'service.version': starting },
      });
    }
  }
  const phase = entity.baseline.podHash.charCodeAt(0) % 10;
  for (const edgeIndex of entity.outgoing) {
    const edge = model.edges[edgeIndex];
    const callee = model.entities[edge?.to ?? -1];
    if (callee?.kind === 'postgres' && step % 10 === phase) {
      const state = simulation.postgres(callee.index);
      const size = Math.max(
        1,
        Math.floor((state.maxConnections[step] ?? 100) / Math.max(1, callee.incoming.length)),
      );
      const busy = Math.min(
        size,
        Math.round((state.active[step] ?? 0) + (state.idleInTransaction[step] ?? 0)),
      );
      const waiting = Math.round((state.saturation[step] ?? 0) * rate * 0.2);
      log.add({
        level: 'info',
        message: `pg pool stats: total=${size} idle=${size - busy} waiting=${waiting}`,
        attributes: { peer: callee.ref },
      });
    }
  }
  for (const queue of entity.consumes) {
    const callee = model.entities[queue];
    if (!callee || step % 4 !== phase % 4) continue;
    const delivered = simulation.queue(queue).deliveredPerSecond[step] ?? 0;
    log.add({
      level: 'info',
      message: `processed ${Math.round((delivered * model.stepMs * 4) / 1000 / Math.max(1, callee.consumers.length))} messages from ${callee.name}`,
      attributes: { queue: callee.name },
    });
  }
}

function backgroundRate(simulation: Simulation, entity: ModelEntity, step: number): number {
  switch (entity.kind) {
    case 'service':
      return 0.5 + 0.5 * Math.log10(1 + (simulation.activity(entity.index)[step] ?? 0) / 10);
    case 'redis':
      return 0.12;
    case 'postgres':
      return 0.35;
    case 'queue':
      return 0.1;
    case 'cronjob':
      return 0.8 * (simulation.jobActivity(entity.index).running[step] ?? 0);
    default:
      return 0;
  }
}

/** Lines with their times, epoch milliseconds (parallel arrays). */
export interface TimedLines {
  /** The lines. */
  readonly lines: LogRecord[];
  /** Their times. */
  readonly times: number[];
}

/** The log lines an entity writes during one step, with their times (cached in the simulation). */
export function logsAt(simulation: Simulation, index: number, step: number): TimedLines {
  return simulation.memo(`logs|${index}|${step}`, (): TimedLines => {
    const entity = simulation.model.entities[index];
    if (!entity || entity.kind === 'external') return { lines: [], times: [] };
    const log = new StepLog(simulation, entity, step, simulation.random(`logs|${entity.ref}|${step}`));
    const version = versionAt(simulation, index, simulation.timeAt(step));
    log.repeat(backgroundRate(simulation, entity, step), 6, () =>
      backgroundText(simulation.model, entity, log.random, { version }),
    );
    if (entity.kind === 'service') serviceLines(simulation, entity, log, step);
    if (entity.kind === 'postgres') postgresLines(simulation, entity, log, step);
    if (entity.kind === 'redis') redisLines(simulation, entity, log, step);
    if (entity.kind === 'cronjob') cronjobLines(simulation, entity, log, step);
    return log;
  });
}

/** Lines matching the query as of `nowMs`, newest first. */
export function searchLogs(simulation: Simulation, query: LogQuery, nowMs: number): LogRecord[] {
  const { model } = simulation;
  const start = Math.max(query.start, model.startMs);
  const end = Math.min(query.end, nowMs);
  const limit = query.limit ?? 100;
  const minimum = levels.indexOf(query.minLevel ?? 'debug');
  const text = query.text?.toLowerCase();
  const indexes =
    query.entity === undefined
      ? model.entities.map((entity) => entity.index)
      : [model.byRef.get(query.entity) ?? -1];
  const found: LogRecord[] = [];
  if (end < start) return found;
  const lastStep = Math.min(model.stepCount - 1, Math.floor((end - model.startMs) / model.stepMs));
  const firstStep = Math.max(0, Math.floor((start - model.startMs) / model.stepMs));
  for (let step = lastStep; step >= firstStep && found.length < limit; step--) {
    const lines: LogRecord[] = [];
    for (const index of indexes) {
      if (index < 0) continue;
      const log = logsAt(simulation, index, step);
      for (const [position, line] of log.lines.entries()) {
        const at = log.times[position] ?? 0;
        if (at < start || at > end || levels.indexOf(line.level) < minimum) continue;
        if (text && !line.message.toLowerCase().includes(text)) continue;
        lines.push(line);
      }
    }
    lines.sort((left, right) =>
      left.at < right.at ? 1 : left.at > right.at ? -1 : left.entity.localeCompare(right.entity),
    );
    found.push(...lines);
  }
  return found.slice(0, limit).map((line) => structuredClone(line));
}
