import type { EntityRef } from '../contracts/entity-ref';
import type { MetricPoint, MetricSeries } from '../contracts/telemetry';
import type { SystemMap } from '../investigation/system-map';
import { projectSaturation } from './saturation-projection';
import type { SystemProximity } from './system-proximity';
import type { TelemetryReader } from './telemetry-reading';
import { trafficModelFor } from './traffic-model';
import type { Forecast, ForecastBreach, SaturationResource, TrafficModel } from './types';

const hour = 3_600_000;

/** What forecasting one entity needs. */
export interface ForecastInputs {
  /** The system map (limits and traffic attributes). */
  map: SystemMap;
  /** Distances in it (to find the traffic upstream). */
  proximity: SystemProximity;
  /** Where series come from. */
  reader: TelemetryReader;
  /** The catalogue. */
  resources: readonly SaturationResource[];
  /** Now, epoch ms. */
  now: number;
  /** How far back to fit, ms. */
  lookbackMs: number;
  /** How far ahead to look, ms. */
  horizonMs: number;
  /** The host's traffic model, which wins over topology attributes. */
  trafficModel?: TrafficModel;
  /** The traffic observed at the entry services, used when neither the host nor the topology gives a model. */
  observedTraffic?: TrafficModel;
}

/**
 * Forecasts every catalogued resource of an entity that has a used series and a known limit.
 *
 * @param entity - the entity
 * @param inputs - map, reader, catalogue, times, traffic model
 */
export async function forecastEntity(entity: EntityRef, inputs: ForecastInputs): Promise<Forecast[]> {
  const kind = entity.slice(0, entity.indexOf(':'));
  const start = inputs.now - inputs.lookbackMs;
  const resources = inputs.resources.filter((resource) => resource.entityKinds.includes(kind));
  const forecasts = await Promise.all(
    resources.map(async (resource): Promise<Forecast | undefined> => {
      const used = await inputs.reader.series({
        metric: resource.used.metric,
        entity,
        ...(resource.used.labels ? { labels: resource.used.labels } : {}),
        start,
        end: inputs.now,
      });
      const points = combine(used, resource.aggregate);
      if (points.length === 0) return undefined;
      const limit = await limitOf(entity, resource, inputs, start);
      if (limit === undefined || !(limit > 0)) return undefined;
      const traffic = resource.loadDriven
        ? (inputs.trafficModel ??
          trafficModelFor(inputs.map, entity, inputs.proximity.upstreamOf(entity)) ??
          inputs.observedTraffic)
        : undefined;
      const projection = projectSaturation({
        points,
        limit,
        now: inputs.now,
        horizonMs: inputs.horizonMs,
        ...(traffic ? { traffic } : {}),
        ...(resource.load ? { load: resource.load } : {}),
      });
      if (!projection) return undefined;
      const hoursUntil = (at: number | undefined) =>
        at === undefined ? undefined : Math.round(((at - inputs.now) / hour) * 100) / 100;
      const hoursToLimit = hoursUntil(projection.breachAt);
      const naiveHoursToLimit = hoursUntil(projection.naiveBreachAt);
      return {
        entity,
        resource: resource.name,
        metric: resource.used.metric,
        current: projection.current,
        limit,
        utilisation: Math.round((projection.current / limit) * 1000) / 1000,
        breach: breachOf(resource),
        growthPerHour: projection.growthPerHour,
        consistency: Math.round(projection.consistency * 1000) / 1000,
        model: projection.model,
        ...(projection.breachAt === undefined
          ? {}
          : { breachAt: new Date(projection.breachAt).toISOString(), hoursToLimit }),
        ...(naiveHoursToLimit === undefined ? {} : { naiveHoursToLimit }),
        ...(projection.trafficNow === undefined
          ? {}
          : { trafficNow: Math.round(projection.trafficNow * 100) / 100 }),
        ...(projection.trafficAtBreach === undefined
          ? {}
          : { trafficAtBreach: Math.round(projection.trafficAtBreach * 100) / 100 }),
        ...(projection.model === 'traffic' && traffic?.description ? { traffic: traffic.description } : {}),
      };
    }),
  );
  return forecasts.filter((forecast): forecast is Forecast => forecast !== undefined);
}

/**
 * What reaching a resource's limit does: its `breach`, `outage` when it does not say.
 *
 * @param resource - the resource
 */
export function breachOf(resource: Pick<SaturationResource, 'breach'>): ForecastBreach {
  return resource.breach ?? 'outage';
}

/** Most urgent first: the soonest breach, then the highest utilisation. */
export function byUrgency(a: Forecast, b: Forecast): number {
  const soon = (forecast: Forecast) => forecast.hoursToLimit ?? Number.POSITIVE_INFINITY;
  return (
    soon(a) - soon(b) ||
    b.utilisation - a.utilisation ||
    (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.resource < b.resource ? -1 : 1)
  );
}

async function limitOf(
  entity: EntityRef,
  resource: SaturationResource,
  inputs: ForecastInputs,
  start: number,
): Promise<number | undefined> {
  const attributes = inputs.map.entity(entity)?.attributes ?? {};
  for (const { name, scale } of resource.limit.attributes ?? []) {
    const value = attributes[name];
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number) && number > 0) return number * scale;
  }
  if (!resource.limit.metric) return undefined;
  const series = await inputs.reader.series({
    metric: resource.limit.metric,
    entity,
    ...(resource.limit.labels ? { labels: resource.limit.labels } : {}),
    start,
    end: inputs.now,
  });
  const latest = combine(series, 'max').at(-1);
  return latest?.[1] ?? undefined;
}

/** Combines several series of one entity point by point (`sum` or `max`), in time order, nulls skipped. */
export function combine(series: readonly MetricSeries[], aggregate: 'sum' | 'max'): MetricPoint[] {
  const byTime = new Map<number, number>();
  for (const one of series) {
    for (const [at, value] of one.points) {
      if (value === null || !Number.isFinite(value)) continue;
      const previous = byTime.get(at);
      byTime.set(
        at,
        previous === undefined ? value : aggregate === 'sum' ? previous + value : Math.max(previous, value),
      );
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b);
}
