import type { EntityRef, Labels, MetricType } from '@aisre/core';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity } from '../simulation/system-model';

/** One series the connector can serve, and how to compute its values (one per step; NaN: no sample). */
export interface SeriesDefinition {
  /** `name|entity|labels`, unique. */
  key: string;
  /** Metric name. */
  name: string;
  /** The entity it describes. */
  entity: EntityRef;
  /** The entity's index in the model. */
  index: number;
  /** Labels beyond the entity. */
  labels: Labels;
  /** How it behaves (counters are served as per-second rates). */
  type: MetricType;
  /** Unit of the served values. */
  unit: string;
  /** What it measures. */
  help: string;
  /** The values per step. */
  values: (simulation: Simulation) => Float64Array;
}

/** The unique key of a series. */
export function seriesKey(name: string, entity: EntityRef, labels: Labels): string {
  const labelText = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
  return `${name}|${entity}|${labelText}`;
}

/**
 * A counter served as a per-second rate. The expected rate is turned into whole events per step (Poisson
 * for small counts), so rare events look like real counters: mostly zero, then a few.
 */
export function countSeries(
  entity: ModelEntity,
  name: string,
  labels: Labels,
  unit: string,
  help: string,
  expected: (simulation: Simulation) => Float64Array,
): SeriesDefinition {
  const key = seriesKey(name, entity.ref, labels);
  return {
    key,
    name,
    entity: entity.ref,
    index: entity.index,
    labels,
    type: 'counter',
    unit,
    help,
    values: (simulation) => {
      const rates = expected(simulation);
      const random = simulation.random(`series|${key}`);
      const stepSeconds = simulation.model.stepMs / 1000;
      return rates.map((rate) =>
        Number.isNaN(rate) ? Number.NaN : random.count(rate * stepSeconds) / stepSeconds,
      );
    },
  };
}

function gauge(
  entity: ModelEntity,
  name: string,
  labels: Labels,
  unit: string,
  help: string,
  values: (simulation: Simulation) => Float64Array,
): SeriesDefinition {
  return {
    key: seriesKey(name, entity.ref, labels),
    name,
    entity: entity.ref,
    index: entity.index,
    labels,
    type: 'gauge',
    unit,
    help,
    values,
  };
}

function present(simulation: Simulation, entity: ModelEntity, values: Float64Array): Float64Array {
  if (entity.kind !== 'cronjob') return values;
  const resources = simulation.resources(entity.index);
  return values.map((value, step) => ((resources.present[step] ?? 0) > 0 ? value : Number.NaN));
}

/** Container CPU, limits, memory, restarts and OOM kills (summed over the entity's pods). */
export function containerSeries(entity: ModelEntity): SeriesDefinition[] {
  const resources = (simulation: Simulation) => simulation.resources(entity.index);
  const series: SeriesDefinition[] = [
    {
      ...gauge(
        entity,
        'container_cpu_usage_seconds_total',
        {},
        'cores',
        'CPU used by the containers (rate of CPU seconds).',
        (simulation) => present(simulation, entity, resources(simulation).cpuCores),
      ),
      type: 'counter',
    },
    gauge(
      entity,
      'kube_pod_container_resource_limits',
      { resource: 'cpu' },
      'cores',
      'CPU limit of the containers.',
      (simulation) => present(simulation, entity, resources(simulation).cpuLimitCores),
    ),
    gauge(
      entity,
      'kube_pod_container_resource_limits',
      { resource: 'memory' },
      'bytes',
      'Memory limit of the containers.',
      (simulation) => present(simulation, entity, resources(simulation).memoryLimitBytes),
    ),
    gauge(
      entity,
      'container_memory_working_set_bytes',
      {},
      'bytes',
      'Working set of the containers.',
      (simulation) => present(simulation, entity, resources(simulation).memoryBytes),
    ),
  ];
  if (entity.kind !== 'cronjob') {
    const stepSeconds = (simulation: Simulation) => simulation.model.stepMs / 1000;
    series.push(
      {
        ...gauge(
          entity,
          'kube_pod_container_status_restarts_total',
          {},
          'restarts/s',
          'Container restarts.',
          (simulation) => resources(simulation).restarts.map((count) => count / stepSeconds(simulation)),
        ),
        type: 'counter',
      },
      {
        ...gauge(
          entity,
          'container_oom_events_total',
          {},
          'events/s',
          'Containers killed for exceeding their memory limit.',
          (simulation) => resources(simulation).oomKills.map((count) => count / stepSeconds(simulation)),
        ),
        type: 'counter',
      },
    );
  }
  return series;
}

/** Volume use and size (every service, redis and postgres has a data volume). */
export function volumeSeries(entity: ModelEntity): SeriesDefinition[] {
  const labels = { persistentvolumeclaim: `data-${entity.name}` };
  return [
    gauge(
      entity,
      'kubelet_volume_stats_used_bytes',
      labels,
      'bytes',
      'Bytes used on the volume.',
      (simulation) => simulation.resources(entity.index).volumeUsedBytes,
    ),
    gauge(
      entity,
      'kubelet_volume_stats_capacity_bytes',
      labels,
      'bytes',
      'Size of the volume.',
      (simulation) => simulation.resources(entity.index).volumeCapacityBytes,
    ),
  ];
}

/** A series definition with its key computed from name, entity and labels. */
export function define(
  entity: ModelEntity,
  name: string,
  labels: Labels,
  type: MetricType,
  unit: string,
  help: string,
  values: (simulation: Simulation) => Float64Array,
): SeriesDefinition {
  return {
    key: seriesKey(name, entity.ref, labels),
    name,
    entity: entity.ref,
    index: entity.index,
    labels,
    type,
    unit,
    help,
    values,
  };
}
