import type { BudgetLimits } from '../contracts/budget';
import type { Clock, IsoTime, Labels, Logger, Severity } from '../contracts/common';
import type { Connector, Notification } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { RemediationProposal } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import type { AisreError, InvalidInputError } from '../errors/aisre-error';
import type { FailurePattern } from '../investigation/failure-patterns';
import type { PastIncident } from '../investigation/hypothesis-generators';
import type { SystemMap } from '../investigation/system-map';
import type { AwarenessEmitter } from './awareness-events';
import type { RevisedDecision } from './decision-revision';
import type { SymptomTiming } from './deviation-rules';
import type { SymptomReading } from './symptom-reading';

/** What awareness decides about a situation, from least to most attention. */
export type TriageDecision = 'ignore' | 'watch' | 'investigate' | 'escalate';

/** The factors a triage score is made of (see docs/awareness.md for their weights). */
export type TriageFactor =
  | 'severity'
  | 'criticality'
  | 'forecast'
  | 'corroboration'
  | 'change-proximity'
  | 'failure-pattern'
  | 'past-incident'
  | 'symptom'
  | 'rollout'
  | 'flapping'
  | 'resolved'
  | 'feedback'
  | 'urgency';

/** One reason behind a triage score: a factor, what it added to the score, and why, for a host to show. */
export interface TriageReason {
  /** The factor. */
  factor: TriageFactor;
  /** What it added to the score (negative: it lowered it). */
  weight: number;
  /** Why, in a sentence. */
  detail: string;
}

/** The minimum score of each decision above `ignore`, for one severity. */
export interface DecisionThresholds {
  /** Scores at or above this are watched. */
  watch: number;
  /** Scores at or above this are investigated. */
  investigate: number;
  /** Scores at or above this are escalated to a human. */
  escalate: number;
}

/** Decision thresholds per severity. */
export type TriageThresholds = Record<Severity, DecisionThresholds>;

/** Overrides of the default thresholds: any severity, any decision. */
export type TriageThresholdOverrides = Partial<Record<Severity, Partial<DecisionThresholds>>>;

/**
 * The investigation budget of a decision: `none` (no investigation), `severity` (the budget of the
 * situation's severity), a severity whose budget to use (`P4`), or explicit limits.
 */
export type DecisionBudget = 'none' | 'severity' | Severity | BudgetLimits;

/** The investigation budget of each decision. */
export type DecisionBudgets = Record<TriageDecision, DecisionBudget>;

/**
 * How traffic varies over time, as a multiplier of the quietest level (1 = quietest). Awareness scales the
 * growth of load-driven series by it when it forecasts, so "fine at 3 AM" becomes "breaks at the 09:00 peak".
 */
export interface TrafficModel {
  /** The traffic multiplier at a time, epoch milliseconds (≥ 0; 1 is the quietest level). */
  multiplierAt(epochMs: number): number;
  /** A few words for reasons and escalations (`diurnal, ×30 at 09:00 UTC`). */
  description?: string;
}

/** A metric and the labels that select its series. */
export interface SeriesSelector {
  /** The metric name. */
  metric: string;
  /** Only series with these labels. */
  labels?: Labels;
}

/** A topology attribute that gives a limit, and the factor from its unit to the series' unit. */
export interface LimitAttribute {
  /** The attribute name (`maxMemoryMb`). */
  name: string;
  /** What to multiply it by (`1048576` for MiB to bytes). */
  scale: number;
}

/** Where a saturation series' limit comes from: a metric, or a topology attribute times a scale. */
export interface SaturationLimitSource {
  /** A metric whose latest value is the limit (`redis_memory_max_bytes`). */
  metric?: string;
  /** Labels of the limit metric. */
  labels?: Labels;
  /** Topology attributes that give the limit, tried in order (they win over the metric). */
  attributes?: LimitAttribute[];
}

/** A resource that can run out, read from a series and a limit (the forecast catalogue). */
export interface SaturationResource {
  /** Id (`redis-memory`). */
  name: string;
  /** Words for humans (`memory`). */
  title: string;
  /** Entity kinds that have it. */
  entityKinds: string[];
  /** The series of what is used. */
  used: SeriesSelector;
  /** How several series of one entity combine: `sum` (backends per database) or `max` (memory per pod). */
  aggregate: 'sum' | 'max';
  /** The limit. A resource without a known limit is not forecast. */
  limit: SaturationLimitSource;
  /** True when its growth follows traffic, so the forecast scales it by the traffic multiplier. */
  loadDriven: boolean;
  /**
   * How a load-driven series follows traffic (default `cumulative`): `cumulative` grows per request (a leak,
   * a backlog, a filling heap), so the peak multiplies its growth; `level` stands in proportion to the traffic
   * of the moment (connections in use), so it is highest at the peak and falls after it.
   */
  load?: 'cumulative' | 'level';
  /**
   * What reaching the limit does (default `outage`). `outage`: the entity refuses work until someone acts — a
   * full disk, no connection slots left, a full queue, a Redis at `maxmemory` or killed with its data set.
   * `restart`: the container is killed and restarted (a leak in a stateless service) — a brief loss of
   * capacity the platform recovers from by itself, again and again, until the leak is fixed.
   */
  breach?: ForecastBreach;
}

/** What reaching a limit does: see {@link SaturationResource.breach}. */
export type ForecastBreach = 'outage' | 'restart';

/** Where a saturation series is heading: the time until it hits its limit, by a robust trend. */
export interface Forecast {
  /** The entity. */
  entity: EntityRef;
  /** The resource id (`redis-memory`). */
  resource: string;
  /** The metric of what is used. */
  metric: string;
  /** The robust current level. */
  current: number;
  /** The limit. */
  limit: number;
  /** `current / limit`. */
  utilisation: number;
  /** What reaching the limit does to this entity (see {@link SaturationResource.breach}). */
  breach: ForecastBreach;
  /** Growth per hour at the current traffic (Theil–Sen slope). */
  growthPerHour: number;
  /** How consistently it moved over the lookback, −1..1 (Kendall's τ: 1 is a steady rise). */
  consistency: number;
  /** `traffic`: growth scaled by the traffic model; `time`: a straight line in time. */
  model: 'traffic' | 'time';
  /** When it reaches the limit, within the horizon. */
  breachAt?: IsoTime;
  /** Hours until then. */
  hoursToLimit?: number;
  /** Hours until the limit by a straight line at the current rate, ignoring traffic (for comparison). */
  naiveHoursToLimit?: number;
  /** The traffic multiplier now. */
  trafficNow?: number;
  /** The traffic multiplier when the limit is reached. */
  trafficAtBreach?: number;
  /** The traffic model used, in words. */
  traffic?: string;
}

/** The result of triaging a situation. */
export interface TriageResult {
  /** The situation triaged. */
  situation: string;
  /** What to do. */
  decision: TriageDecision;
  /** The score, 0..1: the sum of the reasons' weights, clamped. */
  score: number;
  /** Why, largest contribution first. */
  reasons: TriageReason[];
  /** The most urgent forecast, when a saturation series is known. */
  forecast?: Forecast;
  /** Every forecast computed, most urgent first. */
  forecasts: Forecast[];
  /** What the primary alert's own series shows, when it could be read. */
  symptom?: SymptomReading;
  /** The investigation budget of the decision; `null` when the decision gets no investigation. */
  budget: BudgetLimits | null;
  /**
   * True when something besides the alert itself shows trouble: its symptom sustained, a corroborating rise
   * nearby, or a forecast.
   */
  corroborated: boolean;
  /**
   * True when it may wake someone: a P1 or P2, a limit reached within 8 hours, or a pattern engineers said was
   * missed. Without it a score above the escalation threshold is investigated instead.
   */
  urgent: boolean;
  /** The thresholds applied (after learning from feedback). */
  thresholds: DecisionThresholds;
  /** The severity whose thresholds applied. */
  severity: Severity;
  /** The pattern key of the situation's primary signal (what feedback learns on). */
  pattern: string;
  /** What could not be checked, and why. */
  unchecked: string[];
  /** When it was decided, on the injected clock. */
  decidedAt: IsoTime;
}

/** How a situation turned out, as an engineer tells it. */
export type FeedbackOutcome = 'useful' | 'noise' | 'missed';

/** The alert a pattern is about: alert name, entity kind and (for entity-level statistics) the entity. */
export interface PatternRef {
  /** The alert name (`alertname` label), or the signal kind for signals without one. */
  alertname: string;
  /** The entity kind. */
  entityKind: string;
  /** The entity. */
  entity: EntityRef;
}

/** Feedback counts of one pattern. */
export interface PatternStatistics {
  /** `alertname|kind` (kind-level) or `alertname|kind|entity` (entity-level). */
  key: string;
  /** The alert name. */
  alertname: string;
  /** The entity kind. */
  entityKind: string;
  /** The entity, for entity-level statistics. */
  entity?: EntityRef;
  /** Situations marked useful. */
  useful: number;
  /** Situations marked noise. */
  noise: number;
  /** Situations that were missed (they deserved more attention than they got). */
  missed: number;
  /** When feedback last changed them. */
  updatedAt: IsoTime;
}

/** What the store keeps of a triaged situation, so feedback works after a restart. */
export interface SituationRecord {
  /** The situation id. */
  id: string;
  /** The patterns of its alerts. */
  patterns: PatternRef[];
  /** The last decision. */
  decision: TriageDecision;
  /** The last score. */
  score: number;
  /** When it was last decided. */
  decidedAt: IsoTime;
  /** The feedback given, once there is some. */
  outcome?: FeedbackOutcome;
}

/** Where awareness keeps what it learns from feedback. Implementations: memory, JSON file, or the host's own. */
export interface TriageStore {
  /** The statistics of a pattern, if any feedback was given. */
  readPattern(key: string): Promise<PatternStatistics | undefined>;
  /** Saves the statistics of a pattern. */
  writePattern(statistics: PatternStatistics): Promise<void>;
  /** Every pattern's statistics. */
  listPatterns(): Promise<PatternStatistics[]>;
  /** The record of a situation, if it was triaged. */
  readSituation(id: string): Promise<SituationRecord | undefined>;
  /** Saves the record of a situation. */
  writeSituation(record: SituationRecord): Promise<void>;
}

/** A group of related signals: close in the system graph and in time. */
export interface Situation {
  /** Id, stable across restarts (derived from its first signal). */
  id: string;
  /** `resolved` when every alert in it has resolved. */
  status: 'open' | 'resolved';
  /** The time of its first signal. */
  openedAt: IsoTime;
  /** The time of its latest signal. */
  lastSignalAt: IsoTime;
  /** The severity of its primary signal (the thresholds and budgets of this severity apply). */
  severity: Severity;
  /**
   * The signal that stands for it: the most severe alert still firing and not flapping, the earliest on ties
   * (resolved and flapping alerts only when there is nothing else).
   */
  primary: Signal;
  /** Its signals, the latest delivery of each, in time order. */
  signals: Signal[];
  /** The fingerprints of its signals, in the same order. */
  fingerprints: string[];
  /** The entities concerned, sorted. */
  entities: EntityRef[];
  /** Deliveries received, re-deliveries included. */
  deliveries: number;
  /** Times one of its alerts went from resolved back to firing. */
  flaps: number;
  /** Times each of its signals went from resolved back to firing, in the order of `signals`. */
  signalFlaps: number[];
  /** The latest triage, once triaged. */
  triage?: TriageResult;
  /** When it was escalated, once it was. */
  escalatedAt?: IsoTime;
}

/** What a delivery of an already-known signal was. */
export type SignalDelivery = 'redelivery' | 'resolved' | 'flap';

/** The result of ingesting one signal. */
export type IngestResult =
  | {
      /** A new signal, placed in a situation. */
      status: 'accepted';
      /** The validated signal. */
      signal: Signal;
      /** Its fingerprint. */
      fingerprint: string;
      /** The situation it is in now. */
      situation: Situation;
    }
  | {
      /** A signal already known: a re-delivery, its resolution, or a flap back to firing. */
      status: 'deduplicated';
      /** The validated signal. */
      signal: Signal;
      /** Its fingerprint. */
      fingerprint: string;
      /** What the delivery was. */
      delivery: SignalDelivery;
      /** The situation it belongs to. */
      situation: Situation;
    }
  | {
      /** A malformed signal; the stream goes on. */
      status: 'rejected';
      /** What is wrong with it. */
      error: InvalidInputError;
    };

/** One notifier's answer to an escalation. */
export interface EscalationDelivery {
  /** The connector whose notifier was called. */
  connector: string;
  /** Whether it was delivered. */
  delivered: boolean;
  /** The delivery id, when the system gives one. */
  id?: string;
  /** Why it failed, when it did. */
  error?: AisreError;
}

/** The result of an escalation. */
export interface EscalationResult {
  /** The notification sent. */
  notification: Notification;
  /** One entry per notifier. */
  deliveries: EscalationDelivery[];
}

/** What responding to a situation did: triage, then the investigation and escalation it called for. */
export interface ResponseResult {
  /** The triage. */
  triage: TriageResult;
  /**
   * The decision after the investigation (see {@link reviseDecisionAfterInvestigation}): the investigation
   * confirms an escalation or sends it back to `watch`, and a finding behind a P1 or P2 escalates an
   * `investigate`. Without a report, triage's decision.
   */
  decision: RevisedDecision;
  /** The investigation's report, when one ran. */
  report?: Report;
  /** The escalation, when one was sent. */
  escalation?: EscalationResult;
}

/** What handling one signal did: ingest, then respond when it was new or changed its situation. */
export interface HandleResult {
  /** The ingest. */
  ingest: IngestResult;
  /** The response, absent for rejected signals and plain re-deliveries. */
  response?: ResponseResult;
}

/** Runs an investigation of `trigger` under `budget` (a `createInvestigator(...).investigate` adapter). */
export type InvestigateFunction = (trigger: Signal, budget: BudgetLimits) => Promise<Report>;

/** Past incidents touching the given entities (an incident memory, the knowledge graph). */
export type PastIncidentsFunction = (entities: EntityRef[]) => PastIncident[] | Promise<PastIncident[]>;

/** Options of {@link createAwareness}. */
export interface AwarenessOptions {
  /** Connectors: `topology`, `metrics`, `changes`, `signals` and `notifier` capabilities are used. */
  connectors: Connector[];
  /** The clock triage, forecasts and records are measured on. */
  clock: Clock;
  /** Where feedback statistics live (default: in memory). */
  store?: TriageStore;
  /** Overrides of {@link defaultTriageThresholds}. */
  thresholds?: TriageThresholdOverrides;
  /** Overrides of {@link defaultDecisionBudgets}. */
  budgets?: Partial<DecisionBudgets>;
  /** Budget limits by severity (default {@link defaultBudgetsBySeverity}). */
  budgetTable?: Readonly<Record<Severity, Readonly<BudgetLimits>>>;
  /** An event emitter to emit on (default: a new one, at {@link Awareness.events}). */
  events?: AwarenessEmitter;
  /** Runs investigations for `investigate` and `escalate` decisions; without it none runs. */
  investigate?: InvestigateFunction;
  /** The traffic pattern (default: read from the topology's traffic attributes; none: flat). */
  trafficModel?: TrafficModel;
  /** Past incidents, for the `past-incident` factor. */
  pastIncidents?: PastIncidentsFunction;
  /** Extra failure patterns (added to, and replacing by `fault`, the built-in library). */
  patterns?: FailurePattern[];
  /** Extra saturation resources (added to, and replacing by `name`, {@link defaultSaturationResources}). */
  resources?: SaturationResource[];
  /** Signals this close in time can share a situation, milliseconds (default 30 min). */
  windowMs?: number;
  /** Signals this close in the system graph can share a situation, hops (default 2). */
  hops?: number;
  /** How far back trends are read, milliseconds (default 1 h). */
  lookbackMs?: number;
  /** How far ahead forecasts look, milliseconds (default 24 h). */
  horizonMs?: number;
  /** How long situations and fingerprints are kept after their last signal, milliseconds (default 24 h). */
  retentionMs?: number;
  /** How long one connector call may take, milliseconds (default 10 s). */
  callTimeoutMs?: number;
  /** How often the topology is scanned again, milliseconds on the clock (default 15 min). */
  topologyRefreshMs?: number;
  /**
   * How long the alert's symptom (and a corroborating series) must be out of its normal range to count as
   * sustained rather than fresh, and the recent stretch its level is read over (defaults 3 min and 2 min).
   * Match them to your alert rules' `for:`: a lab whose rules fire after 5 s wants seconds.
   */
  symptomTiming?: Partial<SymptomTiming>;
  /** Where to log. */
  logger?: Logger;
}

/** Awareness: takes signals in, groups them into situations, triages, investigates, escalates, learns. */
export interface Awareness {
  /** Typed events of everything it does. */
  readonly events: AwarenessEmitter;
  /** Validates a signal, deduplicates it and places it in a situation. Never rejects for bad input. */
  ingest(input: unknown): Promise<IngestResult>;
  /** Pulls signals from the connectors' `signals.list` over a window (default: since the last poll) and ingests them. */
  poll(window?: { start?: number; end?: number }): Promise<IngestResult[]>;
  /** Subscribes to the connectors' `signals.subscribe` and handles each signal; returns the function that stops. */
  start(options?: { signal?: AbortSignal }): () => void;
  /** Scores a situation and decides what it deserves. */
  triage(situation: Situation | string): Promise<TriageResult>;
  /** Sends an escalation through every notifier, with the reasons, the report and the proposals. */
  escalate(
    situation: Situation | string,
    report?: Report,
    proposals?: RemediationProposal[],
  ): Promise<EscalationResult>;
  /** Triages a situation, runs the investigation it calls for, and escalates it (once) when it should. */
  respond(situation: Situation | string): Promise<ResponseResult>;
  /** Ingests a signal and responds to its situation when it is new or changed it. */
  handle(input: unknown): Promise<HandleResult>;
  /** Records how a situation turned out; returns the pattern statistics it changed. */
  feedback(situationId: string, outcome: FeedbackOutcome): Promise<PatternStatistics[]>;
  /** A situation by id (ids of merged situations lead to the one they merged into). */
  situation(id: string): Situation | undefined;
  /** Every situation kept, oldest first. */
  situations(): Situation[];
  /** Scans the topology again and returns the system map. */
  refreshTopology(): Promise<SystemMap>;
}
