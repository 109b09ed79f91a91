import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { MetricPoint } from '../contracts/telemetry';
import { scoreAnomaly } from '../investigation/anomaly-scoring';
import { symptomSeriesFor } from '../investigation/symptom';
import {
  defaultSymptomTiming,
  loadDrivenMetrics,
  perUnitOfTraffic,
  type SymptomTiming,
  symptomSustainedAfterMs,
  symptomThreshold,
} from './deviation-rules';
import type { TelemetryReader } from './telemetry-reading';
import type { TrafficModel } from './types';

/** How the alert's own symptom looks at triage time (see {@link SymptomReading.state}). */
export type SymptomState = 'quiet' | 'fresh' | 'sustained';

/** What the trigger's own series shows: whether it is out of its normal range, since when, and how often. */
export interface SymptomReading {
  /** The entity whose series was read (the alert's, or its callers' for an external). */
  entity: EntityRef;
  /** The metric. */
  metric: string;
  /**
   * `quiet`: within its normal range now (or no data); `fresh`: out of it for less than
   * {@link symptomSustainedAfterMs}, too new to tell a blip from an incident; `sustained`: out of it for longer.
   */
  state: SymptomState;
  /** Robust z-score of the recent level against the baseline (in the direction of trouble). */
  score: number;
  /** The recent level over the baseline's (2 = twice the usual). */
  ratio: number;
  /** How long it has been out of its normal range, milliseconds (0 when quiet). */
  abnormalForMs: number;
  /** Earlier excursions in the lookback that came back to normal (a recurring problem shows them). */
  episodes: number;
}

/**
 * Reads the series of the primary alert's symptom ({@link symptomSeriesFor}: latency, errors, memory, depth…)
 * and says whether it is out of its normal range, for how long, and how many earlier excursions in the
 * lookback came back. The baseline (median and MAD) is the two lookbacks before the lookback, so a shift that
 * began an hour or two ago still shows; with less history, the first half of what there is. Several series (one
 * per command, or per caller of an external) are summed up by the one that deviates most. A series that
 * scales with traffic ({@link loadDrivenMetrics}) is read per unit of traffic when a traffic model is known.
 * Missing data reads as quiet.
 *
 * @param alert - the primary alert
 * @param reader - where series come from
 * @param window - the lookback
 * @param trafficOf - the traffic model that drives an entity, if known
 * @param timing - how long is sustained, and the recent stretch (default {@link defaultSymptomTiming})
 */
export async function readSymptom(
  alert: Signal,
  reader: TelemetryReader,
  window: { start: number; end: number },
  trafficOf: (entity: EntityRef) => TrafficModel | undefined = () => undefined,
  timing: SymptomTiming = defaultSymptomTiming,
): Promise<SymptomReading | undefined> {
  const symptom = symptomSeriesFor(alert);
  const span = window.end - window.start;
  const series = await reader.series({
    metric: symptom.metric,
    ...(symptom.on === 'self'
      ? { entity: alert.entity, labels: symptom.labels }
      : { labels: { ...symptom.labels, peer: alert.entity } }),
    start: window.end - baselineLookbacks * span - span,
    end: window.end,
  });
  let best: SymptomReading | undefined;
  for (const one of series) {
    const traffic = loadDrivenMetrics.has(symptom.metric) ? trafficOf(one.entity) : undefined;
    const points = traffic ? perUnitOfTraffic(one.points, traffic) : one.points;
    const reading = readOne(points, window, symptom.direction, symptom.aggregate ?? 'median', timing);
    if (!reading) continue;
    const candidate: SymptomReading = { entity: one.entity, metric: symptom.metric, ...reading };
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best;
}

/** How many lookbacks of history before the lookback the baseline spans. */
const baselineLookbacks = 2;

function readOne(
  points: readonly MetricPoint[],
  window: { start: number; end: number },
  direction: 'up' | 'down',
  aggregate: 'median' | 'peak',
  timing: SymptomTiming,
): Omit<SymptomReading, 'entity' | 'metric'> | undefined {
  const older = points.filter(([at, value]) => at < window.start && value !== null).length;
  const first = points.find(([, value]) => value !== null)?.[0] ?? window.start;
  const baselineEnd = older >= 6 ? window.start : first + (window.end - first) / 2;
  const anomaly = scoreAnomaly(points, {
    baselineEnd,
    recentStart: window.end - timing.recentMs,
    recentAggregate: aggregate,
    threshold: symptomThreshold,
    direction,
  });
  if (!anomaly) return undefined;
  const sign = direction === 'up' ? 1 : -1;
  const score = sign * anomaly.score;
  const ratio = anomaly.baseline === 0 ? 1 : anomaly.recent / anomaly.baseline;
  const beyond = (value: number) => (sign * (value - anomaly.baseline)) / anomaly.scale >= symptomThreshold;
  // The current excursion starts at the change point, or with the recent run of points beyond the threshold
  // (a burst whose last point is back inside has no change point).
  let onset = anomaly.onset;
  if (score >= symptomThreshold && onset === undefined) {
    for (let index = points.length - 1; index >= 0; index--) {
      const [at, value] = points[index] as MetricPoint;
      if (at < window.end - timing.recentMs) break;
      if (value !== null && beyond(value)) onset = at;
    }
  }
  const episodes = countEpisodes(
    points.filter(([at]) => at >= window.start),
    beyond,
    onset ?? window.end,
  );
  if (score < symptomThreshold || onset === undefined)
    return { state: 'quiet', score, ratio, abnormalForMs: 0, episodes };
  const abnormalForMs = window.end - onset;
  return {
    state: abnormalForMs >= timing.sustainedAfterMs ? 'sustained' : 'fresh',
    score,
    ratio,
    abnormalForMs,
    episodes,
  };
}

/** Runs of at least two points beyond the threshold that came back inside, before `before`. */
function countEpisodes(
  points: readonly MetricPoint[],
  beyond: (value: number) => boolean,
  before: number,
): number {
  let episodes = 0;
  let run = 0;
  for (const [at, value] of points) {
    if (at >= before) break;
    if (value === null || !Number.isFinite(value)) continue;
    if (beyond(value)) run++;
    else {
      if (run >= 2) episodes++;
      run = 0;
    }
  }
  return episodes;
}
