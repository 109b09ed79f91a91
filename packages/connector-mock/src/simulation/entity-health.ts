import { numberParameter, textParameter } from '../scenario/scenario-parameters';
import { loadFactor, statementSeconds, utilizationOf } from './postgres-state';
import {
  type CallShare,
  composeLatency,
  createQuantileSeries,
  type QuantileSeries,
  quantilesAt,
  setQuantiles,
} from './quantiles';
import { smoothNoise } from './random';
import { redisReadShare, redisWriteShare } from './redis-state';
import { trafficCpu } from './resource-usage';
import type { Simulation } from './simulation';
import type { EntityHealth, ErrorCause, ErrorCode } from './simulation-types';

function emptyHealth(length: number): EntityHealth {
  const make = () => new Float64Array(length);
  return {
    own: createQuantileSeries(length),
    latency: createQuantileSeries(length),
    errorRatio: make(),
    causes: [],
    intakeAddedSeconds: make(),
    intakeJitterSeconds: make(),
    intakeWaitFactor: make().fill(1),
    intakeTimeoutRatio: make(),
    missPenaltySeconds: make(),
  };
}

function addCause(causes: ErrorCause[], code: ErrorCode, ratio: Float64Array, peer?: number): void {
  if (ratio.some((value) => value > 0))
    causes.push(peer === undefined ? { code, ratio } : { code, ratio, peer });
}

function scaled(values: Float64Array, factor: number): Float64Array {
  return values.map((value) => value * factor);
}

function fullVolume(simulation: Simulation, index: number): Float64Array {
  const resources = simulation.resources(index);
  return resources.volumeUsedBytes.map((used, step) => {
    const capacity = resources.volumeCapacityBytes[step] ?? 0;
    return capacity > 0 ? Math.min(1, Math.max(0, (used / capacity - 0.985) / 0.015)) : 0;
  });
}

function applyNetwork(simulation: Simulation, index: number, health: EntityHealth): void {
  const fault = simulation.faultsOn(index, 'network.latency')[0];
  if (!fault) return;
  const strength = simulation.strength(index, 'network.latency');
  const added = numberParameter(fault.params, 'addedMs') / 1000;
  const jitter = numberParameter(fault.params, 'jitterMs') / 1000;
  for (let step = 0; step < strength.length; step++) {
    health.intakeAddedSeconds[step] = added * (strength[step] ?? 0);
    health.intakeJitterSeconds[step] = jitter * (strength[step] ?? 0);
  }
}

function sumRatios(health: EntityHealth, length: number): void {
  for (let step = 0; step < length; step++) {
    let survive = 1;
    for (const cause of health.causes) survive *= 1 - Math.min(1, cause.ratio[step] ?? 0);
    health.errorRatio[step] = 1 - survive;
  }
}

function serviceHealth(simulation: Simulation, index: number): EntityHealth {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const health = emptyHealth(length);
  if (!entity) return health;
  const noise = smoothNoise(simulation.random(`latency|${entity.ref}`), length, 0.05, 0.75);
  const errorNoise = smoothNoise(simulation.random(`errors|${entity.ref}`), length, 0.3, 0.6);
  const cpu = trafficCpu(simulation, index);
  const resources = simulation.resources(index);
  const settings = simulation.settings(index);
  const release = simulation.faultsOn(index, 'deploy.bad-release')[0];
  const releaseStrength = simulation.strength(index, 'deploy.bad-release');
  const config = simulation.faultsOn(index, 'config.bad-change')[0];
  const configStrength = simulation.strength(index, 'config.bad-change');
  const saturation = simulation.faultsOn(index, 'cpu.saturation')[0];
  const saturationStrength = simulation.strength(index, 'cpu.saturation');
  const disk = simulation.faultsOn(index, 'disk.full')[0];
  const anomalyLatency = simulation.anomaly(index, 'latency');
  const anomalyErrors = simulation.anomaly(index, 'errors');
  const rollout = simulation.rollout(index);
  const base = entity.baseline.latencySeconds;
  const multiplier = (fault: { params: Record<string, number | string> } | undefined, name: string) =>
    fault ? numberParameter(fault.params, name) : 1;
  for (let step = 0; step < length; step++) {
    const utilization =
      (cpu[step] ?? 0) / Math.max(1e-9, (settings.replicas[step] ?? 1) * (settings.cpuLimitCores[step] ?? 1));
    const factor =
      loadFactor(utilization) *
      (1 + (multiplier(release, 'latencyMultiplier') - 1) * (releaseStrength[step] ?? 0)) *
      (1 + (multiplier(config, 'latencyMultiplier') - 1) * (configStrength[step] ?? 0)) *
      (1 + (multiplier(saturation, 'latencyMultiplier') - 1) * (saturationStrength[step] ?? 0)) *
      (1 + 1.2 * (resources.memoryPressure[step] ?? 0)) *
      (1 + (anomalyLatency[step] ?? 0)) *
      (1 + (noise[step] ?? 0));
    setQuantiles(health.own, step, {
      p50: base * factor,
      p95: base * 2.6 * factor,
      p99: base * 5.2 * factor,
    });
  }
  const causes = health.causes;
  addCause(
    causes,
    'background',
    errorNoise.map((value) => entity.baseline.errorRatio * Math.exp(value)),
  );
  if (release)
    addCause(
      causes,
      'release-exception',
      scaled(releaseStrength, numberParameter(release.params, 'errorRatio')),
    );
  if (config)
    addCause(causes, 'config-error', scaled(configStrength, numberParameter(config.params, 'errorRatio')));
  const restarts = resources.oomKills.map((kills, step) => {
    const replicas = settings.replicas[step] ?? 1;
    return Math.min(1, (0.35 * kills + 0.1 * (resources.oomKills[step - 1] ?? 0)) / replicas);
  });
  addCause(causes, 'oom-restart', restarts);
  if (disk)
    addCause(
      causes,
      'disk-full',
      scaled(fullVolume(simulation, index), numberParameter(disk.params, 'errorRatio')),
    );
  addCause(causes, 'transient', scaled(anomalyErrors, 0.01));
  const calls = entity.outgoing.map((edgeIndex) => ({
    edge: model.edges[edgeIndex],
    view: simulation.edgeView(edgeIndex),
  }));
  for (const { edge, view } of calls) {
    if (!edge) continue;
    const share = Math.min(1, edge.fanout) * edge.damping;
    addCause(causes, 'upstream', scaled(view.errorRatio, share), edge.to);
    addCause(causes, 'timeout', scaled(view.timeoutRatio, share), edge.to);
  }
  for (let step = 0; step < length; step++) {
    const shares: CallShare[] = [];
    for (const { edge, view } of calls) {
      if (edge) shares.push({ fanout: edge.fanout, latency: quantilesAt(view.effective, step) });
    }
    // While pods roll (a deploy, a restart) cold caches and fresh connections slow whole requests.
    const warmup = 1 + 0.35 * (rollout[step] ?? 0);
    const composed = composeLatency(quantilesAt(health.own, step), shares);
    setQuantiles(health.latency, step, {
      p50: composed.p50 * warmup,
      p95: composed.p95 * warmup,
      p99: composed.p99 * warmup,
    });
  }
  sumRatios(health, length);
  applyNetwork(simulation, index, health);
  return health;
}

function copyOwn(health: EntityHealth, own: QuantileSeries): void {
  health.own = own;
  health.latency = own;
}

function redisHealth(simulation: Simulation, index: number): EntityHealth {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const health = emptyHealth(length);
  if (!entity) return health;
  const state = simulation.redis(index);
  const utilization = utilizationOf(simulation, index);
  const noise = smoothNoise(simulation.random(`latency|${entity.ref}`), length, 0.06, 0.7);
  const fragmentationFault = simulation.faultsOn(index, 'redis.memory-fragmentation')[0];
  const fragmentation = simulation.strength(index, 'redis.memory-fragmentation');
  const fragmentationMultiplier = fragmentationFault
    ? numberParameter(fragmentationFault.params, 'latencyMultiplier')
    : 1;
  const saturationFault = simulation.faultsOn(index, 'cpu.saturation')[0];
  const saturation = simulation.strength(index, 'cpu.saturation');
  const saturationMultiplier = saturationFault
    ? numberParameter(saturationFault.params, 'latencyMultiplier')
    : 1;
  const load = simulation.jobLoad(index);
  const anomaly = simulation.anomaly(index, 'latency');
  const own = createQuantileSeries(length);
  for (let step = 0; step < length; step++) {
    const p99 =
      entity.baseline.latencySeconds *
      loadFactor(utilization[step] ?? 0) *
      (1 + (fragmentationMultiplier - 1) * (fragmentation[step] ?? 0)) *
      (1 + (saturationMultiplier - 1) * (saturation[step] ?? 0)) *
      (1 + (load[step] ?? 0)) *
      (1 + (anomaly[step] ?? 0)) *
      (1 + 0.3 * (state.fullness[step] ?? 0)) *
      (1 + (noise[step] ?? 0));
    setQuantiles(own, step, { p50: p99 * 0.3, p95: p99 * 0.62, p99 });
  }
  copyOwn(health, own);
  const pressure = simulation.faultsOn(index, 'redis.memory-pressure')[0];
  if (pressure && textParameter(pressure.params, 'policy') === 'noeviction') {
    addCause(health.causes, 'redis-oom', scaled(state.fullness, redisWriteShare));
  }
  const disk = simulation.faultsOn(index, 'disk.full')[0];
  if (disk) {
    addCause(
      health.causes,
      'redis-misconf',
      scaled(fullVolume(simulation, index), numberParameter(disk.params, 'errorRatio') * redisWriteShare),
    );
  }
  addCause(health.causes, 'transient', scaled(simulation.anomaly(index, 'errors'), 0.01));
  sumRatios(health, length);
  if (fragmentationFault) {
    health.intakeTimeoutRatio = scaled(
      fragmentation,
      numberParameter(fragmentationFault.params, 'callerErrorRatio'),
    );
  }
  for (let step = 0; step < length; step++) {
    const reads = state.hitsPerSecond[step]! + state.missesPerSecond[step]!;
    const missRatio = reads > 0 ? state.missesPerSecond[step]! / reads : 0;
    health.missPenaltySeconds[step] =
      Math.max(0, missRatio - (1 - entity.baseline.hitRatio)) * redisReadShare * 0.015;
  }
  applyNetwork(simulation, index, health);
  return health;
}

function postgresHealth(simulation: Simulation, index: number): EntityHealth {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const health = emptyHealth(length);
  if (!entity) return health;
  const state = simulation.postgres(index);
  const statement = statementSeconds(simulation, index);
  const slowFault = simulation.faultsOn(index, 'db.slow-queries')[0];
  const slow = simulation.strength(index, 'db.slow-queries');
  const locking = slowFault?.params.cause === 'lock-contention';
  const own = createQuantileSeries(length);
  for (let step = 0; step < length; step++) {
    const p50 = ((statement[step] ?? 0) / 1.4) * (1 + 0.4 * (state.saturation[step] ?? 0));
    const tail = 1 + (locking ? 1.5 * (slow[step] ?? 0) : 0);
    setQuantiles(own, step, { p50, p95: p50 * 3.2 * tail, p99: p50 * 7 * tail });
  }
  copyOwn(health, own);
  const pool = simulation.faultsOn(index, 'db.connection-pool-saturation')[0];
  if (pool)
    addCause(
      health.causes,
      'pg-too-many-clients',
      scaled(state.saturation, numberParameter(pool.params, 'errorRatio')),
    );
  if (slowFault) {
    addCause(
      health.causes,
      locking ? 'pg-lock-timeout' : 'pg-statement-timeout',
      scaled(slow, numberParameter(slowFault.params, 'timeoutRatio')),
    );
  }
  const disk = simulation.faultsOn(index, 'disk.full')[0];
  if (disk)
    addCause(
      health.causes,
      'pg-disk-full',
      scaled(fullVolume(simulation, index), numberParameter(disk.params, 'errorRatio')),
    );
  addCause(health.causes, 'transient', scaled(simulation.anomaly(index, 'errors'), 0.01));
  sumRatios(health, length);
  if (pool) {
    const multiplier = numberParameter(pool.params, 'latencyMultiplier');
    health.intakeWaitFactor = state.saturation.map((level) => 1 + (multiplier - 1) * level);
  }
  applyNetwork(simulation, index, health);
  return health;
}

function simpleHealth(simulation: Simulation, index: number): EntityHealth {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const health = emptyHealth(length);
  if (!entity || entity.kind === 'cronjob') return health;
  const noise = smoothNoise(simulation.random(`latency|${entity.ref}`), length, 0.07, 0.75);
  const timeoutFault = simulation.faultsOn(index, 'dependency.timeout')[0];
  const slow = simulation.strength(index, 'dependency.timeout');
  const degraded = timeoutFault ? numberParameter(timeoutFault.params, 'latencyMs') / 1000 : 0;
  const own = createQuantileSeries(length);
  const base = entity.baseline.latencySeconds;
  for (let step = 0; step < length; step++) {
    const factor = 1 + (noise[step] ?? 0);
    if (entity.kind === 'queue') {
      setQuantiles(own, step, { p50: base * 0.4 * factor, p95: base * 0.7 * factor, p99: base * factor });
      continue;
    }
    const p50 = (base + (degraded - base) * (slow[step] ?? 0) * (degraded > base ? 1 : 0)) * factor;
    setQuantiles(own, step, {
      p50,
      p95: Math.max(base * 2.3, p50 * 1.6) * factor,
      p99: Math.max(base * 4, p50 * 2.5) * factor,
    });
  }
  copyOwn(health, own);
  const errorNoise = smoothNoise(simulation.random(`errors|${entity.ref}`), length, 0.3, 0.6);
  addCause(
    health.causes,
    'background',
    errorNoise.map((value) => entity.baseline.errorRatio * Math.exp(value)),
  );
  sumRatios(health, length);
  applyNetwork(simulation, index, health);
  return health;
}

/** How an entity serves its calls: latency, errors by cause, and what callers see on top. */
export function computeEntityHealth(simulation: Simulation, index: number): EntityHealth {
  switch (simulation.model.entities[index]?.kind) {
    case 'service':
      return serviceHealth(simulation, index);
    case 'redis':
      return redisHealth(simulation, index);
    case 'postgres':
      return postgresHealth(simulation, index);
    default:
      return simpleHealth(simulation, index);
  }
}
