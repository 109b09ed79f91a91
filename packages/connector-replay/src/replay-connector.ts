import {
  type CallContext,
  type ConnectorCapabilities,
  InvalidInputError,
  type LogRecord,
  type MetricDescriptor,
  type MetricSeries,
  throwIfAborted,
} from '@aisre/core';
import { aggregateCallSeries, aggregateSpans } from './call-aggregation';
import {
  logQuerySchema,
  metricListQuerySchema,
  rangeQuerySchema,
  spanQuerySchema,
  validateQuery,
  windowQuerySchema,
} from './query-validation';
import { createReplayTools } from './replay-tools';
import type { ReplayConnector, ReplayConnectorOptions, ReplayRecording } from './types';

const levels: readonly LogRecord['level'][] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** The last time anything in the recording happened, epoch ms (0 for an empty recording). */
export function lastRecordedTime(recording: ReplayRecording): number {
  let last = 0;
  for (const series of recording.series) {
    const point = series.points[series.points.length - 1];
    if (point) last = Math.max(last, point[0]);
  }
  for (const call of recording.calls ?? []) {
    const point = call.points[call.points.length - 1];
    if (point) last = Math.max(last, point.at);
  }
  for (const record of recording.logs ?? []) last = Math.max(last, Date.parse(record.at));
  for (const span of recording.spans ?? []) last = Math.max(last, Date.parse(span.start));
  for (const change of recording.changes ?? []) last = Math.max(last, Date.parse(change.at));
  return last;
}

function resolveNow(now: number | string | undefined, recording: ReplayRecording): number {
  if (now === undefined) return lastRecordedTime(recording);
  const epochMs = typeof now === 'number' ? now : Date.parse(now);
  if (!Number.isFinite(epochMs)) {
    throw new InvalidInputError('connector-replay: options.now must be epoch milliseconds or an ISO time', {
      issues: [{ path: ['now'], message: 'expected epoch milliseconds or an ISO time' }],
    });
  }
  return epochMs;
}

function labelsMatch(labels: Record<string, string>, wanted: Record<string, string> | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([name, value]) => labels[name] === value);
}

/**
 * Creates a connector that serves a recording (metric series, and when recorded: logs, spans, call
 * statistics, changes, the topology) through the standard capabilities, as of a clock that only moves
 * forward: nothing recorded after {@link ReplayConnector.now} is ever served, so an investigation replayed at
 * the alert's time sees what an engineer would have seen then.
 *
 * Capabilities follow the recording: `metrics` always; `logs`, `traces` (spans and/or call series),
 * `changes` and `topology` only when the recording has them. Queries are validated (bad ones reject with
 * `InvalidInputError`), the `AbortSignal` is honoured, and answers are copies. Model-callable tools
 * ({@link createReplayTools}: `list_metrics`, `query_metric`, and `search_logs` / `describe_entity` when logs /
 * a topology were recorded) answer through the same capabilities, as of the same clock.
 *
 * @param options - the recording, the as-of time and the connector's name
 */
export function createReplayConnector(options: ReplayConnectorOptions): ReplayConnector {
  const recording: ReplayRecording = structuredClone(options.recording);
  let now = resolveNow(options.now, recording);
  const name = options.name ?? 'replay';
  const guard = (context: CallContext, operation: string) =>
    throwIfAborted(context.signal, `connector-replay: ${operation}`);
  const capabilities: ConnectorCapabilities = {
    metrics: {
      async list(query, context) {
        guard(context, 'metrics.list');
        const { entity } = validateQuery(metricListQuerySchema, query, 'metrics.list');
        const seen = new Set<string>();
        const out: MetricDescriptor[] = [];
        for (const series of recording.series) {
          if (entity && series.entity !== entity) continue;
          if (!series.points.some(([at]) => at <= now)) continue;
          const key = JSON.stringify([series.metric, series.entity, series.labels]);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({
            name: series.metric,
            entity: series.entity,
            type: series.type,
            unit: series.unit,
            labels: { ...series.labels },
            help: series.help,
          });
        }
        return out;
      },
      async range(query, context) {
        guard(context, 'metrics.range');
        const valid = validateQuery(rangeQuerySchema, query, 'metrics.range');
        const end = Math.min(valid.end, now);
        const out: MetricSeries[] = [];
        for (const series of recording.series) {
          if (series.metric !== valid.metric) continue;
          if (valid.entity && series.entity !== valid.entity) continue;
          if (!labelsMatch(series.labels, valid.labels)) continue;
          const points = series.points
            .filter(([at]) => at >= valid.start && at <= end)
            .map(([at, value]): [number, number | null] => [at, value]);
          if (points.length === 0) continue;
          out.push({
            metric: series.metric,
            entity: series.entity,
            labels: { ...series.labels },
            unit: series.unit,
            points,
          });
        }
        return out;
      },
    },
  };
  const logs = recording.logs;
  if (logs) {
    capabilities.logs = {
      async search(query, context) {
        guard(context, 'logs.search');
        const valid = validateQuery(logQuerySchema, query, 'logs.search');
        const end = Math.min(valid.end, now);
        const minimum = levels.indexOf(valid.minLevel ?? 'debug');
        const text = valid.text?.toLowerCase();
        return logs
          .filter((record) => {
            const at = Date.parse(record.at);
            return (
              at >= valid.start &&
              at <= end &&
              (!valid.entity || record.entity === valid.entity) &&
              levels.indexOf(record.level) >= minimum &&
              (!text || record.message.toLowerCase().includes(text))
            );
          })
          .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
          .slice(0, valid.limit ?? Number.POSITIVE_INFINITY)
          .map((record) => structuredClone(record));
      },
    };
  }
  const spans = recording.spans;
  const calls = recording.calls;
  if (spans || calls) {
    capabilities.traces = {
      async spans(query, context) {
        guard(context, 'traces.spans');
        const valid = validateQuery(spanQuerySchema, query, 'traces.spans');
        const end = Math.min(valid.end, now);
        return (spans ?? [])
          .filter((span) => {
            const at = Date.parse(span.start);
            return (
              at >= valid.start &&
              at <= end &&
              (!valid.entity || span.entity === valid.entity || span.peer === valid.entity)
            );
          })
          .slice(0, valid.limit ?? Number.POSITIVE_INFINITY)
          .map((span) => structuredClone(span));
      },
      async callStats(query, context) {
        guard(context, 'traces.callStats');
        const valid = validateQuery(windowQuerySchema, query, 'traces.callStats');
        const end = Math.min(valid.end, now);
        return [
          ...aggregateSpans(spans ?? [], valid.start, end, valid.entity),
          ...aggregateCallSeries(calls ?? [], valid.start, end, valid.entity),
        ];
      },
    };
  }
  const changes = recording.changes;
  if (changes) {
    capabilities.changes = {
      async list(query, context) {
        guard(context, 'changes.list');
        const valid = validateQuery(windowQuerySchema, query, 'changes.list');
        const end = Math.min(valid.end, now);
        return changes
          .filter((change) => {
            const at = Date.parse(change.at);
            return at >= valid.start && at <= end && (!valid.entity || change.entity === valid.entity);
          })
          .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1))
          .map((change) => {
            const copy = structuredClone(change);
            // A job run still going at the as-of time has not ended yet.
            if (copy.endedAt && Date.parse(copy.endedAt) > now) delete copy.endedAt;
            return copy;
          });
      },
    };
  }
  const topology = recording.topology;
  if (topology) {
    capabilities.topology = {
      async scan(context) {
        guard(context, 'topology.scan');
        return {
          observedAt: new Date(now).toISOString(),
          entities: structuredClone(topology.entities),
          relations: structuredClone(topology.relations),
          kubernetesObjects: [],
        };
      },
    };
  }
  return {
    name,
    tools: createReplayTools(capabilities, () => now),
    capabilities,
    now: () => now,
    advanceTo(epochMs) {
      if (!Number.isFinite(epochMs) || epochMs < now) {
        throw new InvalidInputError(
          `connector-replay: the clock only moves forward: cannot go from ${new Date(now).toISOString()} to ${String(epochMs)}`,
          { issues: [{ path: ['epochMs'], message: 'must be a finite time at or after now' }] },
        );
      }
      now = epochMs;
    },
  };
}
