import { numberParameter } from '../scenario/scenario-parameters';
import { smoothNoise } from './random';
import { jobsOn } from './redis-state';
import type { Simulation } from './simulation';
import type { PostgresState } from './simulation-types';

const gibibyte = 1024 ** 3;

/** Mean statement time of a postgres entity without saturation effects, seconds per step. */
export function statementSeconds(simulation: Simulation, index: number): Float64Array {
  return simulation.memo(`statement|${index}`, () => {
    const { model } = simulation;
    const entity = model.entities[index];
    const values = new Float64Array(model.stepCount);
    if (!entity) return values;
    const slow = simulation.strength(index, 'db.slow-queries');
    const slowFault = simulation.faultsOn(index, 'db.slow-queries')[0];
    const multiplier = slowFault ? numberParameter(slowFault.params, 'latencyMultiplier') : 1;
    const saturation = simulation.strength(index, 'cpu.saturation');
    const cpuFault = simulation.faultsOn(index, 'cpu.saturation')[0];
    const cpuMultiplier = cpuFault ? numberParameter(cpuFault.params, 'latencyMultiplier') : 1;
    const load = simulation.jobLoad(index);
    const anomaly = simulation.anomaly(index, 'latency');
    const noise = smoothNoise(simulation.random(`pg-latency|${entity.ref}`), model.stepCount, 0.05, 0.8);
    const utilization = utilizationOf(simulation, index);
    for (let step = 0; step < model.stepCount; step++) {
      values[step] =
        entity.baseline.latencySeconds *
        1.4 *
        loadFactor(utilization[step] ?? 0) *
        (1 + (multiplier - 1) * (slow[step] ?? 0)) *
        (1 + (cpuMultiplier - 1) * (saturation[step] ?? 0)) *
        (1 + (load[step] ?? 0)) *
        (1 + (anomaly[step] ?? 0)) *
        (1 + (noise[step] ?? 0));
    }
    return values;
  });
}

/** Latency multiplier of a server at `utilization` of its capacity: flat until 0.6, then queueing. */
export function loadFactor(utilization: number): number {
  return 1 + (0.5 * Math.max(0, utilization - 0.6)) / (1 - Math.min(utilization, 0.95));
}

/** Load of a datastore relative to its capacity (sized for peak traffic with headroom), per step. */
export function utilizationOf(simulation: Simulation, index: number): Float64Array {
  return simulation.memo(`utilization|${index}`, () => {
    const { model } = simulation;
    const entity = model.entities[index];
    const rate = simulation.inboundRate(index);
    const headroom = entity?.kind === 'redis' ? 2.5 : 2;
    const capacity = Math.max(1, (simulation.nominalRates()[index] ?? 0) * model.peakTraffic * headroom);
    return rate.map((value) => value / capacity);
  });
}

/**
 * PostgreSQL sessions, locks and statistics: active sessions follow Little's law, pools keep idle ones
 * open, pool saturation piles up sessions idle in transaction, lock contention adds waiting locks and long
 * transactions, a job run holds a transaction open for its whole run.
 */
export function computePostgresState(simulation: Simulation, index: number): PostgresState {
  const { model } = simulation;
  const entity = model.entities[index];
  const length = model.stepCount;
  const make = () => new Float64Array(length);
  const state: PostgresState = {
    active: make(),
    idle: make(),
    idleInTransaction: make(),
    maxConnections: make(),
    saturation: make(),
    maxTransactionSeconds: make(),
    locks: {
      AccessShareLock: make(),
      RowExclusiveLock: make(),
      ShareLock: make(),
      ExclusiveLock: make(),
      AccessExclusiveLock: make(),
    },
    commitsPerSecond: make(),
    deadlocksPerSecond: make(),
    sizeBytes: make(),
    meanExecSeconds: make(),
  };
  if (!entity) return state;
  const settings = simulation.settings(index);
  const qps = simulation.inboundRate(index);
  const statement = statementSeconds(simulation, index);
  const poolFault = simulation.faultsOn(index, 'db.connection-pool-saturation')[0];
  const pool = simulation.strength(index, 'db.connection-pool-saturation');
  const target = poolFault ? numberParameter(poolFault.params, 'utilization') : 0;
  const slowFault = simulation.faultsOn(index, 'db.slow-queries')[0];
  const locking =
    slowFault?.params.cause === 'lock-contention' ? simulation.strength(index, 'db.slow-queries') : make();
  const { running, heavy } = jobsOn(simulation, index);
  const random = simulation.random(`pg|${entity.ref}`);
  const idleNoise = smoothNoise(random, length, 0.6, 0.8);
  const transactionNoise = smoothNoise(simulation.random(`pg-tx|${entity.ref}`), length, 0.35, 0.6);
  const clients = entity.incoming.length;
  const sizeBytes =
    entity.baseline.volumeCapacityBytes * simulation.random(`pg-size|${entity.ref}`).between(0.18, 0.4);
  const runStarts = runStartsOn(simulation, index);
  for (let step = 0; step < length; step++) {
    const at = simulation.timeAt(step);
    const max = settings.maxConnections[step] ?? entity.maxConnections;
    const active =
      (qps[step] ?? 0) * (statement[step] ?? 0) + 1 + (running[step] ?? 0) * (1 + 3 * (heavy[step] ?? 0));
    const poolSize = Math.max(1, Math.floor(max / Math.max(1, clients)));
    const open = Math.min(max * 0.9, Math.max(active * 1.5, clients * Math.ceil(poolSize * 0.2)));
    const baseIdleInTransaction = Math.max(0, 1 + (idleNoise[step] ?? 0));
    const leaked = Math.max(0, target * max - open - baseIdleInTransaction) * (pool[step] ?? 0);
    const idleInTransaction = baseIdleInTransaction + leaked;
    const idle = Math.max(0, open - active);
    const backends = Math.min(max, active + idle + idleInTransaction);
    state.active[step] = active;
    state.idle[step] = Math.max(0, backends - active - idleInTransaction);
    state.idleInTransaction[step] = idleInTransaction;
    state.maxConnections[step] = max;
    state.saturation[step] = Math.min(1, Math.max(0, (backends / max - 0.75) / 0.2)) ** 1.5;
    const sinceFault = poolFault ? Math.max(0, (at - poolFault.startMs) / 1000) : 0;
    const runElapsed =
      runStarts.length > 0 && (running[step] ?? 0) > 0 ? (at - latestBefore(runStarts, at)) / 1000 : 0;
    state.maxTransactionSeconds[step] = Math.max(
      Math.exp(transactionNoise[step] ?? 0) * 0.8,
      Math.min(sinceFault, 1800) * (pool[step] ?? 0),
      (locking[step] ?? 0) * (40 + 20 * Math.abs(transactionNoise[step] ?? 0)),
      runElapsed,
    );
    const lockLevel = locking[step] ?? 0;
    state.locks.AccessShareLock![step] = active * 3 + 2 + 30 * (running[step] ?? 0);
    state.locks.RowExclusiveLock![step] = active * 1.2 + 1;
    state.locks.ShareLock![step] = lockLevel * (active * 2 + 12);
    state.locks.ExclusiveLock![step] = lockLevel * 6 + (active > 3 ? 1 : 0);
    state.locks.AccessExclusiveLock![step] = 2 * (heavy[step] ?? 0);
    state.commitsPerSecond[step] = (qps[step] ?? 0) * 0.55;
    state.deadlocksPerSecond[step] = lockLevel * 0.03;
    state.sizeBytes[step] = Math.min(
      sizeBytes * (1 + (0.002 * (at - model.startMs)) / 3_600_000),
      0.9 * (settings.volumeCapacityBytes[step] ?? gibibyte),
    );
    state.meanExecSeconds[step] = (statement[step] ?? 0) * (1 + 0.3 * (state.saturation[step] ?? 0));
  }
  return state;
}

function runStartsOn(simulation: Simulation, index: number): number[] {
  const { model } = simulation;
  const starts: number[] = [];
  for (const edgeIndex of model.entities[index]?.incoming ?? []) {
    const caller = model.entities[model.edges[edgeIndex]?.from ?? -1];
    if (caller?.kind === 'cronjob')
      for (const run of simulation.jobRuns(caller.index)) starts.push(run.startMs);
  }
  return starts.sort((left, right) => left - right);
}

function latestBefore(times: readonly number[], at: number): number {
  let latest = at;
  for (const time of times) if (time <= at) latest = time;
  return latest;
}
