import type { InvalidInputError, MetricPoint, Signal } from '@aisre/core';
import type { ReplayRecording } from '../types';
import type { WideTable } from '../wide-csv';
import { type ComponentIndex, indexComponents } from './petshop-components';
import type { CallGraph } from './petshop-graph';
import {
  availabilityMetric,
  latencyMetric,
  petShopSeries,
  quantileOfStatistic,
  requestsMetric,
} from './petshop-metrics';
import { chooseTriggerTime } from './petshop-trigger';

/** Where and on what an issue was observed: `target.json`'s `target` (never its answer). */
export interface PetShopTarget {
  /** The component the issue was observed on (always `PetSite` in the dataset). */
  node: string;
  /** The metric it was observed on. */
  metric: 'latency' | 'availability';
  /** The statistic of the alerting series (default `Average`). */
  statistic?: string;
}

/** One PetShop case ready to investigate: the recording, the trigger and the as-of time. */
export interface PetShopCase {
  /** A stable id (`low_traffic/test/issue_3`, `low_traffic/noissue@12`). */
  id: string;
  /** What the connector serves. */
  recording: ReplayRecording;
  /** The alert that starts the investigation. */
  trigger: Signal;
  /** The as-of time: the trigger's time, epoch ms. */
  asOf: number;
  /** The refs of the components. */
  components: ComponentIndex;
  /** Problems found while loading (bad rows, unknown components); the rest loaded. */
  problems: InvalidInputError[];
}

/** What {@link buildPetShopCase} needs. */
export interface PetShopCaseInput {
  /** The case id. */
  id: string;
  /** The metrics table (already cut to the case's rows). */
  table: WideTable;
  /** The call graph. */
  graph: CallGraph;
  /** Where the issue was observed. */
  target: PetShopTarget;
  /** The metrics file's name, for error messages. */
  file: string;
  /** Problems found so far. */
  problems: InvalidInputError[];
}

/**
 * Builds a case: the topology from the call graph (entities with kind, component name; `calls` and
 * `depends-on` relations), the series from the table, and a trigger on the target at the time the target
 * series is most anomalous ({@link chooseTriggerTime}).
 *
 * @param input - the table, graph, target and id
 */
export function buildPetShopCase(input: PetShopCaseInput): PetShopCase {
  const { graph, table, target } = input;
  const problems = [...input.problems];
  const components = indexComponents(graph.components);
  const { series } = petShopSeries(table, components, problems, input.file);
  const entities = [...components.refOf].map(([component, ref]) => ({
    ref,
    attributes: { component, source: 'petshop' },
  }));
  const relations = graph.edges.flatMap(([caller, callee]) => {
    const from = components.refOf.get(caller);
    const to = components.refOf.get(callee);
    if (!from || !to) return [];
    return [
      { from, to, kind: 'calls', attributes: {} },
      { from, to, kind: 'depends-on', attributes: {} },
    ];
  });
  const statistic = target.metric === 'availability' ? 'Average' : (target.statistic ?? 'Average');
  const column = table.columns.find(
    (candidate) =>
      Object.values(candidate.header)[0] === target.node &&
      Object.values(candidate.header)[1]?.toLowerCase() === target.metric &&
      Object.values(candidate.header)[2]?.toLowerCase() === statistic.toLowerCase(),
  );
  const points: MetricPoint[] = column?.points ?? [];
  const lastRow = table.columns[0]?.points.at(-1)?.[0] ?? 0;
  const asOf = chooseTriggerTime(points, target.metric === 'latency' ? 'up' : 'down') ?? lastRow;
  const entity = components.refOf.get(target.node) ?? indexComponents([target.node]).refOf.get(target.node);
  const high = target.metric === 'latency';
  const trigger: Signal = {
    id: `petshop:${input.id}`,
    source: 'replay',
    kind: 'alert',
    entity: entity as Signal['entity'],
    severity: 'P3',
    at: new Date(asOf).toISOString(),
    summary: high
      ? `${target.node}: latency (${statistic}) is high`
      : `${target.node}: availability dropped, requests fail`,
    labels: {
      alertname: high ? 'LatencyHigh' : 'AvailabilityLow',
      metric: target.metric,
      statistic,
      // The alert names the series it fired on, so the engine reads that one (see docs/investigation.md).
      symptom_metric: high ? latencyMetric : availabilityMetric,
      ...(high ? { symptom_quantile: quantileOfStatistic(statistic) ?? 'avg' } : {}),
      symptom_direction: high ? 'up' : 'down',
      // The request counter both statistics are computed over (see docs/investigation.md).
      symptom_volume_metric: requestsMetric,
    },
    payload: {},
  };
  return {
    id: input.id,
    recording: { series, topology: { entities, relations } },
    trigger,
    asOf,
    components,
    problems,
  };
}
