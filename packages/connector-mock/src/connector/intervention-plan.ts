import type { JsonValue, RemediationAction } from '@aisre/core';
import { parseCronSchedule } from '../scenario/cron-schedule';
import { versionAt } from '../simulation/change-timeline';
import type { EntitySettings, Intervention } from '../simulation/interventions';
import type { Simulation } from '../simulation/simulation';
import type { ModelFault } from '../simulation/system-model';
import { parseCpu, parseMemory } from './action-catalogue';

const minuteMs = 60_000;

/** What applying an action would do: the intervention, a summary and the before/after details. */
export interface InterventionPlan {
  /** The effect on the simulated system. */
  intervention: Intervention;
  /** One line for humans. */
  summary: string;
  /** Previous and new values. */
  details: Record<string, JsonValue>;
}

function stepAt(simulation: Simulation, atMs: number): number {
  const { model } = simulation;
  return Math.max(0, Math.min(model.stepCount - 1, Math.floor((atMs - model.startMs) / model.stepMs)));
}

/** How long recovery takes when `action` ends `fault`; `undefined` when it does not end it. */
function recoveryFor(
  fault: ModelFault,
  action: RemediationAction,
  current: EntitySettings,
): number | undefined {
  const parameters = action.parameters;
  const parameter = String(parameters.parameter ?? '').toLowerCase();
  const value = parameters.value;
  switch (fault.type) {
    case 'redis.memory-fragmentation':
      if (
        action.type === 'redis.config-set' &&
        parameter === 'activedefrag' &&
        String(value).toLowerCase() === 'yes'
      )
        return 15 * minuteMs;
      if (action.type === 'redis.memory-purge') return 3 * minuteMs;
      return undefined;
    case 'redis.memory-pressure':
      return action.type === 'redis.config-set' &&
        parameter === 'maxmemory' &&
        (parseMemory(value) ?? 0) > current.maxMemoryBytes
        ? 2 * minuteMs
        : undefined;
    case 'db.connection-pool-saturation':
      if (action.type === 'postgres.terminate-idle') return minuteMs;
      if (
        action.type === 'postgres.config-set' &&
        parameter === 'max_connections' &&
        Number(value) > current.maxConnections
      )
        return minuteMs;
      return undefined;
    case 'db.slow-queries':
      if (fault.params.cause === 'bad-plan')
        return action.type === 'postgres.analyze' ? 2 * minuteMs : undefined;
      return action.type === 'postgres.terminate-blocking' || action.type === 'postgres.terminate-idle'
        ? minuteMs
        : undefined;
    case 'deploy.bad-release':
    case 'memory.leak':
      return action.type === 'deployment.rollback' ? 2 * minuteMs : undefined;
    case 'config.bad-change':
      return action.type === 'config.revert' ? minuteMs : undefined;
    case 'cpu.saturation':
      if (action.type === 'deployment.scale' && Number(parameters.replicas) > current.replicas)
        return 3 * minuteMs;
      if (
        action.type === 'deployment.set-resources' &&
        (parseCpu(parameters.cpu) ?? 0) > current.cpuLimitCores
      )
        return 2 * minuteMs;
      return undefined;
    case 'disk.full':
      return action.type === 'volume.expand' &&
        Number(parameters.sizeGi) * 1024 ** 3 > current.volumeCapacityBytes
        ? minuteMs
        : undefined;
    case 'network.latency':
      return action.type === 'deployment.restart' ? 2 * minuteMs : undefined;
    case 'cronjob.resource-contention':
      return action.type === 'cronjob.suspend' || action.type === 'cronjob.reschedule'
        ? 2 * minuteMs
        : undefined;
    default:
      return undefined;
  }
}

function settingsChange(action: RemediationAction, current: EntitySettings): Partial<EntitySettings> {
  const parameters = action.parameters;
  const parameter = String(parameters.parameter ?? '').toLowerCase();
  switch (action.type) {
    case 'deployment.scale':
      return { replicas: Number(parameters.replicas) };
    case 'deployment.set-resources': {
      const cpu = parseCpu(parameters.cpu);
      const memory = parseMemory(parameters.memory);
      return {
        ...(cpu === undefined ? {} : { cpuLimitCores: cpu }),
        ...(memory === undefined ? {} : { memoryLimitBytes: memory }),
      };
    }
    case 'redis.config-set':
      return parameter === 'maxmemory' && parseMemory(parameters.value)
        ? { maxMemoryBytes: parseMemory(parameters.value) ?? current.maxMemoryBytes }
        : {};
    case 'postgres.config-set':
      return parameter === 'max_connections' && Number(parameters.value) > 0
        ? { maxConnections: Number(parameters.value) }
        : {};
    case 'volume.expand':
      return {
        volumeCapacityBytes: Math.max(current.volumeCapacityBytes, Number(parameters.sizeGi) * 1024 ** 3),
      };
    default:
      return {};
  }
}

function currentSettings(simulation: Simulation, target: number, atMs: number): EntitySettings {
  const series = simulation.settings(target);
  const step = stepAt(simulation, atMs);
  return {
    replicas: series.replicas[step] ?? 1,
    cpuLimitCores: series.cpuLimitCores[step] ?? 1,
    memoryLimitBytes: series.memoryLimitBytes[step] ?? 0,
    maxMemoryBytes: series.maxMemoryBytes[step] ?? 0,
    maxConnections: series.maxConnections[step] ?? 0,
    volumeCapacityBytes: series.volumeCapacityBytes[step] ?? 0,
  };
}

/**
 * Plans what `action` does to the simulated system when applied at `atMs`: the faults on its target that it
 * really ends (with how long recovery takes), the settings it changes, whether pods restart.
 */
export function planIntervention(
  simulation: Simulation,
  action: RemediationAction,
  target: number,
  atMs: number,
): InterventionPlan {
  const current = currentSettings(simulation, target, atMs);
  const settings = settingsChange(action, current);
  const mitigates: Intervention['mitigates'] = [];
  for (const fault of simulation.model.faults) {
    if (fault.target !== target || fault.startMs > atMs || simulation.mitigationOf(fault.index)) continue;
    const recoveryMs = recoveryFor(fault, action, current);
    if (recoveryMs !== undefined) mitigates.push({ fault: fault.index, recoveryMs });
  }
  let schedule: Intervention['schedule'];
  if (action.type === 'cronjob.suspend') schedule = null;
  if (action.type === 'cronjob.reschedule') {
    const parsed = parseCronSchedule(String(action.parameters.schedule));
    schedule = typeof parsed === 'string' ? null : parsed;
  }
  const entity = simulation.model.entities[target];
  const details: Record<string, JsonValue> = { target: action.target, type: action.type };
  for (const [key, value] of Object.entries(settings)) {
    details[`previous ${key}`] = current[key as keyof EntitySettings];
    details[`new ${key}`] = value;
  }
  if (action.type === 'deployment.rollback' || action.type === 'deployment.restart') {
    details.version = versionAt(simulation, target, atMs);
  }
  const intervention: Intervention = {
    action: structuredClone(action),
    atMs,
    target,
    mitigates,
    restartsPods: ['deployment.rollback', 'deployment.restart', 'deployment.set-resources'].includes(
      action.type,
    ),
    settings,
    ...(schedule === undefined ? {} : { schedule }),
  };
  const parameterText =
    Object.keys(action.parameters).length > 0 ? ` ${JSON.stringify(action.parameters)}` : '';
  return {
    intervention,
    summary: `${action.type}${parameterText} on ${entity?.ref ?? action.target}`,
    details,
  };
}
