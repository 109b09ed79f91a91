import type { Clock, Labels } from '../contracts/common';
import type { MetricListQuery, MetricsCapability } from '../contracts/connector';
import { metricListQuerySchema } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { MetricDescriptor, MetricPoint, MetricRangeQuery, MetricSeries } from '../contracts/telemetry';
import { metricRangeQuerySchema } from '../contracts/telemetry';
import type { CallContext } from '../contracts/tool';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { silentLogger, throwIfAborted } from './call-context';

/** One metric's value as a source reports it right now (a field of Redis `INFO`, a count from `pg_stat_activity`). */
export interface MetricReading {
  /** What the value is: name, entity, type, unit, labels, help. */
  descriptor: MetricDescriptor;
  /** The value; `null` when the source has none right now. Counters are the raw, ever-growing total. */
  value: number | null;
}

/** A timer that calls back every so often: `setInterval` by default, injected in tests. */
export interface IntervalTimer {
  /** Calls `callback` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, callback: () => void): () => void;
}

/** Options of {@link createMetricSampler}. */
export interface MetricSamplerOptions {
  /** The module the readings come from, for error messages (`connector-redis`). */
  source: string;
  /** Reads every metric's current value. Throws a `ConnectorError` when the source cannot be read. */
  read(context: CallContext): Promise<MetricReading[]>;
  /** Stamps the readings. */
  clock: Clock;
  /** How long readings are kept, milliseconds (default 6 hours). */
  retentionMs?: number;
  /** A query reads the source again only when the newest reading is older than this, milliseconds (default 1 000). */
  freshnessMs?: number;
  /**
   * For sources that leave out counters still at zero (Redis lists a command in `INFO commandstats` only once it
   * has run): a counter first seen after the first reading counts from 0 at the reading before, so its first
   * increase has a rate. Off by default: a new series has no rate until its second reading.
   */
  absentCountersAreZero?: boolean;
}

/** Options of {@link MetricSampler.start}. */
export interface MetricSamplingLoopOptions {
  /** How often to read, milliseconds. */
  intervalMs: number;
  /** Stops the loop when aborted. */
  signal?: AbortSignal;
  /** The timer (default: `setInterval`, unref'd so it never keeps a process alive). */
  timer?: IntervalTimer;
  /** Told about a reading that failed; the loop goes on. */
  onError?: (error: unknown) => void;
}

/**
 * A history of readings for a source that only knows its present (Redis `INFO`, PostgreSQL's statistics views),
 * served as a {@link MetricsCapability}: each query reads the source when its newest reading is stale, and
 * answers from every reading kept. A reading is stamped with the time it was asked for. Counters are served as per-second rates between consecutive readings
 * (a reset counts the new total as the increase, as Prometheus's `rate` does); their first reading has no rate
 * (`null`). A failed reading loses nothing already kept.
 */
export interface MetricSampler {
  /** The metrics capability answered from the readings. */
  readonly metrics: MetricsCapability;
  /** Reads the source now and keeps the reading (concurrent calls share one read). */
  sample(context: CallContext): Promise<void>;
  /** Reads the source every `intervalMs` until the returned function is called or the signal aborts. */
  start(options: MetricSamplingLoopOptions): () => void;
  /** How many readings of the source are kept. */
  readonly readingCount: number;
}

interface SeriesHistory {
  descriptor: MetricDescriptor;
  /** `[epoch ms, raw value]`, oldest first. */
  readings: MetricPoint[];
}

const defaultRetentionMs = 6 * 60 * 60 * 1000;
const defaultFreshnessMs = 1000;

const systemIntervalTimer: IntervalTimer = {
  every(intervalMs, callback) {
    const handle = setInterval(callback, intervalMs);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};

function labelsMatch(labels: Labels, wanted: Labels | undefined): boolean {
  if (!wanted) return true;
  for (const [name, value] of Object.entries(wanted)) if (labels[name] !== value) return false;
  return true;
}

function seriesKey(descriptor: MetricDescriptor): string {
  const labels = Object.keys(descriptor.labels)
    .sort()
    .map((name) => `${name}=${descriptor.labels[name]}`)
    .join(',');
  return `${descriptor.name}|${descriptor.entity}|${labels}`;
}

/** Per-second rates between consecutive counter readings; the first reading has none. */
function counterRates(readings: MetricPoint[]): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let index = 0; index < readings.length; index += 1) {
    const [at, value] = readings[index] as MetricPoint;
    const previous = readings[index - 1];
    if (!previous || value === null || previous[1] === null || at <= previous[0]) {
      points.push([at, null]);
      continue;
    }
    const increase = value >= previous[1] ? value - previous[1] : value;
    points.push([at, increase / ((at - previous[0]) / 1000)]);
  }
  return points;
}

/**
 * Creates a {@link MetricSampler} over a source that reports only current values.
 *
 * @param options - the source's reader, the clock, retention and freshness
 */
export function createMetricSampler(options: MetricSamplerOptions): MetricSampler {
  const retentionMs = options.retentionMs ?? defaultRetentionMs;
  const freshnessMs = options.freshnessMs ?? defaultFreshnessMs;
  if (!(retentionMs > 0) || !(freshnessMs >= 0)) {
    throw new InvalidInputError(
      `${options.source}: metric sampler needs retentionMs > 0 and freshnessMs >= 0 (got ${retentionMs}, ${freshnessMs})`,
    );
  }
  const histories = new Map<string, SeriesHistory>();
  let readingTimes: number[] = [];
  let inFlight: Promise<void> | undefined;

  const keep = (readings: MetricReading[], at: number): void => {
    for (const reading of readings) {
      const key = seriesKey(reading.descriptor);
      let history = histories.get(key);
      if (!history) {
        history = { descriptor: reading.descriptor, readings: [] };
        const previous = readingTimes[readingTimes.length - 1];
        if (
          options.absentCountersAreZero &&
          reading.descriptor.type === 'counter' &&
          previous !== undefined
        ) {
          history.readings.push([previous, 0]);
        }
        histories.set(key, history);
      } else {
        history.descriptor = reading.descriptor;
      }
      const last = history.readings[history.readings.length - 1];
      if (last && last[0] >= at) continue;
      history.readings.push([at, reading.value]);
    }
    readingTimes.push(at);
    const oldest = at - retentionMs;
    readingTimes = readingTimes.filter((time) => time >= oldest);
    for (const [key, history] of histories) {
      const firstKept = history.readings.findIndex(([time]) => time >= oldest);
      if (firstKept === -1) histories.delete(key);
      else if (firstKept > 0) history.readings.splice(0, firstKept);
    }
  };

  const sample = (context: CallContext): Promise<void> => {
    if (inFlight) return inFlight;
    throwIfAborted(context.signal, `${options.source}: metrics`);
    // Stamped when asked for, as Prometheus stamps a scrape at its start: a query ending now sees the
    // reading it caused.
    const at = options.clock.now();
    const read = options
      .read(context)
      .then((readings) => keep(readings, at))
      .finally(() => {
        inFlight = undefined;
      });
    inFlight = read;
    return read;
  };

  const ensureFresh = async (context: CallContext, wantsUpTo: number): Promise<void> => {
    const newest = readingTimes[readingTimes.length - 1];
    const now = options.clock.now();
    if (newest !== undefined && (now - newest <= freshnessMs || wantsUpTo < now - freshnessMs)) return;
    await sample(context);
  };

  const metrics: MetricsCapability = {
    async list(query: MetricListQuery, context: CallContext): Promise<MetricDescriptor[]> {
      const valid = parseWith(metricListQuerySchema, query, `${options.source}: metrics.list query`);
      await ensureFresh(context, options.clock.now());
      const byName = new Map<string, MetricDescriptor>();
      for (const { descriptor } of histories.values()) {
        if (valid.entity && descriptor.entity !== valid.entity) continue;
        byName.set(seriesKey(descriptor), descriptor);
      }
      return [...byName.values()];
    },
    async range(query: MetricRangeQuery, context: CallContext): Promise<MetricSeries[]> {
      const valid = parseWith(metricRangeQuerySchema, query, `${options.source}: metrics.range query`);
      await ensureFresh(context, valid.end);
      const series: MetricSeries[] = [];
      for (const { descriptor, readings } of histories.values()) {
        if (descriptor.name !== valid.metric) continue;
        if (valid.entity && descriptor.entity !== valid.entity) continue;
        if (!labelsMatch(descriptor.labels, valid.labels)) continue;
        const points = descriptor.type === 'counter' ? counterRates(readings) : readings;
        const inWindow = points.filter(([at]) => at >= valid.start && at <= valid.end);
        if (inWindow.length === 0) continue;
        series.push({
          metric: descriptor.name,
          entity: descriptor.entity as EntityRef,
          labels: { ...descriptor.labels },
          unit: descriptor.unit,
          points: inWindow.map(([at, value]) => [at, value]),
        });
      }
      return series;
    },
  };

  return {
    metrics,
    sample,
    start(loop: MetricSamplingLoopOptions): () => void {
      if (!(loop.intervalMs > 0)) {
        throw new InvalidInputError(
          `${options.source}: sampling interval must be > 0 ms (got ${loop.intervalMs})`,
        );
      }
      const controller = new AbortController();
      const context: CallContext = { signal: controller.signal, clock: options.clock, logger: silentLogger };
      const stopTimer = (loop.timer ?? systemIntervalTimer).every(loop.intervalMs, () => {
        sample(context).catch((error: unknown) => loop.onError?.(error));
      });
      const stop = (): void => {
        stopTimer();
        controller.abort();
        loop.signal?.removeEventListener('abort', stop);
      };
      loop.signal?.addEventListener('abort', stop, { once: true });
      return stop;
    },
    get readingCount() {
      return readingTimes.length;
    },
  };
}
