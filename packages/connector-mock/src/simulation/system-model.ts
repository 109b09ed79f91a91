import type { EntityRef, Severity } from '@aisre/core';
import { type CronSchedule, parseCronSchedule } from '../scenario/cron-schedule';
import { parseDuration, parseIsoTime, resolveTimeReference } from '../scenario/duration';
import { faultTypeDescriptor } from '../scenario/fault-catalogue';
import { noiseTypeDescriptor } from '../scenario/noise-catalogue';
import { resolveParameters } from '../scenario/scenario-parameters';
import { entityRefOf } from '../scenario/scenario-references';
import type { FaultType, NoiseType, ParameterValue, Scenario, ServiceKind } from '../types';
import { createRandom } from './random';
import { trafficMultiplier } from './traffic-curve';

const gibibyte = 1024 ** 3;
const mebibyte = 1024 ** 2;

/** Per-entity constants drawn from the seed: what "normal" looks like for it. */
export interface EntityBaseline {
  /** Own processing latency, median, seconds (services, postgres, external); p99 for redis and queues. */
  latencySeconds: number;
  /** Share of requests failing when all is well. */
  errorRatio: number;
  /** CPU limit per pod, cores. */
  cpuLimitCores: number;
  /** Memory limit per pod, bytes. */
  memoryLimitBytes: number;
  /** Working set at rest relative to the memory limit. */
  memoryFraction: number;
  /** Volume size, bytes. */
  volumeCapacityBytes: number;
  /** Volume use at rest relative to its size. */
  volumeFraction: number;
  /** The running version before any deploy. */
  version: string;
  /** Redis: keyspace hit ratio; others: unused. */
  hitRatio: number;
  /** Redis: fragmentation ratio at rest. */
  fragmentationRatio: number;
  /** Cronjob: minutes a normal run lasts. */
  runMinutes: number;
  /** Cronjob: operations per second against each dependency while running. */
  jobOperationsPerSecond: number;
  /** The pod-template hash used in pod names. */
  podHash: string;
}

/** A topology entry with everything the simulation derives from it. */
export interface ModelEntity {
  /** Position in {@link SystemModel.entities}. */
  index: number;
  /** Its name. */
  name: string;
  /** Its kind. */
  kind: ServiceKind;
  /** Its ref. */
  ref: EntityRef;
  /** Business tier. */
  tier: number;
  /** Pods. */
  replicas: number;
  /** Owning team. */
  team: string | undefined;
  /** Outside requests per second at the quietest hour, when it is an entry point. */
  entryRps: number;
  /** Whether it was given `rps` explicitly. */
  rpsGiven: boolean;
  /** Cron schedule (cronjobs). */
  schedule: CronSchedule | undefined;
  /** Redis maxmemory, bytes. */
  maxMemoryBytes: number;
  /** Postgres max_connections. */
  maxConnections: number;
  /** Outgoing edges (calls), indexes into {@link SystemModel.edges}. */
  outgoing: number[];
  /** Incoming edges, indexes into {@link SystemModel.edges}. */
  incoming: number[];
  /** Queues it consumes from (entity indexes). */
  consumes: number[];
  /** For queues: the entities consuming from it. */
  consumers: number[];
  /** Whether it serves HTTP (has callers or outside traffic). */
  servesHttp: boolean;
  /** Normal-day constants. */
  baseline: EntityBaseline;
}

/** A call relation: `from` calls, writes to or produces into `to`. */
export interface ModelEdge {
  /** Position in {@link SystemModel.edges}. */
  index: number;
  /** Caller entity index. */
  from: number;
  /** Callee entity index. */
  to: number;
  /** Calls per caller request (or per message, or per job operation). */
  fanout: number;
  /** The caller's client timeout for this callee, seconds. */
  timeoutSeconds: number;
  /** How much of the callee's failures turn into the caller's failures, 0..1. */
  damping: number;
}

/** A fault with times resolved and parameters defaulted. */
export interface ModelFault {
  /** Position in {@link SystemModel.faults}. */
  index: number;
  /** Its type. */
  type: FaultType;
  /** Target entity index. */
  target: number;
  /** Start, epoch milliseconds. */
  startMs: number;
  /** End, epoch milliseconds, when it ends by itself. */
  endMs: number | undefined;
  /** Parameters with defaults. */
  params: Record<string, ParameterValue>;
}

/** A noise entry with its time resolved and parameters defaulted. */
export interface ModelNoise {
  /** Position in {@link SystemModel.noise}. */
  index: number;
  /** Its type. */
  type: NoiseType;
  /** Target entity index. */
  target: number;
  /** When, epoch milliseconds. */
  atMs: number;
  /** Parameters with defaults. */
  params: Record<string, ParameterValue>;
}

/** The resolved scenario the simulation runs on. */
export interface SystemModel {
  /** The seed. */
  seed: number;
  /** The namespace. */
  namespace: string;
  /** Window start, epoch milliseconds. */
  startMs: number;
  /** Window end, epoch milliseconds. */
  endMs: number;
  /** Native resolution, milliseconds. */
  stepMs: number;
  /** Points per series. */
  stepCount: number;
  /** Entities in topology order. */
  entities: ModelEntity[];
  /** Call relations. */
  edges: ModelEdge[];
  /** Entity index by ref. */
  byRef: Map<string, number>;
  /** Entity index by name. */
  byName: Map<string, number>;
  /** Entity indexes with every callee before its callers. */
  calleesFirst: number[];
  /** Outside-traffic multiplier per step. */
  traffic: Float64Array;
  /** Peak of the traffic multiplier over a day. */
  peakTraffic: number;
  /** Faults (ground truth: only the simulation reads them). */
  faults: ModelFault[];
  /** Noise. */
  noise: ModelNoise[];
  /** The trigger alert. */
  trigger: { alert: string; entity: EntityRef; severity: Severity; atMs: number };
}

const edgeProfile: Record<ServiceKind, { fanout: [number, number]; timeout: number; damping: number }> = {
  service: { fanout: [0.3, 1], timeout: 3, damping: 0.8 },
  redis: { fanout: [1, 3], timeout: 1, damping: 0.5 },
  postgres: { fanout: [0.8, 2.5], timeout: 5, damping: 0.9 },
  queue: { fanout: [0.1, 0.5], timeout: 2, damping: 0.6 },
  external: { fanout: [0.05, 0.3], timeout: 5, damping: 0.85 },
  cronjob: { fanout: [1, 1], timeout: 3, damping: 0.8 },
};

function baselineFor(
  seed: number,
  kind: ServiceKind,
  ref: EntityRef,
  maxMemoryBytes: number,
): EntityBaseline {
  const random = createRandom(seed, `baseline|${ref}`);
  const latency: Record<ServiceKind, number> = {
    service: random.between(0.006, 0.035),
    redis: 0.0008 * random.between(0.92, 1.08),
    postgres: random.between(0.0015, 0.004),
    queue: random.between(0.002, 0.004),
    external: random.between(0.06, 0.22),
    cronjob: random.between(0.01, 0.05),
  };
  const cpu: Record<ServiceKind, number> = {
    service: random.pick([0.5, 1, 2]),
    redis: 1,
    postgres: 4,
    queue: 2,
    external: 0,
    cronjob: 1,
  };
  const memory: Record<ServiceKind, number> = {
    service: random.pick([512 * mebibyte, gibibyte, 2 * gibibyte]),
    redis: Math.ceil((2 * maxMemoryBytes) / gibibyte) * gibibyte,
    postgres: 8 * gibibyte,
    queue: 2 * gibibyte,
    external: 0,
    cronjob: 512 * mebibyte,
  };
  const volume: Record<ServiceKind, number> = {
    service: random.pick([10, 20, 50]) * gibibyte,
    redis: Math.max(5, Math.ceil((2 * maxMemoryBytes) / gibibyte)) * gibibyte,
    postgres: random.pick([50, 100, 200, 500]) * gibibyte,
    queue: 20 * gibibyte,
    external: 0,
    cronjob: 0,
  };
  return {
    latencySeconds: latency[kind],
    errorRatio:
      kind === 'service'
        ? random.between(0.0002, 0.0008)
        : kind === 'external'
          ? random.between(0.0005, 0.002)
          : 0,
    cpuLimitCores: cpu[kind],
    memoryLimitBytes: memory[kind],
    memoryFraction: kind === 'postgres' ? random.between(0.5, 0.65) : random.between(0.35, 0.55),
    volumeCapacityBytes: volume[kind],
    volumeFraction: random.between(0.25, 0.55),
    version: `${random.integer(1, 4)}.${random.integer(0, 40)}.${random.integer(0, 9)}`,
    hitRatio: random.between(0.91, 0.96),
    fragmentationRatio: random.between(1.04, 1.14),
    runMinutes: random.integer(4, 12),
    jobOperationsPerSecond: random.between(20, 80),
    podHash: random.hex(10).replace(/[0-9]/g, (digit) => 'bcdfghjklm'.charAt(Number(digit))),
  };
}

function orderCalleesFirst(entities: ModelEntity[], edges: ModelEdge[]): number[] {
  const order: number[] = [];
  const done = new Set<number>();
  const visit = (index: number) => {
    if (done.has(index)) return;
    done.add(index);
    for (const edge of entities[index]?.outgoing ?? []) visit(edges[edge]?.to ?? index);
    order.push(index);
  };
  for (const entity of entities) visit(entity.index);
  return order;
}

/** Resolves a validated scenario into the model the simulation runs on. */
export function buildSystemModel(scenario: Scenario): SystemModel {
  const startMs = parseIsoTime(scenario.start) ?? 0;
  const stepMs = parseDuration(scenario.step) ?? 30_000;
  const endMs = startMs + (parseDuration(scenario.duration) ?? stepMs);
  const stepCount = Math.floor((endMs - startMs) / stepMs) + 1;
  const namespace = scenario.topology.namespace;
  const byName = new Map(scenario.topology.services.map((service, index) => [service.name, index]));
  const entities: ModelEntity[] = scenario.topology.services.map((service, index) => {
    const ref = entityRefOf(namespace, service);
    const maxMemoryBytes = (service.maxMemoryMb ?? 1024) * mebibyte;
    const schedule = service.schedule === undefined ? undefined : parseCronSchedule(service.schedule);
    return {
      index,
      name: service.name,
      kind: service.kind,
      ref,
      tier: service.tier ?? 2,
      replicas: service.replicas ?? (service.kind === 'service' ? 2 : 1),
      team: service.team,
      entryRps: service.rps ?? 0,
      rpsGiven: service.rps !== undefined,
      schedule: typeof schedule === 'string' ? undefined : schedule,
      maxMemoryBytes,
      maxConnections: service.maxConnections ?? 100,
      outgoing: [],
      incoming: [],
      consumes: (service.consumes ?? []).map((name) => byName.get(name) ?? -1).filter((value) => value >= 0),
      consumers: [],
      servesHttp: false,
      baseline: baselineFor(scenario.seed, service.kind, ref, maxMemoryBytes),
    };
  });
  const edges: ModelEdge[] = [];
  for (const [from, service] of scenario.topology.services.entries()) {
    for (const name of service.dependsOn ?? []) {
      const to = byName.get(name);
      const callee = to === undefined ? undefined : entities[to];
      const caller = entities[from];
      if (to === undefined || !callee || !caller) continue;
      const profile = edgeProfile[callee.kind];
      const random = createRandom(scenario.seed, `edge|${caller.ref}|${callee.ref}`);
      const fanout = caller.kind === 'cronjob' ? 1 : random.between(profile.fanout[0], profile.fanout[1]);
      const index = edges.length;
      edges.push({ index, from, to, fanout, timeoutSeconds: profile.timeout, damping: profile.damping });
      caller.outgoing.push(index);
      callee.incoming.push(index);
    }
  }
  for (const entity of entities) {
    for (const queue of entity.consumes) entities[queue]?.consumers.push(entity.index);
    const hasCallers = entity.incoming.length > 0;
    if (entity.kind === 'service' && !entity.rpsGiven && !hasCallers && entity.consumes.length === 0)
      entity.entryRps = 10;
    entity.servesHttp = entity.kind === 'service' && (entity.entryRps > 0 || hasCallers);
  }
  const traffic = new Float64Array(stepCount);
  for (let step = 0; step < stepCount; step++)
    traffic[step] = trafficMultiplier(scenario.traffic, startMs + step * stepMs);
  const faults = scenario.faults.map((fault, index) => ({
    index,
    type: fault.type,
    target: byName.get(fault.target) ?? 0,
    startMs: resolveTimeReference(fault.start, startMs) ?? startMs,
    endMs: fault.end === undefined ? undefined : resolveTimeReference(fault.end, startMs),
    params: resolveParameters(faultTypeDescriptor(fault.type)?.params ?? [], fault.params),
  }));
  const noise = scenario.noise.map((entry, index) => ({
    index,
    type: entry.type,
    target: byName.get(entry.target) ?? 0,
    atMs: resolveTimeReference(entry.at, startMs) ?? startMs,
    params: resolveParameters(noiseTypeDescriptor(entry.type)?.params ?? [], entry.params),
  }));
  return {
    seed: scenario.seed,
    namespace,
    startMs,
    endMs,
    stepMs,
    stepCount,
    entities,
    edges,
    byRef: new Map(entities.map((entity) => [entity.ref, entity.index])),
    byName,
    calleesFirst: orderCalleesFirst(entities, edges),
    traffic,
    peakTraffic: scenario.traffic?.pattern === 'diurnal' ? (scenario.traffic.peakMultiplier ?? 10) : 1,
    faults,
    noise,
    trigger: {
      alert: scenario.trigger.alert,
      entity: scenario.trigger.entity,
      severity: scenario.trigger.severity,
      atMs: resolveTimeReference(scenario.trigger.at, startMs) ?? endMs,
    },
  };
}
