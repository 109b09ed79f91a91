import type { FaultType, NoiseType } from '../types';
import { computeSystemChanges } from './change-timeline';
import { computeEdgeView } from './edge-view';
import { computeEntityHealth } from './entity-health';
import { computeActivity, computeEdgeRate, computeInboundRate, computeNominalRates } from './entity-rates';
import { anomalyBump, faultStrength, rolloutBump } from './fault-timeline';
import type { EntitySettings, Intervention } from './interventions';
import { computeJobActivity, computeJobLoad, computeJobRuns } from './job-runs';
import { computePostgresState } from './postgres-state';
import { computeQueueState } from './queue-state';
import { createRandom, type RandomSource } from './random';
import { computeRedisState } from './redis-state';
import { computeResources } from './resource-usage';
import type {
  EdgeView,
  EntityHealth,
  JobRun,
  PostgresState,
  QueueState,
  RedisState,
  ResourceUsage,
  SystemChange,
} from './simulation-types';
import type { ModelFault, ModelNoise, SystemModel } from './system-model';

/** Settings per step. */
export type SettingsSeries = { [Key in keyof EntitySettings]: Float64Array };

/**
 * The simulated system: every quantity is computed on first use for the whole window and cached, so
 * only what is queried is computed and the result never depends on query order. A simulation is
 * immutable; applying an action makes a new one with one more {@link Intervention}.
 */
export class Simulation {
  /** The resolved scenario. */
  readonly model: SystemModel;
  /** Actions applied, oldest first. */
  readonly interventions: readonly Intervention[];
  private readonly cache = new Map<string, unknown>();
  private quietTwin: Simulation | undefined;

  /**
   * @param model - the resolved scenario
   * @param interventions - actions applied so far
   */
  constructor(model: SystemModel, interventions: readonly Intervention[] = []) {
    this.model = model;
    this.interventions = interventions;
  }

  /** A new simulation with `intervention` added. */
  withIntervention(intervention: Intervention): Simulation {
    return new Simulation(this.model, [...this.interventions, intervention]);
  }

  /** The same system without faults, noise or actions: what normal looks like. */
  quiet(): Simulation {
    if (!this.quietTwin) {
      this.quietTwin =
        this.model.faults.length === 0 && this.model.noise.length === 0 && this.interventions.length === 0
          ? this
          : new Simulation({ ...this.model, faults: [], noise: [] });
    }
    return this.quietTwin;
  }

  /** Computes `compute()` once per `key`. */
  memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = compute();
    this.cache.set(key, value);
    return value;
  }

  /** The random source for `key` (seeded by the scenario seed). */
  random(key: string): RandomSource {
    return createRandom(this.model.seed, key);
  }

  /** The time of a step, epoch milliseconds. */
  timeAt(step: number): number {
    return this.model.startMs + step * this.model.stepMs;
  }

  /** The mitigation of a fault, if an action ended it. */
  mitigationOf(fault: number): { atMs: number; recoveryMs: number } | undefined {
    for (const intervention of this.interventions) {
      const match = intervention.mitigates.find((mitigation) => mitigation.fault === fault);
      if (match) return { atMs: intervention.atMs, recoveryMs: match.recoveryMs };
    }
    return undefined;
  }

  /** A fault's strength per step, 0..1. */
  faultStrength(fault: number): Float64Array {
    return this.memo(`fault|${fault}`, () => {
      const model = this.model.faults[fault];
      return model
        ? faultStrength(this.model, model, this.mitigationOf(fault))
        : new Float64Array(this.model.stepCount);
    });
  }

  /** The faults of `type` on an entity. */
  faultsOn(entity: number, type: FaultType): ModelFault[] {
    return this.model.faults.filter((fault) => fault.target === entity && fault.type === type);
  }

  /** The strongest fault of `type` on an entity, per step (zeros when none). */
  strength(entity: number, type: FaultType): Float64Array {
    return this.memo(`strength|${entity}|${type}`, () => {
      const values = new Float64Array(this.model.stepCount);
      for (const fault of this.faultsOn(entity, type)) {
        const strength = this.faultStrength(fault.index);
        for (let step = 0; step < values.length; step++)
          values[step] = Math.max(values[step] ?? 0, strength[step] ?? 0);
      }
      return values;
    });
  }

  /** The noise entries of `type` on an entity. */
  noiseOn(entity: number, type: NoiseType): ModelNoise[] {
    return this.model.noise.filter((noise) => noise.target === entity && noise.type === type);
  }

  /**
   * Anomaly bumps of one signal on an entity, per step: for `latency` and `cpu` the multiplier minus one,
   * for `errors` and `memory` bump × magnitude.
   */
  anomaly(entity: number, signal: 'latency' | 'errors' | 'cpu' | 'memory'): Float64Array {
    return this.memo(`anomaly|${entity}|${signal}`, () => {
      const values = new Float64Array(this.model.stepCount);
      for (const noise of this.noiseOn(entity, 'anomaly')) {
        if (noise.params.signal !== signal) continue;
        const bump = anomalyBump(this.model, noise);
        const given = typeof noise.params.magnitude === 'number' ? noise.params.magnitude : 1;
        const magnitude = signal === 'latency' || signal === 'cpu' ? given - 1 : given;
        for (let step = 0; step < values.length; step++)
          values[step] = (values[step] ?? 0) + (bump[step] ?? 0) * magnitude;
      }
      return values;
    });
  }

  /** Settings of an entity per step, as actions changed them. */
  settings(entity: number): SettingsSeries {
    return this.memo(`settings|${entity}`, () => {
      const model = this.model.entities[entity];
      const base: EntitySettings = {
        replicas: model?.replicas ?? 1,
        cpuLimitCores: model?.baseline.cpuLimitCores ?? 1,
        memoryLimitBytes: model?.baseline.memoryLimitBytes ?? 0,
        maxMemoryBytes: model?.maxMemoryBytes ?? 0,
        maxConnections: model?.maxConnections ?? 100,
        volumeCapacityBytes: model?.baseline.volumeCapacityBytes ?? 0,
      };
      const series = {} as SettingsSeries;
      for (const key of Object.keys(base) as (keyof EntitySettings)[]) {
        const values = new Float64Array(this.model.stepCount).fill(base[key]);
        for (const intervention of this.interventions) {
          const value = intervention.target === entity ? intervention.settings[key] : undefined;
          if (value === undefined) continue;
          for (let step = 0; step < values.length; step++)
            if (this.timeAt(step) >= intervention.atMs) values[step] = value;
        }
        series[key] = values;
      }
      return series;
    });
  }

  /** Every change to the system, oldest first. */
  changes(): SystemChange[] {
    return this.memo('changes', () => computeSystemChanges(this));
  }

  /** The rolling-update bump of an entity (0..1) after each change that rolls its pods. */
  rollout(entity: number): Float64Array {
    return this.memo(`rollout|${entity}`, () =>
      rolloutBump(
        this.model,
        this.changes()
          .filter((change) => change.entity === entity && change.rollsPods)
          .map((change) => change.atMs),
      ),
    );
  }

  /** The runs of a cronjob. */
  jobRuns(entity: number): JobRun[] {
    return this.memo(`runs|${entity}`, () => computeJobRuns(this, entity));
  }

  /** Whether a cronjob runs, and how heavily, per step. */
  jobActivity(entity: number): { running: Float64Array; heavy: Float64Array } {
    return this.memo(`job-activity|${entity}`, () => computeJobActivity(this, entity));
  }

  /** Extra latency multiplier (minus one) a datastore gets from the jobs using it, per step. */
  jobLoad(entity: number): Float64Array {
    return this.memo(`job-load|${entity}`, () => computeJobLoad(this, entity));
  }

  /** Nominal inbound rates per entity at the quietest hour. */
  nominalRates(): Float64Array {
    return this.memo('nominal-rates', () => computeNominalRates(this));
  }

  /** Calls per second an entity receives, per step. */
  inboundRate(entity: number): Float64Array {
    return this.memo(`inbound|${entity}`, () => computeInboundRate(this, entity));
  }

  /** Requests per second that make an entity call its dependencies, per step. */
  activity(entity: number): Float64Array {
    return this.memo(`activity|${entity}`, () => computeActivity(this, entity));
  }

  /** Calls per second along a call relation, per step. */
  edgeRate(edge: number): Float64Array {
    return this.memo(`edge-rate|${edge}`, () => computeEdgeRate(this, edge));
  }

  /** How an entity serves its calls. */
  health(entity: number): EntityHealth {
    return this.memo(`health|${entity}`, () => computeEntityHealth(this, entity));
  }

  /** What a caller sees of a callee along one call relation. */
  edgeView(edge: number): EdgeView {
    return this.memo(`edge-view|${edge}`, () => computeEdgeView(this, edge));
  }

  /** Container resources of an entity. */
  resources(entity: number): ResourceUsage {
    return this.memo(`resources|${entity}`, () => computeResources(this, entity));
  }

  /** Redis internals. */
  redis(entity: number): RedisState {
    return this.memo(`redis|${entity}`, () => computeRedisState(this, entity));
  }

  /** PostgreSQL internals. */
  postgres(entity: number): PostgresState {
    return this.memo(`postgres|${entity}`, () => computePostgresState(this, entity));
  }

  /** A queue's flow. */
  queue(entity: number): QueueState {
    return this.memo(`queue|${entity}`, () => computeQueueState(this, entity));
  }
}
