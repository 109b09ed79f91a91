import { numberParameter, textParameter } from '../scenario/scenario-parameters';
import { faultStrength } from './fault-timeline';
import { smoothNoise } from './random';
import type { Simulation } from './simulation';
import type { RedisState } from './simulation-types';

/** Share of redis commands that read a key (GET). */
export const redisReadShare = 0.62;

/** Share of redis commands that write (SET, EXPIRE, DEL). */
export const redisWriteShare = 0.38;

/**
 * Redis internals: the data set sits at about 80 % of maxmemory; memory pressure grows it to the limit
 * (evictions or refusals); fragmentation inflates RSS; a BGSAVE fork during a job run adds copy-on-write RSS.
 */
export function computeRedisState(simulation: Simulation, index: number): RedisState {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const make = () => new Float64Array(length);
  const state: RedisState = {
    usedBytes: make(),
    maxBytes: make(),
    rssBytes: make(),
    fragmentation: make(),
    evictionsPerSecond: make(),
    hitsPerSecond: make(),
    missesPerSecond: make(),
    connectedClients: make(),
    fullness: make(),
  };
  if (!entity) return state;
  const settings = simulation.settings(index);
  const ops = simulation.inboundRate(index);
  const usedNoise = smoothNoise(simulation.random(`redis-used|${entity.ref}`), length, 0.003, 0.97);
  const fragmentationNoise = smoothNoise(simulation.random(`redis-frag|${entity.ref}`), length, 0.008, 0.9);
  const fragmentationFault = simulation.faultsOn(index, 'redis.memory-fragmentation')[0];
  const fragmentation = simulation.strength(index, 'redis.memory-fragmentation');
  const targetRatio = fragmentationFault
    ? numberParameter(fragmentationFault.params, 'ratio')
    : entity.baseline.fragmentationRatio;
  const pressureFault = simulation.faultsOn(index, 'redis.memory-pressure')[0];
  const growth = pressureFault ? faultStrength(model, pressureFault, undefined) : make();
  const policy = pressureFault ? textParameter(pressureFault.params, 'policy') : 'allkeys-lru';
  const evictionRate = pressureFault ? numberParameter(pressureFault.params, 'evictionsPerSecond') : 0;
  const pressuredHitRatio = pressureFault
    ? numberParameter(pressureFault.params, 'hitRatio')
    : entity.baseline.hitRatio;
  const pressure = simulation.strength(index, 'redis.memory-pressure');
  const { running, heavy } = jobsOn(simulation, index);
  let callerPods = 0;
  for (const edgeIndex of entity.incoming) {
    const caller = model.entities[model.edges[edgeIndex]?.from ?? -1];
    if (caller && caller.kind !== 'cronjob') callerPods += caller.replicas;
  }
  const originalMax = entity.maxMemoryBytes;
  for (let step = 0; step < length; step++) {
    const max = settings.maxMemoryBytes[step] ?? originalMax;
    const resting = 0.8 * originalMax * (1 + (usedNoise[step] ?? 0));
    const used = Math.min(max, resting + (originalMax - resting) * (growth[step] ?? 0));
    const fullness = used / max;
    const evicting =
      Math.min(1, Math.max(0, (fullness - 0.985) / 0.015)) *
      Math.max(pressure[step] ?? 0, fullness >= 0.999 ? 1 : 0);
    const ratio =
      entity.baseline.fragmentationRatio +
      (targetRatio - entity.baseline.fragmentationRatio) * (fragmentation[step] ?? 0);
    const copyOnWrite = 0.03 * (running[step] ?? 0) + 0.25 * (heavy[step] ?? 0);
    state.maxBytes[step] = max;
    state.usedBytes[step] = used;
    state.fullness[step] = evicting;
    state.fragmentation[step] = ratio * (1 + (fragmentationNoise[step] ?? 0)) + copyOnWrite;
    state.rssBytes[step] = used * (state.fragmentation[step] ?? 1);
    const reads = (ops[step] ?? 0) * redisReadShare;
    const hitRatio =
      entity.baseline.hitRatio -
      (entity.baseline.hitRatio - pressuredHitRatio) * (policy === 'noeviction' ? 0 : evicting);
    state.hitsPerSecond[step] = reads * hitRatio;
    state.missesPerSecond[step] = reads * (1 - hitRatio);
    state.evictionsPerSecond[step] = policy === 'noeviction' ? 0 : evictionRate * evicting;
    state.connectedClients[step] = Math.round(callerPods * 10 + 3 + 2 * (running[step] ?? 0));
  }
  return state;
}

/** Whether cronjobs that use this datastore run (0/1), and how heavily (0..1), per step. */
export function jobsOn(
  simulation: Simulation,
  index: number,
): { running: Float64Array; heavy: Float64Array } {
  const { model } = simulation;
  const running = new Float64Array(model.stepCount);
  const heavy = new Float64Array(model.stepCount);
  for (const edgeIndex of model.entities[index]?.incoming ?? []) {
    const caller = model.entities[model.edges[edgeIndex]?.from ?? -1];
    if (caller?.kind !== 'cronjob') continue;
    const activity = simulation.jobActivity(caller.index);
    for (let step = 0; step < model.stepCount; step++) {
      running[step] = Math.max(running[step] ?? 0, activity.running[step] ?? 0);
      heavy[step] = Math.max(heavy[step] ?? 0, activity.heavy[step] ?? 0);
    }
  }
  return { running, heavy };
}
