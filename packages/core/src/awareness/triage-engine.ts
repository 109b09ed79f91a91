import type { BudgetLimits } from '../contracts/budget';
import type { Labels, Severity } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { FailurePattern } from '../investigation/failure-patterns';
import type { PastIncident } from '../investigation/hypothesis-generators';
import { symptomSeriesFor } from '../investigation/symptom';
import type { SystemMap } from '../investigation/system-map';
import { findCorroboration } from './corroboration';
import { defaultSymptomTiming, minimumCorroboratingRise, type SymptomTiming } from './deviation-rules';
import { learnedAdjustment, patternKey, patternOf } from './feedback-learning';
import { observedTraffic } from './observed-traffic';
import { byUrgency, forecastEntity } from './saturation-forecast';
import { flappingFlaps } from './situation-book';
import { readSymptom } from './symptom-reading';
import type { SystemProximity } from './system-proximity';
import { describeFailure, type TelemetryReader } from './telemetry-reading';
import { trafficModelFor } from './traffic-model';
import {
  changeReason,
  corroborationReason,
  criticalityReason,
  failurePatternReason,
  flappingReason,
  forecastReason,
  type NearbyChange,
  pastIncidentReason,
  resolvedReason,
  rolloutReason,
  severityReason,
  symptomReason,
  urgentForecast,
  urgentWithinHours,
} from './triage-factors';
import { budgetForDecision, decide, round, shiftThresholds } from './triage-thresholds';
import type {
  DecisionBudgets,
  PastIncidentsFunction,
  PatternStatistics,
  SaturationResource,
  Situation,
  TrafficModel,
  TriageReason,
  TriageResult,
  TriageStore,
  TriageThresholds,
} from './types';

/** The most entities of a neighbourhood whose series are read for corroboration (nearest first). */
export const corroborationEntityLimit = 12;

/** Everything one triage needs. */
export interface TriageInputs {
  /** The system map. */
  map: SystemMap;
  /** Distances in it. */
  proximity: SystemProximity;
  /** Telemetry, for this triage. */
  reader: TelemetryReader;
  /** Learned statistics. */
  store: TriageStore;
  /** Thresholds per severity. */
  thresholds: TriageThresholds;
  /** Budget per decision. */
  budgets: DecisionBudgets;
  /** Budget limits per severity. */
  budgetTable: Readonly<Record<Severity, Readonly<BudgetLimits>>>;
  /** Forecast catalogue. */
  resources: readonly SaturationResource[];
  /** Failure patterns. */
  patterns: readonly FailurePattern[];
  /** The host's traffic model. */
  trafficModel?: TrafficModel;
  /** Past incidents. */
  pastIncidents?: PastIncidentsFunction;
  /** Change and deploy signals awareness has seen. */
  changeSignals: readonly Signal[];
  /** Now, epoch ms. */
  now: number;
  /** Trend lookback, ms. */
  lookbackMs: number;
  /** Forecast horizon, ms. */
  horizonMs: number;
  /** Neighbourhood radius, hops. */
  hops: number;
  /** How long a symptom must last to be sustained, and the recent stretch (default {@link defaultSymptomTiming}). */
  symptomTiming?: SymptomTiming;
}

const isAlert = (signal: Signal) => signal.kind === 'alert' || signal.kind === 'anomaly';
const hour = 3_600_000;
const byRef = (a: EntityRef, b: EntityRef) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Scores a situation from its factors and decides what it deserves (see docs/awareness.md).
 *
 * @param situation - the situation
 * @param inputs - map, telemetry, store, tables, times
 */
export async function triageSituation(situation: Situation, inputs: TriageInputs): Promise<TriageResult> {
  const unchecked: string[] = [];
  const neighbourhood = neighbourhoodOf(situation.entities, inputs);
  const window = { start: inputs.now - inputs.lookbackMs, end: inputs.now };
  const primaryPattern = patternOf(situation.primary);
  const forecastTargets = [
    ...new Set([
      ...situation.entities,
      ...situation.entities.flatMap((ref) => inputs.map.dependenciesOf(ref)),
    ]),
  ].sort(byRef);

  const primary = situation.primary;
  // The symptom's baseline reaches two lookbacks further back: so does the traffic it is judged by.
  const observed = inputs.trafficModel
    ? undefined
    : await observedTraffic(inputs.map, inputs.reader, {
        start: inputs.now - 3 * inputs.lookbackMs,
        end: inputs.now,
      });
  const trafficOf = (entity: EntityRef) =>
    inputs.trafficModel ??
    trafficModelFor(inputs.map, entity, inputs.proximity.upstreamOf(entity)) ??
    observed;
  const forecastInputs = { ...inputs, ...(observed ? { observedTraffic: observed } : {}) };
  const [forecasts, changes, incidents, entityStats, kindStats, symptom] = await Promise.all([
    Promise.all(forecastTargets.map((entity) => forecastEntity(entity, forecastInputs))),
    inputs.reader.changes(window.start, window.end),
    readIncidents(inputs, [...neighbourhood.keys()], unchecked),
    readStatistics(inputs.store, patternKey(primaryPattern, 'entity'), unchecked),
    readStatistics(inputs.store, patternKey(primaryPattern, 'kind'), unchecked),
    isAlert(primary)
      ? readSymptom(primary, inputs.reader, window, trafficOf, inputs.symptomTiming)
      : Promise.resolve(undefined),
  ]);
  const allForecasts = forecasts.flat().sort(byUrgency);

  // The alerts' own symptoms and the forecast series are accounted for already: they never corroborate.
  const skipped = new Set<string>(allForecasts.map((forecast) => `${forecast.entity} ${forecast.metric}`));
  const symptoms = situation.signals
    .filter(isAlert)
    .map((signal) => ({ signal, series: symptomSeriesFor(signal) }));
  const skip = (entity: EntityRef, metric: string, labels: Labels) =>
    skipped.has(`${entity} ${metric}`) ||
    symptoms.some(({ signal, series }) =>
      series.on === 'self'
        ? signal.entity === entity && series.metric === metric
        : series.metric === metric && labels.peer === signal.entity,
    );
  const nearest = new Map([...neighbourhood].slice(0, corroborationEntityLimit));
  const findings = await findCorroboration(
    nearest,
    inputs.reader,
    window,
    skip,
    trafficOf,
    undefined,
    inputs.symptomTiming,
  );

  // A known failure pattern shows in the resources that fill up: their series rising steadily, fast or toward
  // a limit within the horizon (a volume that slowly grows for months is no pattern).
  const lookbackHours = inputs.lookbackMs / hour;
  const rising = new Set<string>(
    allForecasts
      .filter(
        (forecast) =>
          forecast.consistency >= 0.4 &&
          forecast.growthPerHour > 0 &&
          (forecast.hoursToLimit !== undefined ||
            (forecast.growthPerHour * lookbackHours) / Math.max(forecast.current, 1e-9) >=
              minimumCorroboratingRise),
      )
      .map((forecast) => `${forecast.entity} ${forecast.metric}`),
  );
  const primaryIndex = situation.signals.findIndex(
    (signal) => signal.id === primary.id && signal.entity === primary.entity,
  );
  const primaryFingerprint = situation.fingerprints[primaryIndex];
  const relatedAlerts = situation.signals.filter(
    (signal, index) =>
      isAlert(signal) &&
      signal.status !== 'resolved' &&
      (situation.signalFlaps[index] ?? 0) < flappingFlaps &&
      situation.fingerprints[index] !== primaryFingerprint &&
      !(signal.entity === primary.entity && signal.labels.alertname === primary.labels.alertname),
  );
  const adjustment = learnedAdjustment(entityStats, kindStats);
  const forecast = allForecasts[0];
  const forecastReasonOf = forecastReason(forecast);
  const nearby = nearbyChanges(changes, inputs, neighbourhood);
  const rollout = rolloutReason(primary.entity, nearby, symptom, inputs.now);
  const trouble =
    symptom?.state === 'sustained' || findings.length > 0 || (forecastReasonOf?.weight ?? 0) > 0;
  const reasons = [
    severityReason(situation.severity),
    criticalityReason(
      situation.entities,
      inputs.map,
      inputs.proximity,
      trouble || (symptom !== undefined && symptom.state !== 'quiet'),
    ),
    forecastReasonOf,
    symptomReason(symptom),
    corroborationReason(findings, relatedAlerts),
    rollout,
    changeReason(
      nearby,
      inputs.now,
      rollout
        ? 'the rollout accounts for the alert'
        : trouble
          ? undefined
          : 'nothing besides the alert shows trouble',
    ),
    failurePatternReason(situation.entities, inputs.patterns, rising),
    pastIncidentReason(incidents, neighbourhood, inputs.now),
    flappingReason(situation.signalFlaps[primaryIndex] ?? 0),
    resolvedReason(situation.status),
    ...adjustment.reasons,
  ]
    .filter((reason): reason is TriageReason => reason !== undefined)
    .sort((a, b) => b.weight - a.weight || (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0));

  const score = round(
    Math.min(
      1,
      Math.max(
        0,
        reasons.reduce((sum, reason) => sum + reason.weight, 0),
      ),
    ),
  );
  const thresholds = shiftThresholds(inputs.thresholds[situation.severity], adjustment.thresholdShift);
  let decision = decide(score, thresholds);
  // Waking someone needs urgency: the owner's own P1/P2, a limit that will be reached before the team's next
  // working day, or a pattern engineers said was missed. Otherwise the agent investigates and reports.
  const urgent =
    situation.severity === 'P1' ||
    situation.severity === 'P2' ||
    urgentForecast(forecast, urgentWithinHours) ||
    adjustment.thresholdShift < 0;
  if (decision === 'escalate' && !urgent) {
    decision = 'investigate';
    reasons.push({
      factor: 'urgency',
      weight: 0,
      detail: `investigated, not escalated: the score reaches ${thresholds.escalate}, but a ${situation.severity} wakes someone only when a limit will be reached within ${urgentWithinHours} h`,
    });
  }
  if (!inputs.reader.hasMetrics()) unchecked.push('metrics: no connector has a metrics capability');
  return {
    situation: situation.id,
    decision,
    score,
    reasons,
    ...(forecast ? { forecast } : {}),
    forecasts: allForecasts,
    ...(symptom ? { symptom } : {}),
    budget: budgetForDecision(inputs.budgets[decision], situation.severity, inputs.budgetTable),
    corroborated: trouble,
    urgent,
    thresholds,
    severity: situation.severity,
    pattern: patternKey(primaryPattern, 'entity'),
    unchecked: [...inputs.reader.unchecked(), ...unchecked],
    decidedAt: new Date(inputs.now).toISOString(),
  };
}

/** Every entity within the radius of any of the situation's entities, nearest first. */
function neighbourhoodOf(entities: readonly EntityRef[], inputs: TriageInputs): Map<EntityRef, number> {
  const distance = new Map<EntityRef, number>();
  for (const entity of entities) {
    for (const [ref, hops] of inputs.proximity.neighbourhood(entity, inputs.hops)) {
      const known = distance.get(ref);
      if (known === undefined || hops < known) distance.set(ref, hops);
    }
  }
  return new Map([...distance].sort(([a, hopsA], [b, hopsB]) => hopsA - hopsB || byRef(a, b)));
}

function nearbyChanges(
  changes: readonly { id: string; entity: EntityRef; kind: string; at: string; summary: string }[],
  inputs: TriageInputs,
  neighbourhood: ReadonlyMap<EntityRef, number>,
): NearbyChange[] {
  const fromSignals = inputs.changeSignals
    .filter((signal) => signal.kind === 'deploy' || signal.kind === 'change')
    .map((signal) => ({
      id: signal.id,
      entity: signal.entity,
      kind: signal.kind,
      at: signal.at,
      summary: signal.summary,
    }));
  // The same change often arrives twice — as a change event and as a deploy/change signal, with different ids —
  // so changes of one entity in the same minute count once.
  const byId = new Map<string, NearbyChange>();
  const seen = new Set<string>();
  for (const change of [...changes, ...fromSignals]) {
    const at = Date.parse(change.at);
    const hops = neighbourhood.get(change.entity);
    const sameChange = `${change.entity}|${Math.floor(at / 60_000)}`;
    if (
      hops === undefined ||
      at > inputs.now ||
      at < inputs.now - inputs.lookbackMs ||
      byId.has(change.id) ||
      seen.has(sameChange)
    )
      continue;
    seen.add(sameChange);
    byId.set(change.id, {
      id: change.id,
      entity: change.entity,
      kind: change.kind,
      at,
      summary: change.summary,
      hops,
    });
  }
  return [...byId.values()].sort((a, b) => a.hops - b.hops || b.at - a.at);
}

async function readIncidents(
  inputs: TriageInputs,
  entities: EntityRef[],
  unchecked: string[],
): Promise<PastIncident[]> {
  if (!inputs.pastIncidents) return [];
  try {
    return await inputs.pastIncidents(entities);
  } catch (error) {
    unchecked.push(`past incidents: ${describeFailure(error)}`);
    return [];
  }
}

async function readStatistics(
  store: TriageStore,
  key: string,
  unchecked: string[],
): Promise<PatternStatistics | undefined> {
  try {
    return await store.readPattern(key);
  } catch (error) {
    unchecked.push(`feedback statistics of ${key}: ${describeFailure(error)}`);
    return undefined;
  }
}
