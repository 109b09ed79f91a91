import { type EntityRef, InvalidInputError, type MetricPoint } from '@aisre/core';
import type { RecordedCallPoint, RecordedCallSeries, RecordedSeries } from '../types';
import type { WideTable } from '../wide-csv';
import type { ComponentIndex } from './petshop-components';

/** The metric name latency statistics map to. */
export const latencyMetric = 'http_server_request_duration_seconds';
/** The metric name request counts (as rates) and derived 5xx rates map to. */
export const requestsMetric = 'http_server_requests_total';
/** The metric name availability maps to (a ratio, 0..1). */
export const availabilityMetric = 'http_server_availability_ratio';

/** The `quantile` label a PetShop statistic maps to (`Average` → `avg`, `p99` → `0.99`). */
export function quantileOfStatistic(statistic: string): string | undefined {
  return quantiles[statistic.toLowerCase()];
}

const quantiles: Readonly<Record<string, string>> = {
  average: 'avg',
  avg: 'avg',
  mean: 'avg',
  p50: '0.5',
  p90: '0.9',
  p95: '0.95',
  p99: '0.99',
};

/** A column of a PetShop metrics file, keyed on (component, metric, statistic). */
interface Column {
  component: string;
  metric: string;
  statistic: string;
  points: MetricPoint[];
}

function sanitize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The native step of the table, seconds (the median gap between rows; 300 when it cannot tell). */
function stepSeconds(columns: readonly Column[]): number {
  const times = columns[0]?.points.map(([at]) => at) ?? [];
  const gaps = times
    .slice(1)
    .map((at, index) => at - (times[index] as number))
    .filter((gap) => gap > 0);
  gaps.sort((a, b) => a - b);
  const gap = gaps[gaps.length >> 1];
  return gap ? gap / 1000 : 300;
}

function scaled(points: readonly MetricPoint[], factor: number): MetricPoint[] {
  return points.map(([at, value]) => [at, value === null ? null : value * factor]);
}

/**
 * Turns a PetShop metrics table into recorded series and call series. The mapping (documented in the
 * README): latency `Average`/`p50`/`p90`/`p95`/`p99` → `http_server_request_duration_seconds{quantile="avg"|"0.5"|…}`
 * in seconds; requests `Sum` → `http_server_requests_total{status="all"}` as requests per second;
 * availability `Average` (percent) → `http_server_availability_ratio` (0..1); and, where both are known,
 * `http_server_requests_total{status="5xx"}` = request rate × (1 − availability). Each call-graph edge
 * A → B becomes a call series whose rate, error ratio and latency percentiles are B's own (the callee's
 * server-side statistics stand for what its callers see). Unknown metrics keep their name, with the statistic
 * as a label.
 *
 * @param table - the parsed table (columns keyed on component, metric, statistic)
 * @param components - the refs of the components
 * @param edges - the call graph's `[caller, callee]` pairs
 * @param problems - where to add a problem for a column naming an unknown component
 * @param file - the file name, for error messages
 */
export function petShopSeries(
  table: WideTable,
  components: ComponentIndex,
  edges: readonly [string, string][],
  problems: InvalidInputError[],
  file: string,
): { series: RecordedSeries[]; calls: RecordedCallSeries[] } {
  const [componentName = 'microservice', metricName = 'metric', statisticName = 'statistic'] =
    table.headerNames;
  const columns: Column[] = table.columns.map((column) => ({
    component: column.header[componentName] ?? '',
    metric: (column.header[metricName] ?? '').toLowerCase(),
    statistic: (column.header[statisticName] ?? '').toLowerCase(),
    points: column.points,
  }));
  const step = stepSeconds(columns);
  const series: RecordedSeries[] = [];
  const byComponent = new Map<string, Map<string, MetricPoint[]>>();
  for (const column of columns) {
    const entity = components.refOf.get(column.component);
    if (!entity) {
      problems.push(
        new InvalidInputError(
          `connector-replay: ${file}: column ${column.component} / ${column.metric} / ${column.statistic}: "${column.component}" is not in the call graph; skipped`,
          { issues: [{ path: [file, column.component], message: 'unknown component' }] },
        ),
      );
      continue;
    }
    const own = byComponent.get(column.component) ?? new Map<string, MetricPoint[]>();
    own.set(`${column.metric}|${column.statistic}`, column.points);
    byComponent.set(column.component, own);
    const quantile = quantiles[column.statistic];
    if (column.metric === 'latency' && quantile) {
      series.push(
        describe(
          entity,
          latencyMetric,
          { quantile },
          'summary',
          'seconds',
          'Server-side request latency',
          column.points,
        ),
      );
    } else if (column.metric === 'requests' && column.statistic === 'sum') {
      series.push(
        describe(
          entity,
          requestsMetric,
          { status: 'all' },
          'counter',
          'requests/s',
          'Requests served, per second',
          scaled(column.points, 1 / step),
        ),
      );
    } else if (column.metric === 'availability' && quantile === 'avg') {
      series.push(
        describe(
          entity,
          availabilityMetric,
          {},
          'gauge',
          'ratio',
          'Share of requests served without a fault',
          scaled(column.points, 0.01),
        ),
      );
    } else {
      series.push(
        describe(
          entity,
          sanitize(column.metric) || 'value',
          { statistic: column.statistic },
          'gauge',
          '',
          `${column.metric} (${column.statistic})`,
          column.points,
        ),
      );
    }
  }
  for (const [component, own] of byComponent) {
    const requests = own.get('requests|sum');
    const availability = own.get('availability|average');
    const entity = components.refOf.get(component) as EntityRef;
    if (!requests || !availability) continue;
    const availableAt = new Map(availability.map(([at, value]) => [at, value]));
    const errors: MetricPoint[] = requests.map(([at, count]) => {
      if (count === null) return [at, null];
      if (count === 0) return [at, 0];
      const share = availableAt.get(at);
      return [
        at,
        share === undefined || share === null ? null : ((count / step) * Math.max(0, 100 - share)) / 100,
      ];
    });
    series.push(
      describe(
        entity,
        requestsMetric,
        { status: '5xx' },
        'counter',
        'requests/s',
        'Requests that failed with a fault, per second',
        errors,
      ),
    );
  }
  const calls: RecordedCallSeries[] = [];
  for (const [caller, callee] of edges) {
    const from = components.refOf.get(caller);
    const to = components.refOf.get(callee);
    const own = byComponent.get(callee);
    if (!from || !to || !own) continue;
    const lookup = (key: string) => new Map((own.get(key) ?? []).map(([at, value]) => [at, value]));
    const requests = lookup('requests|sum');
    const availability = lookup('availability|average');
    const p50 = lookup('latency|p50');
    const p95 = lookup('latency|p95');
    const p99 = lookup('latency|p99');
    const times = [...new Set([...requests.keys(), ...p95.keys(), ...p50.keys()])].sort((a, b) => a - b);
    const milliseconds = (value: number | null | undefined) =>
      value === null || value === undefined ? null : value * 1000;
    const points: RecordedCallPoint[] = times.map((at) => {
      const share = availability.get(at);
      const count = requests.get(at);
      return {
        at,
        rate: count === null || count === undefined ? null : count / step,
        errorRatio: share === null || share === undefined ? null : Math.min(1, Math.max(0, 1 - share / 100)),
        p50Ms: milliseconds(p50.get(at)),
        p95Ms: milliseconds(p95.get(at)),
        p99Ms: milliseconds(p99.get(at)),
      };
    });
    calls.push({ from, to, points });
  }
  return { series, calls };
}

function describe(
  entity: EntityRef,
  metric: string,
  labels: Record<string, string>,
  type: RecordedSeries['type'],
  unit: string,
  help: string,
  points: MetricPoint[],
): RecordedSeries {
  return { metric, entity, labels, type, unit, help, points };
}
