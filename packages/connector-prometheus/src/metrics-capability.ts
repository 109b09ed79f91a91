import {
  type CallContext,
  type EntityRef,
  type Labels,
  type MetricDescriptor,
  type MetricPoint,
  type MetricSeries,
  type MetricsCapability,
  metricListQuerySchema,
  metricRangeQuerySchema,
  parseWith,
  throwIfAborted,
} from '@aisre/core';
import { classifySeries, rateUnit, type SeriesKind } from './metric-families';
import { moduleName } from './module-name';
import type { PrometheusApi } from './prometheus-api';
import type { MatrixSeries, MetadataData } from './prometheus-responses';
import type { PrometheusSettings } from './prometheus-settings';
import { assertLabelNames, assertMetricName, labelMatcher, promDuration, vectorSelectors } from './promql';

/** The quantiles read from a histogram when the query names none. */
const defaultQuantiles = ['0.5', '0.95', '0.99'];
/** How long metadata of a metric is trusted, milliseconds. */
const metadataTtlMs = 10 * 60_000;

/** A sample value: NaN and infinities (which JSON cannot carry) are missing values. */
export function sampleValue(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The points of a matrix series, epoch milliseconds. */
export function toPoints(series: MatrixSeries): MetricPoint[] {
  return series.values.map(([at, value]): MetricPoint => [Math.round(at * 1000), sampleValue(value)]);
}

/** The labels of a series beyond its entity: without `__name__` and the labels that name the entity. */
export function seriesLabels(
  labels: Labels,
  identity: ReadonlySet<string>,
  drop: readonly string[] = [],
): Labels {
  const out: Labels = {};
  for (const [name, value] of Object.entries(labels))
    if (name !== '__name__' && !identity.has(name) && !drop.includes(name)) out[name] = value;
  return out;
}

/** `{sel}` matchers for the series API: the entity's selectors, or every series when it cannot narrow. */
function seriesMatchers(settings: PrometheusSettings, entity: EntityRef | undefined): string[] {
  const selectors = entity ? settings.entities.selectorsOf(entity) : undefined;
  if (!selectors) return [`{${labelMatcher('__name__', '=~', '.+')}}`];
  return selectors.map((selector) => `{${selector}}`);
}

function sortKey(descriptor: MetricDescriptor): string {
  return JSON.stringify([descriptor.name, descriptor.entity, Object.entries(descriptor.labels).sort()]);
}

/** How a range query reads one metric: the PromQL, the unit of the answer and labels to add. */
interface RangePlan {
  expressions: { expression: string; extraLabels: Labels }[];
  unit: string;
}

function rangePlan(
  kind: SeriesKind,
  metric: string,
  labels: Labels,
  entitySelectors: string[] | undefined,
  rateWindow: string,
): RangePlan {
  const union = (expressions: string[]) => expressions.join(' or ');
  if (kind.type === 'histogram' && kind.part === 'value') {
    const { quantile, ...rest } = labels;
    const buckets = vectorSelectors(`${kind.family}_bucket`, rest, entitySelectors).map(
      (selector) => `rate(${selector}[${rateWindow}])`,
    );
    return {
      expressions: (quantile ? [quantile] : defaultQuantiles).map((q) => ({
        expression: `histogram_quantile(${Number(q)}, ${union(buckets)})`,
        extraLabels: { quantile: q },
      })),
      unit: kind.unit,
    };
  }
  const selectors = vectorSelectors(metric, labels, entitySelectors);
  if (kind.type === 'counter' || kind.part !== 'value') {
    return {
      expressions: [
        {
          expression: union(selectors.map((selector) => `rate(${selector}[${rateWindow}])`)),
          extraLabels: {},
        },
      ],
      unit: kind.part === 'bucket' || kind.part === 'count' ? 'per second' : rateUnit(kind.unit),
    };
  }
  return { expressions: [{ expression: union(selectors), extraLabels: {} }], unit: kind.unit };
}

/**
 * The `metrics` capability over the HTTP API: `list` reads the series of the last `listLookbackMs` (of an
 * entity: through the mapping's selectors) with their metadata; `range` reads one metric of an entity,
 * counters as per-second `rate()`s and histograms as `histogram_quantile()`s of their buckets.
 *
 * @param api - the HTTP API
 * @param settings - mapping, windows and limits
 */
export function createMetricsCapability(api: PrometheusApi, settings: PrometheusSettings): MetricsCapability {
  const metadataCache = new Map<string, { at: number; data: MetadataData }>();

  async function metadataOf(metric: string, context: CallContext): Promise<MetadataData> {
    const now = context.clock.now();
    const cached = metadataCache.get(metric);
    if (cached && now - cached.at < metadataTtlMs) return cached.data;
    try {
      const data = await api.metadata(metric, { operation: 'metrics.range metadata' }, context);
      metadataCache.set(metric, { at: now, data });
      return data;
    } catch (error) {
      throwIfAborted(context.signal, `${moduleName}: metrics.range`);
      // Without metadata the naming conventions still classify the metric.
      context.logger.debug(`${moduleName}: no metadata for ${metric}`, { error: String(error) });
      return {};
    }
  }

  return {
    async list(query, context) {
      throwIfAborted(context.signal, `${moduleName}: metrics.list`);
      const { entity } = parseWith(metricListQuerySchema, query, `${moduleName}: metrics.list query`);
      const end = context.clock.now();
      const window = { start: end - settings.listLookbackMs, end };
      const [found, metadata] = await Promise.all([
        api.series(seriesMatchers(settings, entity), window, { operation: 'metrics.list' }, context),
        api.metadata(undefined, { operation: 'metrics.list metadata' }, context),
      ]);
      if (found.length > settings.maxSeries) {
        context.logger.warn(
          `${moduleName}: metrics.list read ${found.length} series, more than maxSeries (${settings.maxSeries}): the rest are left out; pass an entity or raise maxSeries`,
        );
      }
      const descriptors = new Map<string, MetricDescriptor>();
      for (const labels of found.slice(0, settings.maxSeries)) {
        const name = labels.__name__;
        if (!name) continue;
        const ref = settings.entities.entityOf(labels);
        if (!ref || (entity && ref !== entity)) continue;
        const kind = classifySeries(name, metadata);
        // A histogram is listed once under its family name (read with a `quantile` label); its sum and count
        // and a summary's are parts of the family.
        if (kind.part !== 'value' && kind.part !== 'bucket') continue;
        const descriptor: MetricDescriptor = {
          name: kind.family,
          entity: ref,
          type: kind.type,
          unit: kind.type === 'counter' ? rateUnit(kind.unit) : kind.unit,
          labels: seriesLabels(
            labels,
            settings.entities.identityLabels,
            kind.part === 'bucket' ? ['le'] : [],
          ),
          help: kind.help,
        };
        descriptors.set(sortKey(descriptor), descriptor);
      }
      return [...descriptors.entries()]
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
        .map(([, descriptor]) => descriptor);
    },

    async range(query, context) {
      throwIfAborted(context.signal, `${moduleName}: metrics.range`);
      const valid = parseWith(metricRangeQuerySchema, query, `${moduleName}: metrics.range query`);
      assertMetricName(valid.metric, 'metric');
      assertLabelNames(valid.labels ?? {}, 'labels');
      const end = Math.min(valid.end, context.clock.now());
      if (end < valid.start) return [];
      const span = end - valid.start;
      const fitted = Math.ceil(span / (settings.maxPoints - 1));
      const stepMs = Math.max(valid.stepMs ?? settings.scrapeIntervalMs, fitted, 1);
      const rateWindow = promDuration(
        Math.max(stepMs + settings.scrapeIntervalMs, 4 * settings.scrapeIntervalMs),
      );
      const kind = classifySeries(valid.metric, await metadataOf(valid.metric, context));
      const entitySelectors = valid.entity ? settings.entities.selectorsOf(valid.entity) : undefined;
      const plan = rangePlan(kind, valid.metric, valid.labels ?? {}, entitySelectors, rateWindow);
      const out: MetricSeries[] = [];
      for (const { expression, extraLabels } of plan.expressions) {
        const data = await api.queryRange(
          expression,
          { start: valid.start, end, stepMs },
          { operation: 'metrics.range' },
          context,
        );
        for (const series of data.result) {
          const labels = { ...series.metric, ...extraLabels };
          const ref = settings.entities.entityOf(labels);
          if (!ref || (valid.entity && ref !== valid.entity)) continue;
          const points = toPoints(series).filter(([at]) => at <= end);
          if (points.length === 0) continue;
          out.push({
            metric: valid.metric,
            entity: ref,
            labels: seriesLabels(labels, settings.entities.identityLabels),
            unit: plan.unit,
            points,
          });
        }
      }
      return out;
    },
  };
}
