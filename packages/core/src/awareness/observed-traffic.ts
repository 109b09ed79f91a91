import type { EntityRef } from '../contracts/entity-ref';
import type { SystemMap } from '../investigation/system-map';
import { combine } from './saturation-forecast';
import type { TelemetryReader } from './telemetry-reading';
import type { TrafficModel } from './types';

const minute = 60_000;

/**
 * The entry points of a system: services nothing else depends on or consumes from, where outside traffic
 * arrives. Sorted, so reads are deterministic.
 *
 * @param map - the system map
 */
export function entryServices(map: SystemMap): EntityRef[] {
  return map
    .entities()
    .map((entity) => entity.ref)
    .filter((ref) => ref.startsWith('service:') && map.dependentsOf(ref).length === 0)
    .sort();
}

/**
 * The traffic awareness sees when nobody gave it a traffic model: the request rate of the entry services
 * (`http_server_requests_total`, every status, summed) over the lookback, smoothed over 5 minutes, as a
 * multiplier of its lowest level. Past the last point it stays at the current level: with no model of the
 * traffic to come, a forecast assumes it does not change, so a series that merely follows today's ramp is
 * not projected past the traffic it has seen. Undefined without entry services or request rates.
 *
 * @param map - the system map
 * @param reader - where series come from
 * @param window - the lookback
 */
export async function observedTraffic(
  map: SystemMap,
  reader: TelemetryReader,
  window: { start: number; end: number },
): Promise<TrafficModel | undefined> {
  const entries = entryServices(map);
  if (entries.length === 0) return undefined;
  const series = (
    await Promise.all(
      entries.map((entity) => reader.series({ metric: 'http_server_requests_total', entity, ...window })),
    )
  ).flat();
  const points = combine(series, 'sum');
  if (points.length < 6) return undefined;
  const smoothed = points.map(([at]) => {
    const near = points
      .filter(([other]) => Math.abs(other - at) <= 2.5 * minute)
      .map(([, value]) => value ?? 0);
    near.sort((a, b) => a - b);
    return [at, near[near.length >> 1] as number] as const;
  });
  const lowest = Math.min(...smoothed.map(([, value]) => value));
  if (!(lowest > 0)) return undefined;
  const times = smoothed.map(([at]) => at);
  const levels = smoothed.map(([, value]) => value / lowest);
  return {
    description: 'observed at the entry services, assumed to stay at its current level',
    multiplierAt(epochMs) {
      if (epochMs <= (times[0] as number)) return levels[0] as number;
      if (epochMs >= (times[times.length - 1] as number)) return levels[levels.length - 1] as number;
      let high = times.findIndex((at) => at >= epochMs);
      if (high <= 0) high = 1;
      const low = high - 1;
      const span = (times[high] as number) - (times[low] as number);
      const fraction = span === 0 ? 0 : (epochMs - (times[low] as number)) / span;
      return (levels[low] as number) + ((levels[high] as number) - (levels[low] as number)) * fraction;
    },
  };
}
