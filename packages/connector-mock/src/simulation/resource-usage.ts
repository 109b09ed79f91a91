import { numberParameter } from '../scenario/scenario-parameters';
import { consumerShare } from './entity-rates';
import { smoothNoise } from './random';
import type { Simulation } from './simulation';
import type { ResourceUsage } from './simulation-types';

const mebibyte = 1024 ** 2;
const hourMs = 3_600_000;

function emptyUsage(length: number): ResourceUsage {
  const make = () => new Float64Array(length);
  return {
    cpuCores: make(),
    cpuLimitCores: make(),
    memoryBytes: make(),
    memoryLimitBytes: make(),
    restarts: make(),
    oomKills: make(),
    volumeUsedBytes: make(),
    volumeCapacityBytes: make(),
    memoryPressure: make(),
    oomEvents: [],
    present: make(),
  };
}

/** CPU cores an entity uses for its traffic alone (no faults), per step: what its load factor is read from. */
export function trafficCpu(simulation: Simulation, index: number): Float64Array {
  return simulation.memo(`traffic-cpu|${index}`, () => {
    const { model } = simulation;
    const entity = model.entities[index];
    const values = new Float64Array(model.stepCount);
    if (!entity) return values;
    const settings = simulation.settings(index);
    const activity = entity.kind === 'service' ? simulation.activity(index) : simulation.inboundRate(index);
    const nominal = simulation.nominalRates()[index] ?? 0;
    let nominalActivity = nominal;
    for (const queue of entity.consumes) {
      nominalActivity += (simulation.nominalRates()[queue] ?? 0) * consumerShare(simulation, queue, index);
    }
    const baseLimit = entity.replicas * entity.baseline.cpuLimitCores;
    const share = entity.kind === 'postgres' ? 0.45 : entity.kind === 'redis' ? 0.35 : 0.55;
    const costPerCall = (share * baseLimit) / Math.max(1, nominalActivity * model.peakTraffic);
    for (let step = 0; step < model.stepCount; step++) {
      const limit = (settings.replicas[step] ?? 1) * (settings.cpuLimitCores[step] ?? 1);
      values[step] = 0.03 * limit + costPerCall * (activity[step] ?? 0);
    }
    return values;
  });
}

function leakingMemory(
  simulation: Simulation,
  index: number,
  usage: ResourceUsage,
  basePerPod: Float64Array,
): void {
  const { model } = simulation;
  const entity = model.entities[index];
  const faults = simulation.faultsOn(index, 'memory.leak');
  if (!entity) return;
  const settings = simulation.settings(index);
  const random = simulation.random(`pods|${entity.ref}`);
  const rates = Array.from({ length: 64 }, () => random.between(0.8, 1.25));
  const resets = simulation
    .changes()
    .filter((change) => change.entity === index && change.rollsPods)
    .map((change) => change.atMs);
  const growthPerMs =
    faults.length === 0
      ? 0
      : (numberParameter(faults[0]?.params ?? {}, 'growthMbPerHour') * mebibyte) / hourMs;
  const strength = simulation.strength(index, 'memory.leak');
  const pods: number[] = [];
  const earliest = faults[0];
  if (earliest && growthPerMs > 0 && earliest.startMs < model.startMs) {
    // A leak that began before the window: each pod is part-way through its cycle at the start.
    const limit = settings.memoryLimitBytes[0] ?? 0;
    const base = basePerPod[0] ?? 0;
    const headroom = Math.max(1, 0.985 * limit - base);
    const elapsed = model.startMs - earliest.startMs;
    for (let pod = 0; pod < (settings.replicas[0] ?? 1); pod++) {
      pods.push(base + ((growthPerMs * (rates[pod % rates.length] ?? 1) * elapsed) % headroom));
    }
  }
  for (let step = 0; step < model.stepCount; step++) {
    const at = simulation.timeAt(step);
    const replicas = settings.replicas[step] ?? 1;
    const limit = settings.memoryLimitBytes[step] ?? 0;
    const base = basePerPod[step] ?? 0;
    while (pods.length < replicas) pods.push(base);
    pods.length = Math.min(pods.length, replicas);
    const reset = resets.some((time) => time > at - model.stepMs && time <= at);
    let total = 0;
    let pressure = 0;
    for (let pod = 0; pod < pods.length; pod++) {
      let memory = reset ? base : (pods[pod] ?? base);
      memory += growthPerMs * (rates[pod % rates.length] ?? 1) * model.stepMs * (strength[step] ?? 0);
      if (growthPerMs > 0 && memory >= 0.985 * limit) {
        usage.oomEvents.push({ step, pod });
        usage.oomKills[step] = (usage.oomKills[step] ?? 0) + 1;
        usage.restarts[step] = (usage.restarts[step] ?? 0) + 1;
        memory = base * 0.6;
      }
      pods[pod] = memory;
      total += memory;
      pressure += Math.min(1, Math.max(0, (memory / limit - 0.8) / 0.18));
    }
    usage.memoryBytes[step] = total;
    usage.memoryPressure[step] = pods.length === 0 ? 0 : pressure / pods.length;
  }
}

function volumeUsage(
  simulation: Simulation,
  index: number,
  usage: ResourceUsage,
  baseUsed: Float64Array,
): void {
  const { model } = simulation;
  const settings = simulation.settings(index);
  const faults = simulation.faultsOn(index, 'disk.full');
  const strength = simulation.strength(index, 'disk.full');
  let extra = 0;
  for (let step = 0; step < model.stepCount; step++) {
    const capacity = settings.volumeCapacityBytes[step] ?? 0;
    const base = baseUsed[step] ?? 0;
    const fault = faults[0];
    if (fault && (strength[step] ?? 0) > 0) {
      const fillMs = numberParameter(fault.params, 'fillMinutes') * 60_000;
      const originalCapacity = settings.volumeCapacityBytes[0] ?? capacity;
      const perStep = ((originalCapacity - base) / fillMs) * model.stepMs;
      const elapsedSteps = Math.max(0, (simulation.timeAt(step) - fault.startMs) / model.stepMs);
      if (extra === 0 && elapsedSteps > 1)
        extra = Math.min(originalCapacity - base, perStep * (elapsedSteps - 1));
      extra += perStep * (strength[step] ?? 0);
    }
    usage.volumeUsedBytes[step] = Math.min(capacity, base + extra);
    usage.volumeCapacityBytes[step] = capacity;
  }
}

/** Container CPU, memory, restarts and volume of an entity, totals over its pods. */
export function computeResources(simulation: Simulation, index: number): ResourceUsage {
  const { model } = simulation;
  const entity = model.entities[index];
  const usage = emptyUsage(model.stepCount);
  if (!entity || entity.kind === 'external' || entity.kind === 'queue') return usage;
  const settings = simulation.settings(index);
  const noise = smoothNoise(simulation.random(`cpu|${entity.ref}`), model.stepCount, 0.04, 0.7);
  const memoryNoise = smoothNoise(simulation.random(`memory|${entity.ref}`), model.stepCount, 0.008, 0.95);
  const saturation = simulation.strength(index, 'cpu.saturation');
  const saturationTarget = numberParameter(
    simulation.faultsOn(index, 'cpu.saturation')[0]?.params ?? {},
    'utilization',
  );
  const rollout = simulation.rollout(index);
  const anomalyCpu = simulation.anomaly(index, 'cpu');
  const anomalyMemory = simulation.anomaly(index, 'memory');
  const base = trafficCpu(simulation, index);
  const { running, heavy } =
    entity.kind === 'cronjob' ? simulation.jobActivity(index) : { running: undefined, heavy: undefined };
  const basePerPod = new Float64Array(model.stepCount);
  const baseVolume = new Float64Array(model.stepCount);
  const release = simulation.strength(index, 'deploy.bad-release');
  for (let step = 0; step < model.stepCount; step++) {
    const replicas = settings.replicas[step] ?? 1;
    const cpuLimit = replicas * (settings.cpuLimitCores[step] ?? 1);
    const memoryLimitPerPod = settings.memoryLimitBytes[step] ?? 0;
    const present = running ? (running[step] ?? 0) : 1;
    const load = heavy?.[step] ?? 0;
    let cpu = entity.kind === 'cronjob' ? present * 0.2 * cpuLimit * (1 + 3 * load) : (base[step] ?? 0);
    cpu *=
      (1 + 0.15 * (release[step] ?? 0)) * (1 + 0.25 * (rollout[step] ?? 0)) * (1 + (anomalyCpu[step] ?? 0));
    cpu *= 1 + (noise[step] ?? 0);
    if (entity.kind === 'redis')
      cpu += 0.05 * simulation.strength(index, 'redis.memory-fragmentation')[step]!;
    if (entity.kind === 'redis' || entity.kind === 'postgres')
      cpu += (0.25 * cpuLimit * (simulation.jobLoad(index)[step] ?? 0)) / 4;
    if (entity.kind === 'postgres') {
      const badPlan = simulation
        .faultsOn(index, 'db.slow-queries')
        .some((fault) => fault.params.cause === 'bad-plan');
      if (badPlan)
        cpu +=
          (0.88 * cpuLimit - cpu) * Math.max(0, simulation.strength(index, 'db.slow-queries')[step] ?? 0);
    }
    cpu += ((saturationTarget || 0.98) * cpuLimit - cpu) * (saturation[step] ?? 0);
    usage.cpuCores[step] = Math.max(0, Math.min(cpuLimit, cpu)) * (entity.kind === 'cronjob' ? present : 1);
    usage.cpuLimitCores[step] = cpuLimit * present;
    usage.memoryLimitBytes[step] = replicas * memoryLimitPerPod * present;
    usage.present[step] = present;
    const trafficLevel = (model.traffic[step] ?? 1) / model.peakTraffic;
    basePerPod[step] =
      entity.baseline.memoryFraction *
      memoryLimitPerPod *
      (1 + 0.05 * trafficLevel + (memoryNoise[step] ?? 0));
    const hours = (simulation.timeAt(step) - model.startMs) / hourMs;
    baseVolume[step] =
      entity.baseline.volumeFraction * entity.baseline.volumeCapacityBytes * (1 + 0.0015 * hours);
  }
  if (entity.kind === 'redis') {
    const redis = simulation.redis(index);
    for (let step = 0; step < model.stepCount; step++) {
      usage.memoryBytes[step] = (redis.rssBytes[step] ?? 0) + 30 * mebibyte;
      baseVolume[step] = 0.45 * (redis.usedBytes[step] ?? 0);
    }
  } else if (entity.kind === 'cronjob') {
    for (let step = 0; step < model.stepCount; step++) {
      usage.memoryBytes[step] =
        (basePerPod[step] ?? 0) *
        (settings.replicas[step] ?? 1) *
        (usage.present[step] ?? 0) *
        (1 + 0.5 * (heavy?.[step] ?? 0));
    }
  } else {
    leakingMemory(simulation, index, usage, basePerPod);
  }
  for (let step = 0; step < model.stepCount; step++) {
    const perPod = (settings.memoryLimitBytes[step] ?? 0) * (settings.replicas[step] ?? 1);
    usage.memoryBytes[step] = Math.min(
      perPod,
      (usage.memoryBytes[step] ?? 0) * (1 + 0.1 * (anomalyMemory[step] ?? 0)),
    );
  }
  if (entity.kind === 'postgres') {
    const postgres = simulation.postgres(index);
    for (let step = 0; step < model.stepCount; step++)
      baseVolume[step] = (postgres.sizeBytes[step] ?? 0) + 2 * 1024 ** 3;
  }
  if (entity.kind !== 'cronjob') volumeUsage(simulation, index, usage, baseVolume);
  return usage;
}
