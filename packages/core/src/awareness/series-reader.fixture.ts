// A telemetry reader over series given in the test: a connector whose metrics capability answers from a table
// keyed by entity and metric, each series a function of time. Not exported from the package.
import type { Labels } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { MetricPoint, MetricSeries } from '../contracts/telemetry';
import { createManualClock, silentLogger } from '../runtime/call-context';
import { TelemetryReader } from './telemetry-reading';

export const minute = 60_000;
export const hour = 60 * minute;
/** The tests' "now". */
export const now = Date.parse('2026-03-02T03:00:00Z');

/** One series of the table: where, what, its labels, and its value at a time (undefined: no point). */
export interface TableSeries {
  entity: EntityRef;
  metric: string;
  labels?: Labels;
  value: (at: number) => number | undefined;
}

/** Points every 30 s of `value` between `start` and `end`. */
export function pointsOf(
  value: (at: number) => number | undefined,
  start: number,
  end: number,
): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let at = Math.ceil(start / 30_000) * 30_000; at <= end; at += 30_000) {
    const reading = value(at);
    if (reading !== undefined) points.push([at, reading]);
  }
  return points;
}

/** A reader whose connector serves the table's series (label filters applied), as of {@link now}. */
export function readerOf(table: readonly TableSeries[]): TelemetryReader {
  const connector: Connector = {
    name: 'table',
    tools: [],
    capabilities: {
      metrics: {
        async list() {
          return [];
        },
        async range(query) {
          const out: MetricSeries[] = [];
          for (const series of table) {
            if (series.metric !== query.metric) continue;
            if (query.entity && series.entity !== query.entity) continue;
            const labels = series.labels ?? {};
            if (
              query.labels &&
              Object.entries(query.labels).some(([name, wanted]) => labels[name] !== wanted)
            )
              continue;
            out.push({
              metric: series.metric,
              entity: series.entity,
              labels,
              unit: '',
              points: pointsOf(series.value, query.start, Math.min(query.end, now)),
            });
          }
          return out;
        },
      },
    },
  };
  const clock = createManualClock(now);
  return new TelemetryReader(
    [connector],
    (signal) => ({ signal, logger: silentLogger, clock }),
    1000,
    silentLogger,
  );
}

/** A deterministic wobble of ±`size` around 1, so robust spreads are not zero. */
export function wobble(at: number, size = 0.03): number {
  return 1 + size * Math.sin(at / 97_000) * Math.cos(at / 41_000);
}
