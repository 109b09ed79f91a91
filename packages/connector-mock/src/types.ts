import type { Connector, EntityRef, JsonValue, Notification, RemediationAction, Severity } from '@aisre/core';

/** The kind of a topology entry; it is also the kind part of the entry's {@link EntityRef}. */
export type ServiceKind = 'service' | 'redis' | 'postgres' | 'queue' | 'cronjob' | 'external';

/** The fault types the simulator knows (see {@link faultTypes} for their parameters and effects). */
export type FaultType =
  | 'redis.memory-fragmentation'
  | 'redis.memory-pressure'
  | 'db.connection-pool-saturation'
  | 'db.slow-queries'
  | 'deploy.bad-release'
  | 'config.bad-change'
  | 'cpu.saturation'
  | 'memory.leak'
  | 'disk.full'
  | 'network.latency'
  | 'dependency.timeout'
  | 'cronjob.resource-contention';

/** The noise types the simulator knows (see {@link noiseTypes}). */
export type NoiseType = 'deploy' | 'config-change' | 'flapping-alert' | 'anomaly' | 'chat';

/** A decision the awareness engine can take about a signal. */
export type ScenarioDecision = 'ignore' | 'watch' | 'investigate' | 'escalate';

/** A parameter value of a fault or noise entry. */
export type ParameterValue = number | string;

/** One entry of a scenario's topology: a service, a datastore, a queue, a scheduled job or an external API. */
export interface ScenarioService {
  /** The name, a DNS label (`frontend`, `cart-db`); unique within the topology. */
  name: string;
  /** What it is. */
  kind: ServiceKind;
  /** Business tier, 1 (most critical) to 3. Default 2. */
  tier?: number;
  /** Pods. Default 2 for services, 1 for everything else. */
  replicas?: number;
  /** Requests per second it receives from outside at the quietest hour (the traffic pattern multiplies it). */
  rps?: number;
  /** Names it calls, writes to or produces into. */
  dependsOn?: string[];
  /** Names of the queues it consumes from. */
  consumes?: string[];
  /** For cronjobs: the schedule, 5 fields `m h dom mon dow` in UTC. */
  schedule?: string;
  /** For redis: `maxmemory` in MiB. Default 1024. */
  maxMemoryMb?: number;
  /** For postgres: `max_connections`. Default 100. */
  maxConnections?: number;
  /** The owning team. */
  team?: string;
}

/** The system of a scenario: one namespace and its entries. */
export interface ScenarioTopology {
  /** The namespace every entry lives in (the middle part of their refs). */
  namespace: string;
  /** The entries. */
  services: ScenarioService[];
}

/** How outside traffic varies over the day. */
export interface ScenarioTraffic {
  /** `flat`: constant; `diurnal`: a smooth daily curve, low at night. */
  pattern: 'flat' | 'diurnal';
  /** For `diurnal`: traffic at the peak relative to the quietest hour. Default 10. */
  peakMultiplier?: number;
  /** For `diurnal`: the time of the peak, `HH:MM` UTC. Default `14:00`. */
  peakAt?: string;
}

/** A fault: something that goes wrong on one entry from a point in time. This is ground truth. */
export interface ScenarioFault {
  /** The fault type. */
  type: FaultType;
  /** The name of the topology entry it strikes. */
  target: string;
  /** When it starts: an offset from the scenario start (`+60m`) or an ISO time. */
  start: string;
  /** When it ends by itself (same forms as `start`); absent: it lasts. */
  end?: string;
  /** Parameters of the fault type; each has a documented default. */
  params?: Record<string, ParameterValue>;
}

/** Something unrelated that happens: a deploy, a config change, a flapping alert, a blip, a chat message. */
export interface ScenarioNoise {
  /** The noise type. */
  type: NoiseType;
  /** The name of the topology entry it concerns. */
  target: string;
  /** When it happens: an offset from the scenario start (`+70m`) or an ISO time. */
  at: string;
  /** Parameters of the noise type; each has a documented default. */
  params?: Record<string, ParameterValue>;
}

/** The alert that starts the investigation. */
export interface ScenarioTrigger {
  /** The alert name (`RedisLatencyHigh`). */
  alert: string;
  /** The entity the alert fires on. */
  entity: EntityRef;
  /** Its severity. */
  severity: Severity;
  /** When it fires: an offset (`+100m`) or an ISO time, within the scenario. */
  at: string;
}

/** What a correct engine concludes. This is ground truth. */
export interface ScenarioExpectation {
  /** The root cause, absent when there is none. */
  rootCause?: {
    /** The entity at fault. */
    entity: EntityRef;
    /** The fault type. */
    fault: FaultType;
  };
  /** The right triage decision. */
  decision?: ScenarioDecision;
}

/** A validated scenario: a topology, traffic, faults and noise on a seeded clock, a trigger and the expectations. */
export interface Scenario {
  /** The scenario's name. */
  name: string;
  /** The seed of every random choice. */
  seed: number;
  /** Start of the simulated window, ISO time. */
  start: string;
  /** Length of the window (`3h`). */
  duration: string;
  /** Resolution of the telemetry (`30s`). */
  step: string;
  /** The system. */
  topology: ScenarioTopology;
  /** Outside traffic; absent: flat. */
  traffic?: ScenarioTraffic;
  /** What goes wrong (ground truth). */
  faults: ScenarioFault[];
  /** What else happens (ground truth). */
  noise: ScenarioNoise[];
  /** The alert that starts it all. */
  trigger: ScenarioTrigger;
  /** The expected conclusion (ground truth); absent after {@link withoutExpectations}. */
  expect?: ScenarioExpectation;
}

/** A parameter of a fault or noise type, with its default. */
export interface ParameterDescriptor {
  /** The key under `params`. */
  name: string;
  /** What it does. */
  description: string;
  /** `number` (bounded), `choice` (one of `choices`) or `text`. */
  kind: 'number' | 'choice' | 'text';
  /** The value used when the parameter is omitted. */
  default: ParameterValue;
  /** Smallest allowed number. */
  minimum?: number;
  /** Largest allowed number. */
  maximum?: number;
  /** Allowed values of a `choice`. */
  choices?: readonly string[];
  /** The unit of a number. */
  unit?: string;
}

/** A fault type of the catalogue: where it applies, what it does, and what ends it. */
export interface FaultTypeDescriptor {
  /** The type name. */
  type: FaultType;
  /** One line. */
  summary: string;
  /** The entry kinds it can strike. */
  targetKinds: readonly ServiceKind[];
  /** Whether it builds up (`gradual`) or starts at once (`abrupt`). */
  onset: 'gradual' | 'abrupt';
  /** The telemetry it produces on its target. */
  telemetry: string;
  /** How its effects spread to other entities. */
  spread: string;
  /** Remediation actions that end it (action type and required parameters, in words). */
  mitigations: readonly string[];
  /** Its parameters. */
  params: readonly ParameterDescriptor[];
}

/** A noise type of the catalogue. */
export interface NoiseTypeDescriptor {
  /** The type name. */
  type: NoiseType;
  /** One line. */
  summary: string;
  /** The entry kinds it can concern. */
  targetKinds: readonly ServiceKind[];
  /** The telemetry it produces. */
  telemetry: string;
  /** Its parameters. */
  params: readonly ParameterDescriptor[];
}

/** The format of scenario text. */
export type ScenarioFormat = 'json' | 'yaml';

/** Options of {@link parseScenario}. */
export interface ParseScenarioOptions {
  /** The format of a text input; default: guessed (JSON when it starts with `{`, YAML otherwise). */
  format?: ScenarioFormat;
  /** A name for the input in error messages (a file path). */
  source?: string;
}

/** Options of {@link createMockConnector}. */
export interface MockConnectorOptions {
  /** The connector's "now" at creation: epoch milliseconds or an ISO time. Default: the trigger time. */
  now?: number | string;
  /** The environment name the simulated system runs in (an entity attribute and alert label). Default `production`. */
  environment?: string;
}

/** An action the mock actuator applied (not dry runs). */
export interface AppliedAction {
  /** The action as asked. */
  action: RemediationAction;
  /** When it was applied on the scenario clock, epoch milliseconds. */
  atMs: number;
  /** When it was applied, ISO time. */
  at: string;
  /** What was done. */
  summary: string;
  /** Details of the change (previous and new values). */
  details: Record<string, JsonValue>;
}

/** A notification the mock notifier received. */
export interface RecordedNotification {
  /** The delivery id returned to the caller. */
  id: string;
  /** When it arrived on the scenario clock, ISO time. */
  at: string;
  /** The notification as sent. */
  notification: Notification;
}

/**
 * A mock connector: a {@link Connector} over a simulated system, plus its clock and what it was asked to do.
 *
 * It answers as of {@link MockConnector.now}: nothing after that time is visible. Pass it as the clock of
 * a call context (`createCallContext({ clock: connector })`) so the engine and the simulation agree on time.
 */
export interface MockConnector extends Connector {
  /** The name of the scenario it simulates (for hosts and reports; never part of the telemetry). */
  readonly scenarioName: string;
  /** The scenario clock, epoch milliseconds. */
  now(): number;
  /**
   * Moves the clock to `epochMs`. Time only moves forward.
   *
   * @throws InvalidInputError when `epochMs` is before now or not finite.
   */
  advanceTo(epochMs: number): void;
  /**
   * Moves the clock forward by `milliseconds`.
   *
   * @throws InvalidInputError when `milliseconds` is negative or not finite.
   */
  advanceBy(milliseconds: number): void;
  /** The actions applied so far, oldest first. */
  appliedActions(): AppliedAction[];
  /** The notifications received so far, oldest first. */
  notifications(): RecordedNotification[];
}
