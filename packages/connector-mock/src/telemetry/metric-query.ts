import type {
  EntityRef,
  Labels,
  MetricDescriptor,
  MetricPoint,
  MetricRangeQuery,
  MetricSeries,
} from '@aisre/core';
import type { Simulation } from '../simulation/simulation';
import { metricCatalogue } from './metric-catalogue';
import type { SeriesDefinition } from './metric-definition';

/** Rounds to 6 significant digits: compact, stable output. */
export function roundValue(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const digits = 5 - Math.floor(Math.log10(Math.abs(value)));
  if (digits <= 0) {
    const divisor = 10 ** -digits;
    return Math.round(value / divisor) * divisor;
  }
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function matchesLabels(labels: Labels, wanted: Labels | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** The descriptors of every series, optionally of one entity. */
export function listMetrics(simulation: Simulation, entity: EntityRef | undefined): MetricDescriptor[] {
  return metricCatalogue(simulation.model)
    .filter((definition) => entity === undefined || definition.entity === entity)
    .map((definition) => ({
      name: definition.name,
      entity: definition.entity,
      type: definition.type,
      unit: definition.unit,
      labels: { ...definition.labels },
      help: definition.help,
    }));
}

/** The series matching a metric name, an optional entity and optional labels. */
export function findSeries(
  simulation: Simulation,
  metric: string,
  entity?: EntityRef,
  labels?: Labels,
): SeriesDefinition[] {
  return metricCatalogue(simulation.model).filter(
    (definition) =>
      definition.name === metric &&
      (entity === undefined || definition.entity === entity) &&
      matchesLabels(definition.labels, labels),
  );
}

/** The values of one series per step (cached in the simulation). */
export function seriesValues(simulation: Simulation, definition: SeriesDefinition): Float64Array {
  return simulation.memo(`series|${definition.key}`, () => definition.values(simulation).map(roundValue));
}

/**
 * Answers a range query as of `nowMs`: points at the native step (or a multiple of it when `stepMs` asks
 * for a coarser one; counters are averaged over the coarser step, gauges sampled), never after now.
 */
export function rangeQuery(simulation: Simulation, query: MetricRangeQuery, nowMs: number): MetricSeries[] {
  const { model } = simulation;
  const start = Math.max(query.start, model.startMs);
  const end = Math.min(query.end, nowMs, model.endMs);
  const stride = Math.max(1, Math.round((query.stepMs ?? model.stepMs) / model.stepMs));
  const result: MetricSeries[] = [];
  if (end < start) return result;
  const first = Math.ceil((start - model.startMs) / model.stepMs);
  const last = Math.floor((end - model.startMs) / model.stepMs);
  for (const definition of findSeries(simulation, query.metric, query.entity, query.labels)) {
    const values = seriesValues(simulation, definition);
    const points: MetricPoint[] = [];
    for (let step = first; step <= last; step += stride) {
      let value: number;
      if (definition.type === 'counter' && stride > 1) {
        let total = 0;
        let count = 0;
        for (let inner = Math.max(0, step - stride + 1); inner <= step; inner++) {
          const sample = values[inner] ?? Number.NaN;
          if (!Number.isNaN(sample)) {
            total += sample;
            count++;
          }
        }
        value = count === 0 ? Number.NaN : total / count;
        value = roundValue(value);
      } else {
        value = values[step] ?? Number.NaN;
      }
      if (!Number.isNaN(value)) points.push([model.startMs + step * model.stepMs, value]);
    }
    if (points.length > 0) {
      result.push({
        metric: definition.name,
        entity: definition.entity,
        labels: { ...definition.labels },
        unit: definition.unit,
        points,
      });
    }
  }
  return result;
}
