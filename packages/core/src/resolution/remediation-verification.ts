import type { Clock, Labels, Logger, TimeWindow } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Report } from '../contracts/report';
import { type MetricSeries, metricSeriesSchema } from '../contracts/telemetry';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { scoreAnomaly } from '../investigation/anomaly-scoring';
import { symptomSeriesFor } from '../investigation/symptom';
import { silentLogger } from '../runtime/call-context';

/** Options of {@link verifyRemediation}. */
export interface VerifyRemediationOptions {
  /** The connectors; the first with a metrics capability is read. */
  connectors: readonly Connector[];
  /** The report whose trigger's symptom is watched. */
  report: Report;
  /** When the change was applied, epoch ms. */
  appliedAt: number;
  /** How long after the change to watch, milliseconds; the same span before it is the comparison. */
  windowMs: number;
  /** The clock; its `now()` is the time verified as of unless `now` is given (for the mock connector: the connector). */
  clock: Clock;
  /** The time to verify as of, epoch ms (the host controls time: advance the mock connector first, then pass it). */
  now?: number;
  /** How many robust deviations make a move (default 3). */
  threshold?: number;
  /** Cancels the metric read. */
  signal?: AbortSignal;
  /** Passed to the metrics capability. */
  logger?: Logger;
}

/** How the symptom moved after a change. `inconclusive`: there was nothing to compare. */
export type VerificationOutcome = 'improved' | 'unchanged' | 'worse' | 'inconclusive';

/** How one series of the symptom moved. */
export interface SeriesVerification {
  /** The entity of the series (for a caller-side symptom: the caller). */
  entity: EntityRef;
  /** Its labels. */
  labels: Labels;
  /** Its unit. */
  unit: string;
  /** Median level in the window before the change. */
  before: number;
  /** Median level in the second half of the window after it. */
  after: number;
  /** Robust z-score of `after` against `before` (positive: higher). */
  z: number;
  /** Relative change, `after / before − 1` (`null` when `before` is 0). */
  change: number | null;
  /** How it moved, judged in the direction of trouble. */
  outcome: Exclude<VerificationOutcome, 'inconclusive'>;
}

/** What the symptom did after a change, with the numbers, worded without claiming causation. */
export interface VerificationResult {
  /** The id of the report whose symptom was watched. */
  reportId: string;
  /** How the symptom moved. */
  outcome: VerificationOutcome;
  /** One or two sentences for humans; never claims the change caused the move. */
  summary: string;
  /** The symptom metric. */
  metric: string;
  /** The trigger entity. */
  entity: EntityRef;
  /** Read on the entity itself or on its callers. */
  on: 'self' | 'callers';
  /** The direction of trouble. */
  direction: 'up' | 'down';
  /** When the change was applied, epoch ms. */
  appliedAt: number;
  /** The comparison window before the change. */
  before: TimeWindow;
  /** The window watched after the change (up to the time verified as of). */
  after: TimeWindow;
  /** False when the time verified as of is before the end of the window: the result may still change. */
  complete: boolean;
  /** Every series read. */
  series: SeriesVerification[];
}

const round = (value: number) => (Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4)));

function judge(trouble: number, threshold: number): SeriesVerification['outcome'] {
  if (trouble <= -threshold) return 'improved';
  if (trouble >= threshold) return 'worse';
  return 'unchanged';
}

function overall(series: readonly SeriesVerification[]): VerificationOutcome {
  if (series.length === 0) return 'inconclusive';
  if (series.some((one) => one.outcome === 'worse')) return 'worse';
  const improved = series.filter((one) => one.outcome === 'improved').length;
  return improved * 2 > series.length ? 'improved' : 'unchanged';
}

function describe(reading: SeriesVerification | undefined, metric: string): string {
  if (!reading) return '';
  return `${metric} of ${reading.entity} went from ${round(reading.before)} to ${round(reading.after)} ${reading.unit} (robust z ${round(reading.z)})`;
}

function wording(result: Omit<VerificationResult, 'summary'>, threshold: number): string {
  const leading = [...result.series]
    .filter((one) => one.outcome === result.outcome || result.outcome === 'unchanged')
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))[0];
  const numbers = describe(leading, result.metric);
  const partial = result.complete
    ? ''
    : ` Only ${Math.round((result.after.end - result.after.start) / 60_000)} of the ${Math.round((result.before.end - result.before.start) / 60_000)} minutes of the window have passed.`;
  switch (result.outcome) {
    case 'improved':
      return `The symptom improved after the change: ${numbers}. This does not show the change caused it.${partial}`;
    case 'worse':
      return `The symptom got worse after the change: ${numbers}. This does not show the change caused it; consider the rollback plan.${partial}`;
    case 'unchanged':
      return `The symptom did not move beyond ${threshold} robust deviations after the change: ${numbers}. This does not show whether the change had an effect.${partial}`;
    default:
      return `Nothing to compare: ${numbers}`;
  }
}

/**
 * Watches the symptom that started the investigation (the trigger's symptom series, {@link symptomSeriesFor})
 * for a window after a change and says whether it improved, stayed or got worse, with the numbers: the median
 * of the second half of the window after the change is scored robustly ({@link scoreAnomaly}) against the
 * same span before it. The wording never claims the change caused the move.
 *
 * Never rejects for a connector failure: the result is `inconclusive` and says why.
 *
 * @param options - connectors, report, when the change was applied, the window, the clock or `now`
 * @throws {@link InvalidInputError} when `appliedAt` or `windowMs` is not a usable number.
 */
export async function verifyRemediation(options: VerifyRemediationOptions): Promise<VerificationResult> {
  const { report, appliedAt, windowMs } = options;
  if (!Number.isFinite(appliedAt) || !Number.isFinite(windowMs) || windowMs <= 0) {
    throw new InvalidInputError('core: verifyRemediation needs a finite appliedAt and a positive windowMs', {
      issues: [
        { path: [Number.isFinite(appliedAt) ? 'windowMs' : 'appliedAt'], message: 'not a usable number' },
      ],
    });
  }
  const threshold = options.threshold ?? 3;
  const now = options.now ?? options.clock.now();
  const symptom = symptomSeriesFor(report.trigger);
  const afterEnd = Math.min(now, appliedAt + windowMs);
  const base: Omit<VerificationResult, 'summary' | 'outcome'> = {
    reportId: report.id,
    metric: symptom.metric,
    entity: report.trigger.entity,
    on: symptom.on,
    direction: symptom.direction,
    appliedAt,
    before: { start: appliedAt - windowMs, end: appliedAt },
    after: { start: appliedAt, end: Math.max(appliedAt, afterEnd) },
    complete: now >= appliedAt + windowMs,
    series: [],
  };
  const inconclusive = (why: string): VerificationResult => ({
    ...base,
    outcome: 'inconclusive',
    summary: `Could not tell how the symptom moved after the change: ${why}.`,
  });
  if (afterEnd <= appliedAt) return inconclusive('no time has passed since the change');
  const connector = options.connectors.find((candidate) => candidate.capabilities.metrics);
  const metrics = connector?.capabilities.metrics;
  if (!connector || !metrics) return inconclusive('no connector has the metrics capability');
  const labels =
    symptom.on === 'callers' ? { ...symptom.labels, peer: report.trigger.entity } : symptom.labels;
  let series: MetricSeries[];
  try {
    series = parseWith(
      metricSeriesSchema.array(),
      await metrics.range(
        {
          metric: symptom.metric,
          ...(symptom.on === 'self' ? { entity: report.trigger.entity } : {}),
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
          start: appliedAt - windowMs,
          end: afterEnd,
        },
        {
          signal: options.signal ?? new AbortController().signal,
          logger: options.logger ?? silentLogger,
          clock: options.clock,
        },
      ),
      `core: ${connector.name} metrics`,
    ) as MetricSeries[];
  } catch (error) {
    return inconclusive(
      `reading ${symptom.metric} failed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const settled = appliedAt + (afterEnd - appliedAt) / 2;
  const readings: SeriesVerification[] = [];
  for (const one of series) {
    const score = scoreAnomaly(
      one.points.filter(([at]) => at >= appliedAt - windowMs && at <= afterEnd),
      { baselineEnd: appliedAt, recentStart: settled, relativeFloor: 0.05, absoluteFloor: 1e-9 },
    );
    if (!score) continue;
    const trouble = symptom.direction === 'up' ? score.score : -score.score;
    readings.push({
      entity: one.entity,
      labels: one.labels,
      unit: one.unit,
      before: score.baseline,
      after: score.recent,
      z: score.score,
      change: score.baseline === 0 ? null : score.recent / score.baseline - 1,
      outcome: judge(trouble, threshold),
    });
  }
  if (readings.length === 0)
    return inconclusive(`${symptom.metric} has too few points before or after the change`);
  const result = { ...base, series: readings, outcome: overall(readings) };
  return { ...result, summary: wording(result, threshold) };
}
