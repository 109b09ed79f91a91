import { createMockConnector, type Scenario } from '@aisre/connector-mock';
import {
  atLimitShare,
  breachOf,
  createCallContext,
  createManualClock,
  defaultSaturationResources,
  type EntityRef,
  type ForecastBreach,
  type Labels,
} from '@aisre/core';

const minute = 60_000;
const hour = 60 * minute;

/** A series an alert rule watches: a metric on the entity itself, or on its callers for an external. */
export interface WatchedSeries {
  /** The metric. */
  metric: string;
  /** Label filter. */
  labels: Labels;
  /** `self`: the entity's series; `callers`: its callers' series with `peer` = the entity. */
  on: 'self' | 'callers';
}

/** An alert rule: fires when the series stays at `ratio` × its baseline (or more) for `forMs`. */
export interface AlertRule {
  /** The series. */
  series: WatchedSeries;
  /** How far above the baseline, as a multiple of it. */
  ratio: number;
  /** How long it must hold, milliseconds (0: a single point). */
  forMs: number;
}

function contextAt(now: number) {
  return createCallContext({ clock: createManualClock(now) });
}

/** The points of a watched series of `entity` between `start` and `end` (the strongest of several: max). */
async function readWatched(
  scenario: Scenario,
  entity: EntityRef,
  series: WatchedSeries,
  start: number,
  end: number,
): Promise<[number, number][]> {
  const connector = createMockConnector(scenario, { now: end });
  const metrics = connector.capabilities.metrics;
  if (!metrics) return [];
  const found = await metrics.range(
    {
      metric: series.metric,
      ...(series.on === 'self'
        ? { entity, labels: series.labels }
        : { labels: { ...series.labels, peer: entity } }),
      start,
      end,
    },
    contextAt(end),
  );
  const byTime = new Map<number, number>();
  for (const one of found) {
    if (series.on === 'self' && one.entity !== entity) continue;
    for (const [at, value] of one.points)
      if (value !== null) byTime.set(at, Math.max(byTime.get(at) ?? Number.NEGATIVE_INFINITY, value));
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b);
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[sorted.length >> 1] as number);
}

/**
 * When an alert rule first fires in `[from, until]`: the first time the series has held at `ratio` × its
 * baseline (the median of the hour before `baselineEnd`) for the rule's duration. Undefined when it never does.
 *
 * @param scenario - the scenario (its telemetry is read as of `until`)
 * @param entity - the entity the rule watches
 * @param rule - the rule
 * @param window - the baseline's end and the search window
 */
export async function firstFiring(
  scenario: Scenario,
  entity: EntityRef,
  rule: AlertRule,
  window: { baselineEnd: number; from: number; until: number },
): Promise<number | undefined> {
  const points = await readWatched(scenario, entity, rule.series, window.baselineEnd - hour, window.until);
  const baseline = medianOf(points.filter(([at]) => at < window.baselineEnd).map(([, value]) => value));
  if (!Number.isFinite(baseline)) return undefined;
  const threshold = Math.max(baseline * rule.ratio, baseline + 1e-6);
  let heldSince: number | undefined;
  for (const [at, value] of points) {
    if (at < window.from) continue;
    if (value >= threshold) heldSince ??= at;
    else heldSince = undefined;
    if (heldSince !== undefined && at - heldSince >= rule.forMs) return at;
  }
  return undefined;
}

/** A limit an entity reaches, by the forecast catalogue's resources. */
export interface LimitReached {
  /** The resource (`redis-memory`, `volume`, …). */
  resource: string;
  /** What reaching it does to this entity. */
  breach: ForecastBreach;
  /** True when it is at its limit already at the trigger. */
  atTrigger: boolean;
  /** When it is first reached after the trigger, epoch ms (absent when it was at the limit already, or never). */
  at?: number;
}

/**
 * Hindsight: which of `entity`'s catalogued resources are at their limit (at {@link atLimitShare} of it or
 * more) at `trigger`, and which reach it in the `aheadMs` that follow — read from the simulation's own future,
 * which no engine ever sees.
 *
 * @param scenario - the scenario
 * @param entity - the entity (a fault's target)
 * @param trigger - the trigger time, epoch ms
 * @param aheadMs - how far to look ahead
 */
export async function limitsReached(
  scenario: Scenario,
  entity: EntityRef,
  trigger: number,
  aheadMs: number,
): Promise<LimitReached[]> {
  const kind = entity.slice(0, entity.indexOf(':'));
  const end = trigger + aheadMs;
  const connector = createMockConnector(scenario, { now: end });
  const metrics = connector.capabilities.metrics;
  const topology = await connector.capabilities.topology?.scan(contextAt(end));
  const attributes = topology?.entities.find((one) => one.ref === entity)?.attributes ?? {};
  if (!metrics) return [];
  const reached: LimitReached[] = [];
  for (const resource of defaultSaturationResources) {
    if (!resource.entityKinds.includes(kind)) continue;
    const read = async (metric: string, labels: Labels | undefined) => {
      const series = await metrics.range(
        { metric, entity, ...(labels ? { labels } : {}), start: trigger - 5 * minute, end },
        contextAt(end),
      );
      const byTime = new Map<number, number>();
      for (const one of series.filter((candidate) => candidate.entity === entity))
        for (const [at, value] of one.points)
          if (value !== null)
            byTime.set(
              at,
              resource.aggregate === 'sum'
                ? (byTime.get(at) ?? 0) + value
                : Math.max(byTime.get(at) ?? 0, value),
            );
      return [...byTime.entries()].sort(([a], [b]) => a - b);
    };
    let limit: number | undefined;
    for (const { name, scale } of resource.limit.attributes ?? []) {
      const value = Number(attributes[name]);
      if (limit === undefined && Number.isFinite(value) && value > 0) limit = value * scale;
    }
    if (limit === undefined && resource.limit.metric)
      limit = (await read(resource.limit.metric, resource.limit.labels)).at(-1)?.[1];
    if (limit === undefined || !(limit > 0)) continue;
    const used = await read(resource.used.metric, resource.used.labels);
    const now = medianOf(
      used.filter(([at]) => at <= trigger && at >= trigger - 2 * minute).map(([, value]) => value),
    );
    const breach = breachOf(resource);
    const full = limit * atLimitShare;
    if (Number.isFinite(now) && now >= full) {
      reached.push({ resource: resource.name, breach, atTrigger: true });
      continue;
    }
    const first = used.find(([at, value]) => at > trigger && value >= full);
    if (first) reached.push({ resource: resource.name, breach, atTrigger: false, at: first[0] });
  }
  return reached;
}
