import pLimit, { type LimitFunction } from 'p-limit';
import { createBudget } from '../budget/budget';
import { budgetForSeverity, defaultBudgetsBySeverity } from '../budget/severity-budgets';
import type { Budget, BudgetLimits } from '../contracts/budget';
import type { Clock, JsonValue, Labels } from '../contracts/common';
import type { Connector, TopologySnapshot } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Hypothesis } from '../contracts/hypothesis';
import type { Ending, Report } from '../contracts/report';
import { type Signal, signalSchema } from '../contracts/signal';
import {
  type CallStats,
  type ChangeEvent,
  callStatsSchema,
  changeEventSchema,
  type LogRecord,
  logRecordSchema,
  type MetricSeries,
} from '../contracts/telemetry';
import type { CallContext } from '../contracts/tool';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { createInvestigationEmitter, type InvestigationEmitter } from '../events/investigation-events';
import { createManualClock, silentLogger, systemClock } from '../runtime/call-context';
import { anomalyDegree, signatureLikelihoodRatio } from './anomaly-scoring';
import { parseMetricSeriesList, parseTopologySnapshot } from './answer-validation';
import { CallGateway, type GatewayOutcome, type RecordedSteps } from './call-gateway';
import { digestOf } from './canonical-json';
import {
  type CheckSpec,
  logCheckKey,
  metricCheckKey,
  type RunAlignmentSignature,
  readLogSignature,
  readMetricSignature,
  readRunAlignment,
  readSaturation,
  recentWindowMs,
  type ScoringWindows,
  signatureInformation,
  stepOf,
} from './checks';
import { ConnectorRouting } from './connector-routing';
import {
  type FailurePattern,
  type LogSignature,
  type MetricSignature,
  resolveFailurePatterns,
} from './failure-patterns';
import { descending, HypothesisBoard, noFaultId } from './hypothesis-board';
import {
  defaultGenerators,
  degradedFault,
  type HypothesisProposal,
  type InvestigationScope,
} from './hypothesis-generators';
import { addKnownDependencies, recordCalls, recordTopology } from './knowledge-exchange';
import { localizeDegradation } from './localization';
import { createModelReasoner, truncateToolOutput } from './model/index';
import { collectTools, createModelCaller, runPlannedTool } from './model-path';
import type { ModelCaller, ModelReasoner } from './model-reasoning';
import { analyzePropagation, describeFinding, type PropagationFinding } from './propagation';
import { assembleReport } from './report-assembly';
import { defaultStopRules } from './stop-rules';
import { symptomSeriesFor } from './symptom';
import { type EntityObservation, statisticKindOf, surveySymptom } from './symptom-survey';
import { SystemMap } from './system-map';
import type { InvestigateOptions, InvestigationState, Investigator, InvestigatorOptions } from './types';

const noFaultPrior = 0.15;
const unknownPrior = 0.05;
const roundWidth = 4;
/** A round runs only checks worth at least this share of the best one: the rest wait for its results. */
const focusRatio = 0.5;
const minimumCheckValue = 0.01;
const refineThreshold = 0.02;
const pruneThreshold = 0.004;
/** Answer schemas, built once (a zod schema built per call costs more than the validation of a short list). */
const changeListSchema = changeEventSchema.array();
const callStatsListSchema = callStatsSchema.array();
const logListSchema = logRecordSchema.array();

/** A survey: one metric read for every entity at once (no entity filter). */
interface SurveyRequest {
  survey: Connector;
  metric: string;
  labels: Labels;
  start: number;
}

/** Propagation evidence: P(looks like where it starts | it does), P(does not look like it | it does not). */
const propagationSensitivity = 0.8;
const propagationSpecificity = 0.95;

/** One signature of one hypothesis, and the checks it needs. */
interface Requirement {
  key: string;
  hypothesis: Hypothesis;
  pattern: FailurePattern;
  signature: MetricSignature | LogSignature | RunAlignmentSignature;
  specs: CheckSpec[];
  information: number;
}

/** A hypothesis' requirements as derived for one map version; `stale` once one of them was applied. */
interface DerivedRequirements {
  hypothesis: Hypothesis;
  mapVersion: number;
  own: Requirement[];
  alignment: Requirement[];
  stale: boolean;
}

/** The series that shows a datastore's health, by kind. */
function datastoreHealthSeries(kind: string): { metric: string; labels: Labels } | undefined {
  if (kind === 'postgres') return { metric: 'pg_stat_statements_mean_exec_time_seconds', labels: {} };
  if (kind === 'redis') return { metric: 'redis_latency_percentiles_usec', labels: {} };
  if (kind === 'queue') return { metric: 'queue_consumer_lag_seconds', labels: {} };
  return undefined;
}

const rounded = (value: number) => Number(value.toFixed(3));

/** The data a propagation finding rests on, for the evidence chain. */
function propagationExcerpt(finding: PropagationFinding): JsonValue {
  return {
    rootDegree: rounded(finding.rootDegree),
    degree: rounded(finding.degree),
    pathStrength: rounded(finding.pathStrength),
    ownShare: rounded(finding.ownShare),
    symptomShare: finding.symptomShare === undefined ? null : rounded(finding.symptomShare),
    path: finding.path,
    explainedBy: finding.explainedBy.map((item) => ({ ...item, share: rounded(item.share) })),
  };
}

function metricSpec(entity: EntityRef, on: 'self' | 'callers', metric: string, labels: Labels): CheckSpec {
  return { kind: 'metric', key: metricCheckKey(entity, on, metric, labels), entity, on, metric, labels };
}

/**
 * Creates an investigator: it investigates triggers with the given connectors, model-free by default,
 * under a budget, emitting typed events, and resolves every investigation with a {@link Report}.
 *
 * @param options - connectors, clock, concurrency, budgets, patterns, generators, stop rules
 */
export function createInvestigator(options: InvestigatorOptions): Investigator {
  for (const name of ['lookbackMs', 'recentWindowMs', 'checkTimeoutMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new InvalidInputError(
        `core: investigator option ${name} must be a positive number of milliseconds (got ${value})`,
      );
    }
  }
  const events = createInvestigationEmitter();
  return {
    events,
    investigate: (trigger, investigateOptions = {}) =>
      new InvestigationRun(options, events, trigger, investigateOptions).run(),
  };
}

/**
 * Replays a recorded investigation offline: every call is answered from the report's steps, in order, so the
 * same engine code produces the report again without touching any system. Runs recorded on a manual clock
 * replay to an identical report.
 *
 * @param report - a report whose steps kept their outputs
 * @param options - the same investigator options as the recorded run (connectors are not called)
 */
export function replayInvestigation(
  report: Report,
  options: InvestigatorOptions,
  investigateOptions: Omit<InvestigateOptions, 'id'> = {},
): Promise<Report> {
  const events = createInvestigationEmitter();
  const clock = createManualClock(Date.parse(report.startedAt));
  const run = new InvestigationRun(
    options,
    events,
    report.trigger,
    { ...investigateOptions, id: report.id },
    { steps: report.steps },
    clock,
  );
  return run.run();
}

class InvestigationRun {
  readonly #options: InvestigatorOptions;
  readonly #events: InvestigationEmitter;
  readonly #trigger: Signal;
  readonly #clock: Clock;
  readonly #id: string;
  readonly #asOf: number;
  readonly #startedAt: number;
  readonly #budget: Budget;
  readonly #limits: BudgetLimits;
  readonly #controller = new AbortController();
  readonly #gateway: CallGateway;
  readonly #board = new HypothesisBoard(noFaultPrior, unknownPrior);
  readonly #patterns: FailurePattern[];
  readonly #map = new SystemMap();
  readonly #routing: ConnectorRouting;
  /** Every check run so far, by key, so a later hypothesis reading the same series gets it for free. */
  readonly #checkOutcomes = new Map<string, { spec: CheckSpec; outcome: GatewayOutcome }>();
  /** Requirements (`hypothesis|signature`) already evaluated. */
  readonly #applied = new Set<string>();
  readonly #unchecked: Report['unchecked'] = [];
  readonly #templates = new Map<string, { proposals: HypothesisProposal[]; generator: string }>();
  #reach: ReadonlyMap<EntityRef, number> = new Map();
  #changes: ChangeEvent[] = [];
  #changesStep: number | undefined;
  #windows: ScoringWindows;
  #rounds = 0;
  #failedChecks = 0;
  #completedChecks = 0;

  constructor(
    options: InvestigatorOptions,
    events: InvestigationEmitter,
    trigger: Signal,
    investigateOptions: InvestigateOptions,
    replay?: RecordedSteps,
    clock?: Clock,
  ) {
    this.#options = options;
    this.#routing = new ConnectorRouting(options.connectors);
    this.#events = events;
    this.#trigger = parseWith(signalSchema, trigger, 'core: investigation trigger') as Signal;
    this.#clock = clock ?? options.clock ?? systemClock;
    this.#startedAt = this.#clock.now();
    this.#asOf = investigateOptions.asOf ?? Math.max(Date.parse(this.#trigger.at), this.#startedAt);
    this.#id =
      investigateOptions.id ??
      `inv-${digestOf([this.#trigger.id, this.#trigger.at, this.#trigger.entity]).slice(0, 12)}`;
    this.#limits = budgetForSeverity(
      this.#trigger.severity,
      { ...options.budget, ...investigateOptions.budget },
      options.budgetTable ?? defaultBudgetsBySeverity,
    );
    this.#budget = createBudget(this.#limits, this.#clock);
    this.#patterns = resolveFailurePatterns(options.patterns);
    this.#windows = {
      asOf: this.#asOf,
      symptomOnset: undefined,
      recentMs: options.recentWindowMs ?? 10 * 60_000,
    };
    const external = investigateOptions.signal;
    if (external) {
      if (external.aborted) this.#controller.abort(external.reason);
      else external.addEventListener('abort', () => this.#controller.abort(external.reason), { once: true });
    }
    this.#gateway = new CallGateway({
      id: this.#id,
      budget: this.#budget,
      clock: this.#clock,
      startedAt: this.#startedAt,
      events,
      signal: this.#controller.signal,
      timeoutMs: options.checkTimeoutMs ?? 20_000,
      keepOutputs: options.keepOutputs ?? true,
      ...(replay ? { replay } : {}),
    });
  }

  async run(): Promise<Report> {
    this.#events.emit('investigation:started', {
      id: this.#id,
      trigger: this.#trigger,
      limits: this.#limits,
    });
    let ending: Ending;
    try {
      await this.#scope();
      await this.#hypothesise();
      ending = await this.#loop();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ending = this.#controller.signal.aborted
        ? { kind: 'cancelled', reason: 'the investigation was cancelled' }
        : { kind: 'failed', reason: `core: investigation failed: ${message}` };
    }
    const report = assembleReport({
      id: this.#id,
      trigger: this.#trigger,
      startedAt: this.#startedAt,
      endedAt: this.#clock.now(),
      ending,
      board: this.#board,
      steps: this.#gateway.steps(),
      unchecked: this.#unchecked,
      budget: { limits: this.#limits, used: this.#budget.used() },
    });
    this.#events.emit('investigation:ended', { id: this.#id, report });
    return report;
  }

  // ---- scope ---------------------------------------------------------------------------------------

  #context(signal: AbortSignal): CallContext {
    return { signal, logger: this.#options.logger ?? silentLogger, clock: this.#clock };
  }

  async #scope(): Promise<void> {
    const lookback = this.#options.lookbackMs ?? 2 * 3_600_000;
    const windowStart = this.#asOf - lookback;
    const connectors = this.#options.connectors;
    for (const connector of connectors) {
      const topology = connector.capabilities.topology;
      if (!topology) continue;
      const outcome = await this.#gateway.call({
        tool: 'topology.scan',
        plain: true,
        provider: connector.name,
        input: {},
        run: async (signal) =>
          parseTopologySnapshot(
            await topology.scan(this.#context(signal)),
            `core: ${connector.name} topology`,
          ),
      });
      if (outcome.kind === 'ok') {
        const snapshot = outcome.output as unknown as TopologySnapshot;
        this.#map.addTopology(snapshot);
        this.#routing.claim(connector, snapshot);
        if (this.#options.knowledge)
          recordTopology(this.#options.knowledge, snapshot, connector.name, outcome.step);
      } else this.#noteUnchecked('the system topology', outcome);
    }
    this.#map.addEntity(this.#trigger.entity);

    const symptom = symptomSeriesFor(this.#trigger);
    const metricsConnector = this.#routing.pick('metrics', this.#trigger.entity);
    const changesConnectors = connectors.filter((connector) => connector.capabilities.changes);
    const symptomSpec: CheckSpec = {
      kind: 'metric',
      key: metricCheckKey(this.#trigger.entity, symptom.on, symptom.metric, symptom.labels),
      entity: this.#trigger.entity,
      on: symptom.on,
      metric: symptom.metric,
      labels: symptom.labels,
    };
    const tracesConnector = connectors.find((connector) => connector.capabilities.traces);
    // Without traces, where the symptom starts is read from every entity's own symptom series (one query
    // each for the statistic and its volume, every entity at once).
    const survey =
      metricsConnector && !tracesConnector && symptom.on === 'self'
        ? [
            { survey: metricsConnector, metric: symptom.metric, labels: symptom.labels, start: windowStart },
            ...(symptom.volume
              ? [
                  {
                    survey: metricsConnector,
                    metric: symptom.volume.metric,
                    labels: symptom.volume.labels,
                    start: windowStart,
                  },
                ]
              : []),
          ]
        : [];
    const first = await this.#runChecks([
      ...(metricsConnector ? [{ spec: symptomSpec, start: windowStart }] : []),
      ...changesConnectors.map((connector) => ({ changes: connector, start: windowStart })),
      ...survey,
    ]);
    let surveyedStatistic: { series: MetricSeries[]; step: number } | undefined;
    let surveyedVolume: MetricSeries[] = [];
    let dataStart = windowStart;
    for (const result of first) {
      if ('changes' in result.request && result.outcome.kind === 'ok') {
        this.#changes.push(...(result.outcome.output as unknown as ChangeEvent[]));
        this.#changesStep ??= result.outcome.step;
      } else if ('changes' in result.request) this.#noteUnchecked('recent changes', result.outcome);
      if ('spec' in result.request && result.outcome.kind === 'ok') {
        const series = result.outcome.output as unknown as MetricSeries[];
        this.#storeOutcome(symptomSpec, result.outcome);
        const firstPoint = Math.min(...series.flatMap((one) => one.points.slice(0, 1).map(([at]) => at)));
        const step = series[0] ? stepOf(series[0].points) : undefined;
        if (step !== undefined && step > 0) this.#windows.stepMs = step;
        if (Number.isFinite(firstPoint)) dataStart = Math.max(windowStart, firstPoint);
        this.#readSymptom(series, symptom, result.outcome.step);
      } else if ('spec' in result.request)
        this.#noteUnchecked(`the symptom ${symptom.metric} of ${this.#trigger.entity}`, result.outcome);
      if ('survey' in result.request) {
        if (result.outcome.kind !== 'ok')
          this.#noteUnchecked(`${result.request.metric} of every entity`, result.outcome);
        else if (result.request === survey[0])
          surveyedStatistic = {
            series: result.outcome.output as unknown as MetricSeries[],
            step: result.outcome.step,
          };
        else surveyedVolume = result.outcome.output as unknown as MetricSeries[];
      }
    }
    if (surveyedStatistic) this.#readSurvey(surveyedStatistic, surveyedVolume, symptom);
    this.#changes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));

    if (tracesConnector?.capabilities.traces) {
      const span = this.#asOf - dataStart;
      const baselineEnd = dataStart + span * 0.4;
      const recentStart = this.#asOf - recentWindowMs(this.#windows, span);
      const [baseline, recent] = await this.#runChecks([
        { calls: tracesConnector, start: dataStart, end: baselineEnd },
        { calls: tracesConnector, start: recentStart, end: this.#asOf },
      ]);
      if (baseline?.outcome.kind === 'ok' && recent?.outcome.kind === 'ok') {
        const before = baseline.outcome.output as unknown as CallStats[];
        const during = recent.outcome.output as unknown as CallStats[];
        this.#map.addCalls(before);
        this.#map.addCalls(during);
        if (this.#options.knowledge) {
          recordCalls(this.#options.knowledge, during, tracesConnector.name, recent.outcome.step, this.#asOf);
        }
        this.#pendingLocalization = { before, during, step: recent.outcome.step };
      } else {
        this.#noteUnchecked(
          'call statistics from traces',
          baseline?.outcome.kind === 'ok' ? recent?.outcome : baseline?.outcome,
        );
      }
    }

    const depth = this.#options.depth ?? 4;
    if (this.#options.knowledge)
      addKnownDependencies(this.#options.knowledge, this.#map, this.#trigger.entity, depth);
    this.#reach = this.#map.causalReach(this.#trigger.entity, depth);
    this.#events.emit('scope:built', {
      id: this.#id,
      entities: [...this.#reach.keys()],
      changes: this.#changes.length,
    });
  }

  #pendingLocalization: { before: CallStats[]; during: CallStats[]; step: number } | undefined;
  /** Every entity's reading of the symptom series, when the scope surveyed them. */
  #survey: { observations: Map<EntityRef, EntityObservation>; unit: string; step: number } | undefined;

  /** Reads the surveyed symptom series of every entity ({@link surveySymptom}); its onset is the symptom's. */
  #readSurvey(
    statistic: { series: MetricSeries[]; step: number },
    volume: MetricSeries[],
    symptom: ReturnType<typeof symptomSeriesFor>,
  ): void {
    const { observations, alerting, onset } = surveySymptom(statistic.series, volume, {
      trigger: this.#trigger.entity,
      asOf: this.#asOf,
      windows: this.#windows,
      direction: symptom.direction,
      aggregate: symptom.aggregate ?? 'median',
    });
    if (alerting) {
      this.#symptomDegree = alerting.degree;
      if (onset !== undefined) this.#windows.symptomOnset = onset;
      this.#surveyedSymptom = alerting;
    }
    const unit = (alerting ?? observations.values().next().value)?.unit ?? '';
    this.#survey = { observations, unit, step: statistic.step };
  }

  #surveyedSymptom: EntityObservation | undefined;
  #symptomDegree = 0.5;

  #readSymptom(series: MetricSeries[], symptom: ReturnType<typeof symptomSeriesFor>, step: number): void {
    const signature: MetricSignature = {
      ...(symptom.aggregate ? { aggregate: symptom.aggregate } : {}),
      metric: symptom.metric,
      on: symptom.on,
      direction: symptom.direction,
      expect: 'present',
      sensitivity: 0.9,
      specificity: 0.9,
    };
    const reading = readMetricSignature(series, signature, this.#windows);
    if (!reading) {
      this.#unchecked.push({
        what: `the symptom ${symptom.metric} of ${this.#trigger.entity}`,
        why: 'no data points',
        step,
      });
      return;
    }
    const z = (reading.excerpt as { z?: number }).z ?? 0;
    this.#symptomDegree = anomalyDegree(symptom.direction === 'up' ? z : -z, 'up');
    this.#windows.symptomOnset = reading.onset;
    this.#symptomReading = { reading, step };
  }

  #symptomReading: { reading: NonNullable<ReturnType<typeof readMetricSignature>>; step: number } | undefined;

  // ---- hypotheses ----------------------------------------------------------------------------------

  async #hypothesise(): Promise<void> {
    const scope: InvestigationScope = {
      trigger: this.#trigger,
      asOf: this.#asOf,
      map: this.#map,
      reach: this.#reach,
      changes: this.#changes,
      patterns: this.#patterns,
      pastIncidents: this.#options.pastIncidents?.([...this.#reach.keys()]) ?? [],
    };
    const coarse = new Map<EntityRef, { weight: number; reasons: string[]; generator: string }>();
    const generators = this.#options.generators ?? defaultGenerators();
    const all: { proposal: HypothesisProposal; generator: string }[] = [];
    for (const generator of generators) {
      const proposals = await generator.propose(scope, { signal: this.#controller.signal });
      for (const proposal of proposals) all.push({ proposal, generator: generator.name });
    }
    this.#scopeView = scope;
    const caller = this.#modelCaller;
    const reasoner = this.#reasoner;
    if (caller && reasoner) {
      for (const proposal of await reasoner.propose(scope, caller)) {
        if (scope.reach.has(proposal.entity))
          all.push({ proposal: { ...proposal, mode: 'candidate' }, generator: 'model' });
      }
    }
    for (const { proposal, generator } of all) {
      if (proposal.fault !== degradedFault) {
        const key = `${proposal.entity}#${proposal.fault}`;
        const template = this.#templates.get(key) ?? { proposals: [], generator };
        template.proposals.push(proposal);
        this.#templates.set(key, template);
        continue;
      }
      const existing = coarse.get(proposal.entity);
      if (proposal.mode === 'candidate') {
        if (!existing)
          coarse.set(proposal.entity, { weight: proposal.weight, reasons: [proposal.reason], generator });
        else {
          existing.weight = Math.max(existing.weight, proposal.weight);
          existing.reasons.push(proposal.reason);
        }
      } else if (existing) {
        existing.weight *= proposal.weight;
        existing.reasons.push(proposal.reason);
      }
    }
    const total = [...coarse.values()].reduce((sum, entry) => sum + entry.weight, 0);
    const mass = 1 - noFaultPrior - unknownPrior;
    for (const [entity, entry] of [...coarse].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const hypothesis = this.#board.add(
        {
          id: `${entity}#${degradedFault}`,
          entity,
          fault: degradedFault,
          statement: `${entity} is degraded and causes the symptom`,
          prior: (mass * entry.weight) / total,
          generator: entry.generator,
        },
        entry.reasons.join('; '),
      );
      this.#events.emit('hypothesis:added', { id: this.#id, hypothesis });
    }
    this.#batch(() => this.#applySymptomAndLocalization());
  }

  #applySymptomAndLocalization(): void {
    const surveyed = this.#surveyedSymptom;
    if (surveyed && this.#survey) {
      const ratio = signatureLikelihoodRatio(1 - this.#symptomDegree, 0.95, 0.9);
      const reading = `${surveyed.series}: ${surveyed.baseline.toPrecision(4)} → ${surveyed.recent.toPrecision(4)} ${surveyed.unit} (robust z ${surveyed.z.toPrecision(3)}, sampling noise included)`;
      const summary =
        this.#symptomDegree > 0.5
          ? `the symptom is real and sustained: ${reading}`
          : `the symptom is not sustained: ${reading}`;
      const excerpt = {
        series: surveyed.series,
        entity: surveyed.entity,
        baseline: surveyed.baseline,
        recent: surveyed.recent,
        z: rounded(surveyed.z),
        scale: surveyed.scale,
        onset: surveyed.onset === undefined ? null : new Date(surveyed.onset).toISOString(),
      };
      this.#record(noFaultId, 'symptom', ratio, summary, excerpt, this.#survey.step);
    } else if (this.#symptomReading) {
      const { reading, step } = this.#symptomReading;
      const ratio = signatureLikelihoodRatio(1 - this.#symptomDegree, 0.95, 0.9);
      const summary =
        this.#symptomDegree > 0.5
          ? `the symptom is real and sustained: ${reading.summary}`
          : `the symptom is not sustained: ${reading.summary}`;
      this.#record(noFaultId, 'symptom', ratio, summary, reading.excerpt, step);
    }
    this.#applyPropagation();
    const localization = this.#pendingLocalization;
    if (!localization) return;
    const degradations = localizeDegradation(localization.before, localization.during);
    const seen = new Set<EntityRef>();
    for (const degradation of degradations) {
      const id = `${degradation.entity}#${degradedFault}`;
      if (!this.#board.get(id)) continue;
      seen.add(degradation.entity);
      const latencyDegree = 1 / (1 + Math.exp(-(degradation.relativeLatency - 0.5) * 6));
      const errorDegree = 1 / (1 + Math.exp(-(degradation.errorIncrease - 0.03) * 120));
      const degree = Math.max(latencyDegree, errorDegree);
      const ratio = signatureLikelihoodRatio(degree, 0.85, 0.85);
      const summary = `callers see ${degradation.entity} ${Math.round(degradation.incomingIncreaseMs)} ms slower at p95 (its own calls: +${Math.round(degradation.outgoingIncreaseMs)} ms), errors +${(degradation.errorIncrease * 100).toFixed(1)} pts`;
      this.#record(id, 'call-localization', ratio, summary, { ...degradation }, localization.step);
    }
    // The alerting entity has no callers in traces: it is the source when its own calls stayed healthy.
    const triggerId = `${this.#trigger.entity}#${degradedFault}`;
    if (!seen.has(this.#trigger.entity) && this.#board.get(triggerId) && this.#symptomDegree > 0.5) {
      const outgoing = degradations.filter(
        (degradation) =>
          this.#map.dependenciesOf(this.#trigger.entity).includes(degradation.entity) ||
          this.#map.consumersOf(this.#trigger.entity).includes(degradation.entity),
      );
      const worst = Math.max(
        0,
        ...outgoing.map((degradation) =>
          Math.max(
            degradation.incomingIncreaseMs / Math.max(degradation.baselineMs, 1),
            degradation.errorIncrease * 20,
          ),
        ),
      );
      const degree = 1 / (1 + Math.exp(-(0.4 - worst) * 8));
      const ratio = signatureLikelihoodRatio(degree, 0.8, 0.75);
      const summary =
        worst < 0.4
          ? `${this.#trigger.entity} is degraded while its own calls stay healthy`
          : `${this.#trigger.entity}'s own calls degraded too (worst +${Math.round(worst * 100)} %)`;
      this.#record(
        triggerId,
        'call-localization',
        ratio,
        summary,
        { worstRelativeIncrease: Number(worst.toFixed(3)) },
        localization.step,
      );
    }
  }

  /** Evidence from where along the call graph the surveyed symptom starts, for every entity-level candidate. */
  #applyPropagation(): void {
    const survey = this.#survey;
    if (!survey) return;
    const findings = analyzePropagation(
      this.#trigger.entity,
      survey.observations,
      {
        successorsOf: (ref) => [...this.#map.dependenciesOf(ref), ...this.#map.consumersOf(ref)],
        kindOf: (ref) => this.#map.entity(ref)?.kind ?? ref.slice(0, ref.indexOf(':')),
      },
      statisticKindOf(survey.unit),
      [...this.#reach.keys()],
    );
    for (const [entity, finding] of findings) {
      const id = `${entity}#${degradedFault}`;
      if (!this.#board.get(id)) continue;
      const ratio = signatureLikelihoodRatio(
        finding.rootDegree,
        propagationSensitivity,
        propagationSpecificity,
      );
      this.#record(
        id,
        'propagation',
        ratio,
        describeFinding(finding, survey.observations),
        propagationExcerpt(finding),
        survey.step,
      );
    }
  }

  #record(
    hypothesisId: string,
    check: string,
    ratio: number,
    summary: string,
    excerpt: JsonValue,
    step: number,
    unavailable = false,
  ): void {
    const evidence = this.#board.record(
      hypothesisId,
      check,
      ratio,
      summary,
      excerpt,
      step,
      unavailable ? 'unavailable' : undefined,
    );
    this.#events.emit('evidence:added', { id: this.#id, evidence });
    if (this.#updated) this.#updated.add(hypothesisId);
    else {
      const hypothesis = this.#board.get(hypothesisId);
      if (hypothesis) this.#events.emit('hypothesis:updated', { id: this.#id, hypothesis });
    }
  }

  /** Hypotheses touched by evidence in the current batch; their updates are emitted once, at its end. */
  #updated: Set<string> | undefined;

  /** Runs `work` as one batch: posteriors are recomputed, and `hypothesis:updated` emitted, once at the end. */
  #batch(work: () => void): void {
    this.#updated = new Set();
    try {
      work();
    } finally {
      const touched = [...this.#updated];
      this.#updated = undefined;
      for (const id of touched) {
        const hypothesis = this.#board.get(id);
        if (hypothesis)
          this.#events.emit('hypothesis:updated', { id: this.#id, hypothesis: { ...hypothesis } });
      }
    }
  }

  #refine(): void {
    for (const hypothesis of this.#board.ranked()) {
      if (hypothesis.fault !== degradedFault || hypothesis.posterior < refineThreshold) continue;
      if (this.#childless.get(hypothesis.id) === this.#map.version) continue;
      const kind =
        this.#map.entity(hypothesis.entity)?.kind ??
        hypothesis.entity.slice(0, hypothesis.entity.indexOf(':'));
      const children = this.#patterns
        .filter(
          (pattern) => pattern.entityKinds.includes(kind) && this.#canShow(pattern, hypothesis.entity, kind),
        )
        .map((pattern) => {
          const template = this.#templates.get(`${hypothesis.entity}#${pattern.fault}`);
          let share = 0;
          const reasons: string[] = [];
          for (const proposal of template?.proposals ?? []) {
            if (proposal.mode === 'candidate') share = Math.max(share, proposal.weight);
            reasons.push(proposal.reason);
          }
          for (const proposal of template?.proposals ?? [])
            if (proposal.mode === 'boost') share *= proposal.weight;
          return {
            id: `${hypothesis.entity}#${pattern.fault}`,
            entity: hypothesis.entity,
            fault: pattern.fault,
            statement: pattern.statement.replaceAll('{entity}', hypothesis.entity),
            generator: template?.generator ?? 'failure-patterns',
            share,
            reason: reasons.join('; '),
          };
        })
        .filter((child) => child.share > 0);
      const known = new Set(children.map((child) => child.fault));
      for (const [key, template] of this.#modelTemplates()) {
        const fault = key.slice(key.indexOf('#') + 1);
        if (!key.startsWith(`${hypothesis.entity}#`) || known.has(fault)) continue;
        const weight = Math.max(...template.proposals.map((proposal) => proposal.weight));
        children.push({
          id: key,
          entity: hypothesis.entity,
          fault,
          statement: template.proposals[0]?.reason ?? `${fault} on ${hypothesis.entity}`,
          generator: 'model',
          share: weight,
          reason: template.proposals.map((proposal) => proposal.reason).join('; '),
        });
      }
      if (children.length === 0) {
        this.#childless.set(hypothesis.id, this.#map.version);
        continue;
      }
      for (const child of this.#board.refine(hypothesis.id, children)) {
        this.#events.emit('hypothesis:added', { id: this.#id, hypothesis: child });
        this.#applyChangeSignature(child);
      }
    }
  }

  /**
   * Coarse hypotheses found to have no child to refine into, with the map version it was found at: their
   * children come from the patterns, the templates and the map alone, so the answer holds until the map changes.
   */
  readonly #childless = new Map<string, number>();
  #modelTemplatesSorted: [string, { proposals: HypothesisProposal[]; generator: string }][] | undefined;

  /** The templates the model proposed, by key (every template is proposed before the loop starts). */
  #modelTemplates(): [string, { proposals: HypothesisProposal[]; generator: string }][] {
    this.#modelTemplatesSorted ??= [...this.#templates]
      .filter(([, template]) => template.generator === 'model')
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return this.#modelTemplatesSorted;
  }

  /**
   * Whether a fault could show any positive sign on this entity: a pattern whose only positive signs are read
   * on callers (network latency) does not apply to an entity nobody calls, or it would win on absences alone.
   */
  #canShow(pattern: FailurePattern, entity: EntityRef, kind: string): boolean {
    if (pattern.logs || pattern.changes) return true;
    return pattern.metrics.some(
      (signature) =>
        signature.expect === 'present' &&
        (!signature.kinds || signature.kinds.includes(kind)) &&
        (signature.on === 'self' || this.#map.dependentsOf(entity).length > 0),
    );
  }

  #applyChangeSignature(hypothesis: Hypothesis): void {
    const pattern = this.#patterns.find((candidate) => candidate.fault === hypothesis.fault);
    const signature = pattern?.changes;
    if (!signature || this.#changesStep === undefined) return;
    const reference = this.#windows.symptomOnset ?? this.#asOf;
    const matches = this.#changes.filter((change) => {
      if (change.entity !== hypothesis.entity || !signature.kinds.includes(change.kind)) return false;
      const at = Date.parse(change.at);
      if (signature.overlapping) {
        const ended = change.endedAt ? Date.parse(change.endedAt) : this.#asOf;
        return (
          at <= reference + 5 * 60_000 &&
          ended >= reference - 5 * 60_000 &&
          reference - at <= signature.withinMs * 4
        );
      }
      return at <= reference + 2 * 60_000 && reference - at <= signature.withinMs;
    });
    const degree = matches.length > 0 ? 0.95 : 0.05;
    const ratio = signatureLikelihoodRatio(degree, signature.sensitivity, signature.specificity);
    const latest = matches[matches.length - 1];
    const summary = latest
      ? `${latest.kind} on ${latest.entity} at ${latest.at}: ${latest.summary}`
      : `no ${signature.kinds.join(' or ')} on ${hypothesis.entity} near the symptom`;
    this.#record(
      hypothesis.id,
      `changes:${signature.kinds.join('+')}`,
      ratio,
      summary,
      latest ? { ...latest } : [],
      this.#changesStep,
    );
  }

  #prune(): void {
    for (const hypothesis of this.#board.ranked()) {
      // Only on evidence of its own: a fault just split out of its entity has not been tested yet.
      if (hypothesis.posterior < pruneThreshold && this.#board.hasOwnEvidence(hypothesis.id)) {
        this.#board.setStatus(hypothesis.id, 'pruned');
        this.#events.emit('hypothesis:updated', { id: this.#id, hypothesis });
      }
    }
  }

  // ---- model ---------------------------------------------------------------------------------------

  #scopeView: InvestigationScope | undefined;
  #reasonerCache: ModelReasoner | undefined | null = null;

  /** The reasoner: the host's, or the built-in one when a model is configured. */
  get #reasoner(): ModelReasoner | undefined {
    if (this.#reasonerCache === null) {
      this.#reasonerCache = this.#options.model
        ? (this.#options.reasoner ?? createModelReasoner())
        : undefined;
    }
    return this.#reasonerCache;
  }
  readonly #modelChecked = new Set<string>();
  #modelCallerCache: ModelCaller | undefined | null = null;

  get #modelCaller(): ModelCaller | undefined {
    if (this.#modelCallerCache === null) {
      this.#modelCallerCache = this.#options.model
        ? createModelCaller(this.#options.model, this.#gateway, this.#budget)
        : undefined;
    }
    return this.#modelCallerCache;
  }

  /** The leading hypotheses the model has not yet planned checks for. */
  #modelTargets(): Hypothesis[] {
    if (!this.#modelCaller || !this.#reasoner) return [];
    if (this.#options.connectors.every((connector) => connector.tools.length === 0)) return [];
    return this.#board
      .ranked()
      .filter(
        (hypothesis) =>
          hypothesis.fault !== degradedFault &&
          !this.#modelChecked.has(hypothesis.id) &&
          hypothesis.posterior >= 0.05,
      )
      .slice(0, this.#options.modelHypothesesPerRound ?? 2);
  }

  #modelWork(): boolean {
    return this.#modelTargets().length > 0 && this.#budget.canCharge({ modelTokens: 1 });
  }

  /** The model plans tool calls for the leading hypotheses and reads their output; sequential, so deterministic. */
  async #modelChecks(): Promise<void> {
    const caller = this.#modelCaller;
    const reasoner = this.#reasoner;
    const scope = this.#scopeView;
    if (!caller || !reasoner || !scope) return;
    const tools = collectTools(this.#options.connectors);
    for (const hypothesis of this.#modelTargets()) {
      this.#modelChecked.add(hypothesis.id);
      const planned = await reasoner.plan(hypothesis, tools.definitions, scope, caller);
      for (const call of planned) {
        const entry = tools.byName.get(call.tool);
        if (!entry) continue;
        const ran = await runPlannedTool(this.#gateway, entry, call.input, {
          budget: this.#budget,
          clock: this.#clock,
          logger: this.#options.logger ?? silentLogger,
          hypothesis: hypothesis.id,
        });
        if ('error' in ran) {
          if (ran.step !== undefined)
            this.#record(
              hypothesis.id,
              `model:${call.tool}`,
              1,
              `could not run ${call.tool}: ${ran.error}`,
              null,
              ran.step,
              true,
            );
          else this.#unchecked.push({ what: `${call.tool} for ${hypothesis.id}`, why: ran.error });
          continue;
        }
        // One tool output may take at most an eighth of the model tokens left (about 4 characters a token).
        const shareChars = Math.max(
          400,
          Math.min(16_000, Math.floor(this.#budget.remaining().modelTokens / 8) * 4),
        );
        const reading = await reasoner.interpret(
          hypothesis,
          call.tool,
          truncateToolOutput(ran.text, shareChars),
          caller,
        );
        if (!reading) continue;
        const ratio = Math.min(4, Math.max(0.25, reading.likelihoodRatio));
        this.#record(
          hypothesis.id,
          `model:${call.tool}`,
          ratio,
          `${reading.verdict}: ${reading.reason}`,
          { tool: call.tool, input: call.input, reason: call.reason },
          ran.step,
        );
      }
    }
  }

  // ---- checks --------------------------------------------------------------------------------------

  /** The (hypothesis, signature) pairs still to evaluate, for the competing fault hypotheses. */
  #requirements(): Requirement[] {
    const derived = this.#board.ranked().map((hypothesis) => this.#pending(this.#requirementsOf(hypothesis)));
    const out: Requirement[] = [];
    for (const one of derived) for (const requirement of one.own) out.push(requirement);
    for (const one of derived) for (const requirement of one.alignment) out.push(requirement);
    return out;
  }

  /**
   * A hypothesis' requirements not yet applied. Applied ones never come back, so the lists drop them, once
   * after each application (`#applyReady` marks the lists stale).
   */
  #pending(derived: DerivedRequirements): DerivedRequirements {
    if (!derived.stale) return derived;
    derived.own = derived.own.filter((requirement) => !this.#applied.has(requirement.key));
    derived.alignment = derived.alignment.filter((requirement) => !this.#applied.has(requirement.key));
    derived.stale = false;
    return derived;
  }

  /**
   * A hypothesis' requirements, derived once: they depend only on the hypothesis, the patterns, the connectors,
   * the change events and the system map, none of which change during the loop (a map change re-derives them).
   */
  #requirementsOf(hypothesis: Hypothesis): DerivedRequirements {
    const known = this.#requirementCache.get(hypothesis.id);
    if (known && known.hypothesis === hypothesis && known.mapVersion === this.#map.version) return known;
    const derived: DerivedRequirements = {
      hypothesis,
      mapVersion: this.#map.version,
      own: this.#ownRequirements(hypothesis),
      alignment: this.#alignmentRequirements(hypothesis),
      stale: true,
    };
    this.#requirementCache.set(hypothesis.id, derived);
    return derived;
  }

  readonly #requirementCache = new Map<string, DerivedRequirements>();

  /** The metric and log signatures of a fault hypothesis' pattern, as requirements. */
  #ownRequirements(hypothesis: Hypothesis): Requirement[] {
    const hasMetrics = this.#options.connectors.some((connector) => connector.capabilities.metrics);
    const hasLogs = this.#options.connectors.some((connector) => connector.capabilities.logs);
    const out: Requirement[] = [];
    if (hypothesis.fault === degradedFault) return out;
    const pattern = this.#patterns.find((candidate) => candidate.fault === hypothesis.fault);
    if (!pattern) return out;
    const kind = this.#map.entity(hypothesis.entity)?.kind ?? '';
    if (hasMetrics) {
      pattern.metrics.forEach((signature, index) => {
        if (signature.kinds && !signature.kinds.includes(kind)) return;
        if (signature.on === 'callers' && this.#map.dependentsOf(hypothesis.entity).length === 0) return;
        const specs: CheckSpec[] = [
          metricSpec(hypothesis.entity, signature.on, signature.metric, signature.labels ?? {}),
        ];
        if (signature.limit)
          specs.push(
            metricSpec(hypothesis.entity, 'self', signature.limit.metric, signature.limit.labels ?? {}),
          );
        out.push({
          key: `${hypothesis.id}|metric${index}`,
          hypothesis,
          pattern,
          signature,
          specs,
          information: signatureInformation(signature.sensitivity, signature.specificity),
        });
      });
    }
    const logSignatures = pattern.logs ? (Array.isArray(pattern.logs) ? pattern.logs : [pattern.logs]) : [];
    logSignatures.forEach((signature, index) => {
      const on = signature.on ?? 'self';
      if (!hasLogs || (on === 'callers' && this.#map.dependentsOf(hypothesis.entity).length === 0)) return;
      out.push({
        key: `${hypothesis.id}|logs${index}`,
        hypothesis,
        pattern,
        signature,
        specs: [{ kind: 'logs', key: logCheckKey(hypothesis.entity, on), entity: hypothesis.entity, on }],
        information: signatureInformation(signature.sensitivity, signature.specificity),
      });
    });
    return out;
  }

  /**
   * For a scheduled job suspected of contention: the health series of each datastore it uses, to compare
   * during its runs with outside them.
   */
  #alignmentRequirements(hypothesis: Hypothesis): Requirement[] {
    const out: Requirement[] = [];
    if (!this.#options.connectors.some((connector) => connector.capabilities.metrics)) return out;
    const pattern = this.#patterns.find((candidate) => candidate.fault === hypothesis.fault);
    if (!pattern?.changes?.overlapping) return out;
    const runs = this.#runsOf(hypothesis.entity);
    if (runs.length === 0) return out;
    for (const datastore of this.#map.dependenciesOf(hypothesis.entity)) {
      const health = datastoreHealthSeries(this.#map.entity(datastore)?.kind ?? '');
      if (!health) continue;
      out.push({
        key: `${hypothesis.id}|align|${datastore}`,
        hypothesis,
        pattern,
        signature: { alignment: true, datastore, runs, sensitivity: 0.9, specificity: 0.95 },
        specs: [metricSpec(datastore, 'self', health.metric, health.labels)],
        information: signatureInformation(0.9, 0.95),
      });
    }
    return out;
  }

  /** The run windows of a scheduled job in the lookback window, from the change events. */
  #runsOf(job: EntityRef): { start: number; end: number }[] {
    return this.#changes
      .filter((change) => change.entity === job && change.kind === 'job-run')
      .map((change) => ({
        start: Date.parse(change.at),
        end: change.endedAt ? Date.parse(change.endedAt) : this.#asOf,
      }));
  }

  /** Evaluates every requirement whose checks have all run (free: the data is already here). */
  #applyReady(): void {
    // Readiness changes only with new outcomes, new hypotheses or a new map; without any, every ready
    // requirement was evaluated by the previous call.
    const state = `${this.#checkOutcomes.size}|${this.#board.size}|${this.#map.version}`;
    if (state === this.#appliedState) return;
    this.#appliedState = state;
    for (const requirement of this.#requirements()) {
      if (!requirement.specs.every((spec) => this.#checkOutcomes.has(spec.key))) continue;
      const outcomes = requirement.specs.map((spec) => this.#checkOutcomes.get(spec.key)?.outcome);
      this.#applied.add(requirement.key);
      const derived = this.#requirementCache.get(requirement.hypothesis.id);
      if (derived) derived.stale = true;
      this.#evaluate(requirement, outcomes as GatewayOutcome[]);
    }
  }

  /** What readiness was last evaluated against (outcomes, hypotheses, map version). */
  #appliedState = '';

  /** The checks worth running for the competing hypotheses, most valuable first (ties by key). */
  #plan(): { spec: CheckSpec; value: number }[] {
    const planned = new Map<string, { spec: CheckSpec; value: number }>();
    for (const requirement of this.#requirements()) {
      for (const spec of requirement.specs) {
        if (this.#checkOutcomes.has(spec.key)) continue;
        const entry = planned.get(spec.key) ?? { spec, value: 0 };
        entry.value += requirement.hypothesis.posterior * requirement.information;
        planned.set(spec.key, entry);
      }
    }
    return [...planned.values()]
      .filter((entry) => entry.value >= minimumCheckValue)
      .sort((a, b) => descending(a.value, b.value) || (a.spec.key < b.spec.key ? -1 : 1));
  }

  #state(pending: number): InvestigationState {
    const ranked = this.#board
      .ranked()
      .filter((hypothesis) => hypothesis.fault !== degradedFault || !this.#hasChildren(hypothesis.id));
    return {
      ranked,
      unknownRemainder: this.#board.unknown(),
      noFault: this.#board.noFault(),
      pendingChecks: pending,
      exhausted: this.#budget.exhausted(),
      cancelled: this.#controller.signal.aborted,
      rounds: this.#rounds,
      failedChecks: this.#failedChecks,
      completedChecks: this.#completedChecks,
      trigger: this.#trigger.entity,
    };
  }

  #hasChildren(id: string): boolean {
    return this.#board.hasChildren(id);
  }

  async #loop(): Promise<Ending> {
    const rules = this.#options.stopWhen ?? defaultStopRules();
    for (;;) {
      this.#batch(() => {
        this.#refine();
        this.#applyReady();
      });
      this.#prune();
      const plan = this.#plan();
      const state = this.#state(plan.length + (this.#modelWork() ? 1 : 0));
      for (const rule of rules) {
        const ending = rule(state);
        if (ending) return ending;
      }
      // A confident leader needs only confirming checks; an open field needs a wider round.
      const leader = state.ranked[0]?.posterior ?? 0;
      const width = Math.min(roundWidth, Math.max(1, Math.ceil(roundWidth * (1 - leader))));
      const topValue = plan[0]?.value ?? 0;
      const batch = plan.filter((entry) => entry.value >= topValue * focusRatio).slice(0, width);
      if (batch.length === 0 && !this.#modelWork())
        return { kind: 'needs-human', reason: 'nothing left worth checking' };
      const results = await this.#runChecks(
        batch.map((entry) => ({
          spec: entry.spec,
          start: this.#asOf - (this.#options.lookbackMs ?? 2 * 3_600_000),
        })),
      );
      if (results.length === 0 && batch.length > 0) {
        const exhausted = this.#budget.exhausted() ?? 'toolCalls';
        return { kind: 'budget-exhausted', reason: `the ${exhausted} budget is spent` };
      }
      for (const result of results) {
        if ('spec' in result.request) this.#storeOutcome(result.request.spec, result.outcome);
      }
      this.#batch(() => this.#applyReady());
      await this.#modelChecks();
      this.#rounds++;
    }
  }

  /** How many checks run at once; batches run one after the other, so one limiter serves the whole run. */
  #limit: LimitFunction | undefined;

  /** Reserves steps in request order (deterministic), runs them concurrently, returns results in request order. */
  async #runChecks(
    requests: (
      | { spec: CheckSpec; start: number }
      | { changes: Connector; start: number }
      | { calls: Connector; start: number; end: number }
      | SurveyRequest
    )[],
  ): Promise<{ request: (typeof requests)[number]; outcome: GatewayOutcome }[]> {
    const reserved: { request: (typeof requests)[number]; step: number }[] = [];
    for (const request of requests) {
      const step = this.#gateway.reserve();
      if (step === undefined) break;
      reserved.push({ request, step });
    }
    this.#limit ??= pLimit(Math.max(1, this.#options.concurrency ?? 4));
    const limit = this.#limit;
    return Promise.all(
      reserved.map(({ request, step }) =>
        limit(async () => ({ request, outcome: await this.#gateway.run(step, this.#callFor(request)) })),
      ),
    );
  }

  #callFor(
    request:
      | { spec: CheckSpec; start: number }
      | { changes: Connector; start: number }
      | { calls: Connector; start: number; end: number }
      | SurveyRequest,
  ) {
    const end = this.#asOf;
    if ('survey' in request) {
      return this.#rangeCall(request.survey, {
        metric: request.metric,
        ...(Object.keys(request.labels).length > 0 ? { labels: request.labels } : {}),
        start: Math.max(request.start, 0),
        end,
      });
    }
    if ('changes' in request) {
      const changes = request.changes.capabilities.changes;
      const input = { start: request.start, end };
      return {
        tool: 'changes.list',
        plain: true,
        provider: request.changes.name,
        input,
        run: async (signal: AbortSignal) =>
          parseWith(
            changeListSchema,
            await changes?.list({ ...input }, this.#context(signal)),
            `core: ${request.changes.name} changes`,
          ),
      };
    }
    if ('calls' in request) {
      const traces = request.calls.capabilities.traces;
      const input = { start: request.start, end: request.end };
      return {
        tool: 'traces.callStats',
        plain: true,
        provider: request.calls.name,
        input,
        run: async (signal: AbortSignal) =>
          parseWith(
            callStatsListSchema,
            await traces?.callStats({ ...input }, this.#context(signal)),
            `core: ${request.calls.name} call statistics`,
          ),
      };
    }
    const spec = request.spec;
    if (spec.kind === 'logs') {
      const connector = this.#routing.pick('logs', this.#servedEntity(spec));
      // Callers' lines: every warn-or-worse line of the window; the reading keeps the callers' ones.
      const input = {
        ...(spec.on === 'self' ? { entity: spec.entity } : {}),
        minLevel: 'warn' as const,
        start: end - 30 * 60_000,
        end,
        limit: spec.on === 'self' ? 200 : 1000,
      };
      return {
        tool: 'logs.search',
        plain: true,
        provider: connector?.name ?? 'none',
        input,
        run: async (signal: AbortSignal) =>
          parseWith(
            logListSchema,
            await connector?.capabilities.logs?.search({ ...input }, this.#context(signal)),
            `core: ${connector?.name} logs`,
          ),
      };
    }
    const connector = this.#routing.pick('metrics', this.#servedEntity(spec));
    const labels = spec.on === 'callers' ? { ...spec.labels, peer: spec.entity } : spec.labels;
    return this.#rangeCall(connector, {
      metric: spec.metric,
      ...(spec.on === 'self' ? { entity: spec.entity } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      start: Math.max(request.start, 0),
      end,
    });
  }

  /** Whose telemetry a check reads: the entity's own, or for `callers` checks its first caller's. */
  #servedEntity(spec: CheckSpec): EntityRef {
    return spec.on === 'self' ? spec.entity : (this.#map.dependentsOf(spec.entity)[0] ?? spec.entity);
  }

  /** A `metrics.range` call on a connector, its output validated. */
  #rangeCall(
    connector: Connector | undefined,
    input: { metric: string; entity?: EntityRef; labels?: Labels; start: number; end: number },
  ) {
    return {
      tool: 'metrics.range',
      plain: true,
      provider: connector?.name ?? 'none',
      input,
      run: async (signal: AbortSignal) =>
        parseMetricSeriesList(
          await connector?.capabilities.metrics?.range(
            // The connector gets its own copy (the step keeps the input as sent): flat, but for the labels.
            { ...input, ...(input.labels ? { labels: { ...input.labels } } : {}) },
            this.#context(signal),
          ),
          `core: ${connector?.name} metrics`,
        ),
    };
  }

  /** Stores a check's outcome (counting it once) for every requirement that reads it. */
  #storeOutcome(spec: CheckSpec, outcome: GatewayOutcome): void {
    if (this.#checkOutcomes.has(spec.key)) return;
    this.#checkOutcomes.set(spec.key, { spec, outcome });
    if (outcome.kind === 'ok') this.#completedChecks++;
    else {
      if (outcome.kind === 'failed') this.#failedChecks++;
      this.#noteUnchecked(
        spec.kind === 'logs' ? `logs of ${spec.entity}` : `${spec.metric} of ${spec.entity}`,
        outcome,
      );
    }
  }

  /** Turns the outcomes of a requirement's checks into evidence about its hypothesis. */
  #evaluate(requirement: Requirement, outcomes: GatewayOutcome[]): void {
    const { hypothesis, signature } = requirement;
    const failed = outcomes.find((outcome) => outcome.kind !== 'ok');
    const primary = outcomes[0] as GatewayOutcome;
    const step = outcomes
      .map((outcome) => ('step' in outcome ? outcome.step : undefined))
      .find((id) => id !== undefined);
    if (failed) {
      if (failed.kind === 'failed' && step !== undefined) {
        this.#record(
          hypothesis.id,
          requirement.specs[0]?.key ?? 'check',
          1,
          `could not check: ${failed.error.message}`,
          null,
          failed.step,
          true,
        );
      }
      return;
    }
    if (primary.kind !== 'ok' || step === undefined) return;
    if ('alignment' in signature) {
      const reading = readRunAlignment(primary.output as unknown as MetricSeries[], signature);
      if (reading) {
        this.#record(
          hypothesis.id,
          `run-alignment:${signature.datastore}`,
          reading.likelihoodRatio,
          reading.summary,
          reading.excerpt,
          primary.step,
        );
      }
      return;
    }
    if ('anyOf' in signature) {
      const records = primary.output as unknown as LogRecord[];
      const callers = new Set(this.#map.dependentsOf(hypothesis.entity));
      const relevant =
        signature.on === 'callers' ? records.filter((record) => callers.has(record.entity)) : records;
      const reading = readLogSignature(relevant, signature);
      this.#record(
        hypothesis.id,
        `logs:${requirement.pattern.fault}`,
        reading.likelihoodRatio,
        reading.summary,
        reading.excerpt,
        primary.step,
      );
      return;
    }
    const series = primary.output as unknown as MetricSeries[];
    const limitOutcome = outcomes[1];
    const reading = signature.limit
      ? readSaturation(
          series,
          limitOutcome?.kind === 'ok' ? (limitOutcome.output as unknown as MetricSeries[]) : [],
          signature,
          this.#windows,
        )
      : readMetricSignature(series, signature, this.#windows);
    const spec = requirement.specs[0];
    if (!reading) {
      this.#record(
        hypothesis.id,
        spec?.key ?? 'metric',
        1,
        `no data for ${signature.metric}${signature.limit ? ` against ${signature.limit.metric}` : ''} of ${hypothesis.entity}`,
        null,
        primary.step,
        true,
      );
      if (
        !this.#unchecked.some((item) => item.step === primary.step && item.what.startsWith(signature.metric))
      ) {
        this.#unchecked.push({
          what: `${signature.metric} of ${hypothesis.entity}`,
          why: 'the connector has no data for it',
          step: primary.step,
        });
      }
      return;
    }
    const check = `metric:${signature.metric}${signature.limit ? ` / ${signature.limit.metric}` : ''}${signature.expect === 'absent' ? ' (expected normal)' : ''}`;
    this.#record(
      hypothesis.id,
      check,
      reading.likelihoodRatio,
      reading.summary,
      reading.excerpt,
      primary.step,
    );
  }

  #noteUnchecked(what: string, outcome: GatewayOutcome | undefined): void {
    if (!outcome || outcome.kind === 'ok') return;
    if (outcome.kind === 'refused') this.#unchecked.push({ what, why: outcome.reason });
    else this.#unchecked.push({ what, why: outcome.error.message, step: outcome.step });
  }
}
