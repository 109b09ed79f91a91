import type { JsonValue, Severity } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { FailurePattern } from '../investigation/failure-patterns';
import type { PastIncident } from '../investigation/hypothesis-generators';
import type { SystemMap } from '../investigation/system-map';
import type { CorroborationFinding } from './corroboration';
import type { SymptomReading } from './symptom-reading';
import type { SystemProximity } from './system-proximity';
import { round } from './triage-thresholds';
import type { Forecast, TriageReason } from './types';

/** The weights of the triage score's factors (see {@link triageWeights}). */
export interface TriageWeights {
  /** By the situation's severity. */
  severity: Readonly<Record<Severity, number>>;
  /** By the best business tier among the entity and what depends on it; `unknown` when none has a tier. */
  tier: Readonly<Record<1 | 2 | 3 | 'unknown', number>>;
  /** Per entity that depends on it, transitively. */
  dependent: number;
  /** The most dependents add. */
  dependentsMaximum: number;
  /** Per decade of requests per second reaching it: `trafficPerDecade × log10(1 + rps)`. */
  trafficPerDecade: number;
  /** The most traffic adds. */
  trafficMaximum: number;
  /**
   * The share of the criticality weight that counts when nothing shows trouble (the alert's series in its
   * normal range, nothing around it rising, no forecast): what is at stake matters in full once something is
   * wrong.
   */
  criticalityUnconfirmed: number;
  /** `[hours, weight]`: the weight of a forecast breach within so many hours, first match wins. */
  forecastWithin: readonly (readonly [number, number])[];
  /** A resource at 90 % or more of its limit with no breach in the horizon. */
  nearLimit: number;
  /**
   * A resource at its limit now: no longer a forecast but a present state, whose impact the alert and its
   * neighbours show; real trouble, not by itself a reason to wake someone.
   */
  atLimit: number;
  /** What a forecast breach of a `restart` resource weighs, relative to an `outage` one. */
  restartBreachFactor: number;
  /** The alert's own series has been out of its normal range for 5 minutes or more. */
  symptomSustained: number;
  /** The alert's own series had earlier excursions in the lookback that came back (it keeps happening). */
  symptomRecurring: number;
  /** A symptom that is not sustained, on an entity being rolled out right now (negative). */
  rollout: number;
  /** Per corroborating trend or related alert. */
  corroboration: number;
  /** The most corroboration adds. */
  corroborationMaximum: number;
  /** A change on the entity itself in the lookback. */
  changeOnEntity: number;
  /** A change on a neighbour in the lookback. */
  changeNearby: number;
  /** The most changes add. */
  changeMaximum: number;
  /** Per known failure pattern the rising series match. */
  failurePattern: number;
  /** The most failure patterns add. */
  failurePatternMaximum: number;
  /** A past incident on the entity itself. */
  incidentOnEntity: number;
  /** A past incident on a neighbour. */
  incidentNearby: number;
  /** The most past incidents add. */
  incidentMaximum: number;
  /** Per flap back to firing, from the second. */
  flap: number;
  /** The most flapping takes away. */
  flappingMinimum: number;
  /** Every alert of the situation has resolved on its own. */
  resolved: number;
}

/**
 * The weights of the triage score's factors (documented in docs/awareness.md). Every reason's weight is
 * computed from these; the score is the sum of the reasons' weights, clamped to 0..1.
 */
export const triageWeights: Readonly<TriageWeights> = Object.freeze({
  severity: Object.freeze({ P1: 0.45, P2: 0.35, P3: 0.2, P4: 0.1, P5: 0.05 }),
  tier: Object.freeze({ 1: 0.12, 2: 0.06, 3: 0.02, unknown: 0.04 }),
  dependent: 0.02,
  dependentsMaximum: 0.08,
  trafficPerDecade: 0.02,
  trafficMaximum: 0.06,
  criticalityUnconfirmed: 0.5,
  forecastWithin: Object.freeze([
    [1, 0.45],
    [3, 0.38],
    [8, 0.3],
    [24, 0.15],
  ] as const),
  nearLimit: 0.1,
  atLimit: 0.15,
  restartBreachFactor: 0.5,
  symptomSustained: 0.12,
  symptomRecurring: 0.05,
  rollout: -0.15,
  corroboration: 0.07,
  corroborationMaximum: 0.25,
  changeOnEntity: 0.1,
  changeNearby: 0.05,
  changeMaximum: 0.15,
  failurePattern: 0.08,
  failurePatternMaximum: 0.12,
  incidentOnEntity: 0.1,
  incidentNearby: 0.05,
  incidentMaximum: 0.15,
  flap: -0.1,
  flappingMinimum: -0.3,
  resolved: -0.1,
});

const hour = 3_600_000;
const list = (items: readonly string[], most = 3) =>
  items.length <= most
    ? items.join('; ')
    : `${items.slice(0, most).join('; ')}; and ${items.length - most} more`;

/** The severity reason. */
export function severityReason(severity: Severity): TriageReason {
  return { factor: 'severity', weight: triageWeights.severity[severity], detail: `severity ${severity}` };
}

/**
 * The criticality reason: the most critical of the entities, by the best tier (1–3) among each entity and
 * everything that depends on it, how many depend on it, and the traffic (`rps`) reaching it. What is at
 * stake counts in full when something shows trouble (`trouble`: the alert's own symptom out of its normal
 * range, a corroborating rise, a forecast), and by {@link TriageWeights.criticalityUnconfirmed} otherwise.
 *
 * @param entities - the situation's entities
 * @param map - the system map
 * @param proximity - distances in it
 * @param trouble - whether something shows trouble
 */
export function criticalityReason(
  entities: readonly EntityRef[],
  map: SystemMap,
  proximity: SystemProximity,
  trouble = true,
): TriageReason | undefined {
  let best: TriageReason | undefined;
  for (const entity of entities) {
    const upstream = proximity.upstreamOf(entity);
    const chain = [entity, ...upstream];
    let tier: { value: number; via: EntityRef } | undefined;
    let rps: { value: number; via: EntityRef } | undefined;
    for (const ref of chain) {
      const attributes = map.entity(ref)?.attributes ?? {};
      const tierValue = numberOf(attributes.tier);
      if (tierValue !== undefined && tierValue >= 1 && tierValue <= 3 && (!tier || tierValue < tier.value))
        tier = { value: Math.round(tierValue), via: ref };
      const rpsValue = numberOf(attributes.rps);
      if (rpsValue !== undefined && rpsValue > 0 && (!rps || rpsValue > rps.value))
        rps = { value: rpsValue, via: ref };
    }
    const tierWeight = tier ? triageWeights.tier[tier.value as 1 | 2 | 3] : triageWeights.tier.unknown;
    const dependentsWeight = Math.min(
      triageWeights.dependentsMaximum,
      triageWeights.dependent * upstream.length,
    );
    const trafficWeight = rps
      ? Math.min(triageWeights.trafficMaximum, triageWeights.trafficPerDecade * Math.log10(1 + rps.value))
      : 0;
    const via = (ref: EntityRef) => (ref === entity ? '' : ` via ${ref}`);
    const parts = [
      tier ? `tier ${tier.value}${via(tier.via)}` : 'tier unknown',
      `${upstream.length} dependent${upstream.length === 1 ? '' : 's'}`,
      ...(rps ? [`${rps.value} rps${via(rps.via)}`] : []),
    ];
    const share = trouble ? 1 : triageWeights.criticalityUnconfirmed;
    const reason: TriageReason = {
      factor: 'criticality',
      weight: round((tierWeight + dependentsWeight + trafficWeight) * share),
      detail: `${entity}: ${parts.join(', ')}${trouble ? '' : `; counted at ${Math.round(share * 100)} %: nothing shows trouble`}`,
    };
    if (!best || reason.weight > best.weight) best = reason;
  }
  return best;
}

/**
 * A resource at this share of its limit or more is at it: refusing work, evicting, about to be killed. A
 * forecast there no longer predicts; it describes the present.
 */
export const atLimitShare = 0.95;

/** True when a forecast's resource is at its limit now (see {@link atLimitShare}). */
export function atLimit(forecast: Forecast): boolean {
  return forecast.hoursToLimit === 0 || forecast.utilisation >= atLimitShare;
}

/** The forecast reason, from the most urgent forecast. */
export function forecastReason(forecast: Forecast | undefined): TriageReason | undefined {
  if (!forecast) return undefined;
  const percent = `${Math.round(forecast.utilisation * 100)}%`;
  const what = `${forecast.entity} ${forecast.resource} at ${percent} of its limit`;
  if (forecast.hoursToLimit === undefined) {
    if (forecast.utilisation < 0.9) return undefined;
    return {
      factor: 'forecast',
      weight: triageWeights.nearLimit,
      detail: `${what}, not projected to reach it`,
    };
  }
  if (atLimit(forecast))
    return {
      factor: 'forecast',
      weight: triageWeights.atLimit,
      detail: `${what}: at the limit now, so no longer a forecast: its impact is what the alert and its neighbours show`,
    };
  const table = triageWeights.forecastWithin.find(
    ([hours]) => (forecast.hoursToLimit as number) <= hours,
  )?.[1];
  if (table === undefined) return undefined;
  const restart = forecast.breach === 'restart';
  const weight = round(restart ? table * triageWeights.restartBreachFactor : table);
  const when = clockTime(Date.parse(forecast.breachAt as string));
  const rate = `growing ${formatQuantity(forecast.growthPerHour, forecast.metric.endsWith('_bytes'))}/h now`;
  const traffic =
    forecast.model === 'traffic' &&
    forecast.trafficNow !== undefined &&
    forecast.trafficAtBreach !== undefined
      ? `; traffic (${forecast.traffic ?? 'modelled'}) goes from ×${forecast.trafficNow} now to ×${forecast.trafficAtBreach} then`
      : '';
  const naive =
    forecast.model === 'traffic' && forecast.naiveHoursToLimit !== forecast.hoursToLimit
      ? `; at the current rate, ignoring traffic, it would take ${forecast.naiveHoursToLimit === undefined ? 'longer than the horizon' : `${forecast.naiveHoursToLimit} h`}`
      : '';
  const consequence = restart
    ? '; there its pods are killed and restarted one at a time, which the platform recovers from'
    : '';
  return {
    factor: 'forecast',
    weight,
    detail: `${what}, ${rate}: reaches the limit at ${when} (in ${forecast.hoursToLimit} h)${traffic}${naive}${consequence}`,
  };
}

/**
 * A forecast breach of an `outage` resource within this many hours is urgent: someone must act before the
 * owning team's next working day, so a P3–P5 situation may be escalated (see docs/awareness.md).
 */
export const urgentWithinHours = 8;

/**
 * True when a forecast says someone must act soon: a future breach of an `outage` resource within `hours`.
 * A resource already at its limit is not a forecast any more, and a `restart` breach recovers by itself.
 *
 * @param forecast - the most urgent forecast
 * @param hours - how soon counts as soon
 */
export function urgentForecast(forecast: Forecast | undefined, hours: number): boolean {
  return (
    forecast !== undefined &&
    forecast.breach === 'outage' &&
    !atLimit(forecast) &&
    forecast.hoursToLimit !== undefined &&
    forecast.hoursToLimit <= hours
  );
}

/**
 * The symptom reason: what the alert's own series shows. Sustained: it is real (its weight); recurring: it
 * keeps happening (more weight); fresh or quiet: nothing either way (weight 0, said so).
 *
 * @param reading - the reading of the alert's symptom, if there was data
 */
export function symptomReason(reading: SymptomReading | undefined): TriageReason | undefined {
  if (!reading) return undefined;
  const seconds = Math.max(1, Math.round(reading.abnormalForMs / 1000));
  const lasted = seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  const level = `${reading.metric} of ${reading.entity} at ×${Number(reading.ratio.toPrecision(2))} its usual level`;
  const recurring = reading.episodes > 0;
  const again = recurring
    ? `; ${reading.episodes} earlier excursion${reading.episodes === 1 ? '' : 's'} in the lookback came back: it keeps happening`
    : '';
  const base = reading.state === 'sustained' ? triageWeights.symptomSustained : 0;
  const weight = round(base + (recurring ? triageWeights.symptomRecurring : 0));
  const state =
    reading.state === 'sustained'
      ? `${level} for ${lasted}`
      : reading.state === 'fresh'
        ? `${level} for only ${lasted}: too new to tell a blip from an incident`
        : `${reading.metric} of ${reading.entity} within its normal range`;
  return { factor: 'symptom', weight, detail: `${state}${again}` };
}

/** A symptom this new on an entity rolled out this recently is the rollout's own bump. */
export const rolloutWindowMs = 5 * 60_000;

/**
 * The rollout reason: the alert's entity is being rolled out (a deploy or rollback of it started within
 * {@link rolloutWindowMs}) and its symptom is not sustained — rolling updates bump latency, errors and lag
 * for a few minutes, so the alert is most likely the rollout's own; look again once it has finished.
 *
 * @param entity - the alert's entity
 * @param changes - the changes near the situation
 * @param reading - the alert's symptom
 * @param now - now, epoch ms
 */
export function rolloutReason(
  entity: EntityRef,
  changes: readonly NearbyChange[],
  reading: SymptomReading | undefined,
  now: number,
): TriageReason | undefined {
  if (reading?.state === 'sustained') return undefined;
  const rollout = changes.find(
    (change) =>
      change.entity === entity &&
      (change.kind === 'deploy' || change.kind === 'rollback') &&
      now - change.at <= rolloutWindowMs,
  );
  if (!rollout) return undefined;
  return {
    factor: 'rollout',
    weight: triageWeights.rollout,
    detail: `${entity} is being rolled out (${rollout.kind} ${Math.round((now - rollout.at) / 60_000)} min ago: ${rollout.summary}) and the symptom is not sustained: rolling updates bump latency and errors for a few minutes; look again after it`,
  };
}

/** The corroboration reason: sustained trends nearby and other alerts in the situation. */
export function corroborationReason(
  findings: readonly CorroborationFinding[],
  relatedAlerts: readonly Signal[],
): TriageReason | undefined {
  const items = [
    ...findings.map(
      (finding) =>
        `${finding.entity} ${finding.title}${finding.labels.peer ? ` to ${finding.labels.peer}` : ''} (${finding.metric}) +${Math.round(finding.relativeRise * 100)}% ${finding.how === 'shift' ? 'since it stepped up' : 'over the last hour'}`,
    ),
    ...relatedAlerts.map((alert) => `alert ${alert.labels.alertname ?? alert.summary} on ${alert.entity}`),
  ];
  if (items.length === 0) return undefined;
  return {
    factor: 'corroboration',
    weight: round(Math.min(triageWeights.corroborationMaximum, triageWeights.corroboration * items.length)),
    detail: list(items, 4),
  };
}

/** A change near a situation. */
export interface NearbyChange {
  /** Change id. */
  id: string;
  /** Where. */
  entity: EntityRef;
  /** What kind. */
  kind: string;
  /** When, epoch ms. */
  at: number;
  /** In words. */
  summary: string;
  /** Hops from the situation. */
  hops: number;
}

/**
 * The change-proximity reason. A change is a suspect for trouble, not trouble: it counts only when something
 * besides the alert shows trouble (the symptom sustained, a corroborating rise, a forecast) and no rollout
 * accounts for the alert; otherwise it is listed with weight 0 and why.
 *
 * @param changes - the changes near the situation
 * @param now - now, epoch ms
 * @param uncounted - why the changes do not count (nothing besides the alert shows trouble, a rollout
 *   accounts for the alert); absent: they count
 */
export function changeReason(
  changes: readonly NearbyChange[],
  now: number,
  uncounted?: string,
): TriageReason | undefined {
  const trouble = uncounted === undefined;
  if (changes.length === 0) return undefined;
  const total = changes.reduce(
    (sum, change) => sum + (change.hops === 0 ? triageWeights.changeOnEntity : triageWeights.changeNearby),
    0,
  );
  const counted = trouble ? '' : ` — not counted: ${uncounted}`;
  return {
    factor: 'change-proximity',
    weight: trouble ? round(Math.min(triageWeights.changeMaximum, total)) : 0,
    detail: `${list(
      changes.map(
        (change) =>
          `${change.kind} of ${change.entity} ${Math.round((now - change.at) / 60_000)} min ago (${change.summary})`,
      ),
    )}${counted}`,
  };
}

/** The failure-pattern reason: known patterns whose signature metrics are rising on the situation's entities. */
export function failurePatternReason(
  entities: readonly EntityRef[],
  patterns: readonly FailurePattern[],
  rising: ReadonlySet<string>,
): TriageReason | undefined {
  const matches: string[] = [];
  for (const entity of entities) {
    const kind = entity.slice(0, entity.indexOf(':'));
    for (const pattern of patterns) {
      if (!pattern.entityKinds.includes(kind)) continue;
      const signs = pattern.metrics.filter(
        (signature) =>
          signature.expect === 'present' &&
          signature.direction === 'up' &&
          signature.on === 'self' &&
          (!signature.kinds || signature.kinds.includes(kind)) &&
          rising.has(`${entity} ${signature.metric}`),
      );
      if (signs.length > 0)
        matches.push(
          `${entity} looks like the start of ${pattern.title} (${signs.map((sign) => sign.metric).join(', ')} rising)`,
        );
    }
  }
  if (matches.length === 0) return undefined;
  return {
    factor: 'failure-pattern',
    weight: round(
      Math.min(triageWeights.failurePatternMaximum, triageWeights.failurePattern * matches.length),
    ),
    detail: list(matches),
  };
}

/** The past-incident reason: incidents in the last 90 days on the entities or nearby. */
export function pastIncidentReason(
  incidents: readonly PastIncident[],
  neighbourhood: ReadonlyMap<EntityRef, number>,
  now: number,
): TriageReason | undefined {
  const relevant = incidents
    .filter(
      (incident) =>
        neighbourhood.has(incident.entity) && incident.at <= now && now - incident.at <= 90 * 24 * hour,
    )
    .sort((a, b) => b.at - a.at);
  if (relevant.length === 0) return undefined;
  const total = relevant.reduce(
    (sum, incident) =>
      sum +
      (neighbourhood.get(incident.entity) === 0
        ? triageWeights.incidentOnEntity
        : triageWeights.incidentNearby),
    0,
  );
  return {
    factor: 'past-incident',
    weight: round(Math.min(triageWeights.incidentMaximum, total)),
    detail: list(
      relevant.map(
        (incident) =>
          `${incident.fault} on ${incident.entity} ${Math.max(1, Math.round((now - incident.at) / (24 * hour)))} days ago`,
      ),
    ),
  };
}

/** The flapping reason: alerts that keep resolving and firing again. */
export function flappingReason(flaps: number): TriageReason | undefined {
  if (flaps < 2) return undefined;
  return {
    factor: 'flapping',
    weight: round(Math.max(triageWeights.flappingMinimum, triageWeights.flap * flaps)),
    detail: `its alerts went from resolved back to firing ${flaps} times`,
  };
}

/** The resolved reason. */
export function resolvedReason(status: 'open' | 'resolved'): TriageReason | undefined {
  return status === 'resolved'
    ? { factor: 'resolved', weight: triageWeights.resolved, detail: 'every alert in it has resolved' }
    : undefined;
}

/** `HH:MM UTC` of a time. */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}

/**
 * A number for humans, three significant digits, with a suffix for large values: binary (`1.2Gi`) for
 * bytes, decimal (`1.2k`) otherwise.
 */
export function formatQuantity(value: number, bytes = false): string {
  const magnitude = Math.abs(value);
  const units: [number, string][] = bytes
    ? [
        [1024 ** 3, 'Gi'],
        [1024 ** 2, 'Mi'],
        [1024, 'Ki'],
      ]
    : [
        [1e9, 'G'],
        [1e6, 'M'],
        [1e3, 'k'],
      ];
  for (const [size, suffix] of units)
    if (magnitude >= size) return `${Number((value / size).toPrecision(3))}${suffix}`;
  return String(Number(value.toPrecision(3)));
}

function numberOf(value: JsonValue | undefined): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
