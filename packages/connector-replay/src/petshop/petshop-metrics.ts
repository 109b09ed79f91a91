import { type EntityRef, InvalidInputError, type MetricPoint } from '@aisre/core';
import type { RecordedSeries } from '../types';
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
 * Turns a PetShop metrics table into recorded series. The mapping (documented in the README): latency
 * `Average`/`p50`/`p90`/`p95`/`p99` → `http_server_request_duration_seconds{quantile="avg"|"0.5"|…}` in
 * seconds; availability `Average` (percent) → `http_server_availability_ratio` (0..1); requests `Sum`, as
 * requests per second, split by availability into `http_server_requests_total{status="2xx"}` (request rate ×
 * availability) and `{status="5xx"}` (request rate × (1 − availability)), so that, as with any
 * status-partitioned counter, the series of an entity add up to its request rate (a component without an
 * availability column counts every request as `2xx`). Unknown metrics keep their name, with the statistic as
 * a label. The dataset has no client-side call statistics, so none are made up: the call graph is the
 * topology.
 *
 * @param table - the parsed table (columns keyed on component, metric, statistic)
 * @param components - the refs of the components
 * @param problems - where to add a problem for a column naming an unknown component
 * @param file - the file name, for error messages
 */
export function petShopSeries(
  table: WideTable,
  components: ComponentIndex,
  problems: InvalidInputError[],
  file: string,
): { series: RecordedSeries[] } {
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
      // Split by status below, once availability is known.
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
    if (!requests) continue;
    const entity = components.refOf.get(component) as EntityRef;
    const availability = own.get('availability|average');
    const availableAt = new Map((availability ?? []).map(([at, value]) => [at, value]));
    // The share of a step's requests with each status: availability in percent, or all 2xx without it.
    const split = (failed: boolean): MetricPoint[] =>
      requests.map(([at, count]) => {
        if (count === null) return [at, null];
        if (count === 0) return [at, 0];
        const share = availability ? availableAt.get(at) : 100;
        if (share === undefined || share === null) return [at, null];
        const ok = Math.min(100, Math.max(0, share)) / 100;
        return [at, (count / step) * (failed ? 1 - ok : ok)];
      });
    series.push(
      describe(
        entity,
        requestsMetric,
        { status: '2xx' },
        'counter',
        'requests/s',
        'Requests served without a fault, per second',
        split(false),
      ),
    );
    if (availability)
      series.push(
        describe(
          entity,
          requestsMetric,
          { status: '5xx' },
          'counter',
          'requests/s',
          'Requests that failed with a fault, per second',
          split(true),
        ),
      );
  }
  return { series };
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
