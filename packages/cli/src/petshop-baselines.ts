import type { PetShopCase } from '@aisre/connector-replay';

/** A seeded pseudo-random source in [0, 1) (mulberry32), so baselines are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A random ranking of the case's components (Fisher–Yates with the given source).
 *
 * @param petShopCase - the case
 * @param random - the random source
 */
export function randomRanking(petShopCase: PetShopCase, random: () => number): string[] {
  const components = [...petShopCase.components.refOf.keys()].sort();
  for (let index = components.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [components[index], components[other]] = [components[other] as string, components[index] as string];
  }
  return components;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The robust z-score baseline: each component's series of the target metric (latency average, up; or
 * availability, down) is scored at every point after the window's first 40 % and up to the as-of time
 * against that first part (median, 1.4826 × MAD floored at 5 % of the median); components are ranked by
 * their largest score, ties by name. Components without enough data come last.
 *
 * @param petShopCase - the case
 * @param metric - the target metric
 */
export function zScoreRanking(petShopCase: PetShopCase, metric: 'latency' | 'availability'): string[] {
  const wanted = metric === 'latency' ? { quantile: 'avg' } : {};
  const name =
    metric === 'latency' ? 'http_server_request_duration_seconds' : 'http_server_availability_ratio';
  const sign = metric === 'latency' ? 1 : -1;
  const scores = new Map<string, number>();
  for (const series of petShopCase.recording.series) {
    if (series.metric !== name || Object.entries(wanted).some(([key, value]) => series.labels[key] !== value))
      continue;
    const component = petShopCase.components.componentOf.get(series.entity);
    const points = series.points.filter(([at]) => at <= petShopCase.asOf);
    const first = points[0]?.[0];
    if (!component || first === undefined) continue;
    const split = first + (petShopCase.asOf - first) * 0.4;
    const baseline = points
      .filter(([at, value]) => at < split && value !== null)
      .map(([, value]) => value as number);
    const later = points
      .filter(([at, value]) => at >= split && value !== null)
      .map(([, value]) => value as number);
    if (baseline.length === 0 || later.length === 0) continue;
    const centre = median(baseline);
    const scale = Math.max(
      1.4826 * median(baseline.map((value) => Math.abs(value - centre))),
      Math.abs(centre) * 0.05,
      1e-9,
    );
    scores.set(component, Math.max(...later.map((value) => (sign * (value - centre)) / scale)));
  }
  return [...petShopCase.components.refOf.keys()].sort(
    (a, b) =>
      (scores.get(b) ?? Number.NEGATIVE_INFINITY) - (scores.get(a) ?? Number.NEGATIVE_INFINITY) ||
      (a < b ? -1 : 1),
  );
}
