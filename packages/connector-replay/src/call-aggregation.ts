import type { CallStats, EntityRef, Span } from '@aisre/core';
import type { RecordedCallPoint, RecordedCallSeries } from './types';

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (position - low);
}

/**
 * Call statistics of recorded call series over a window: each field is the median of its recorded values
 * in `[start, end]` (missing values skipped). A pair with no latency and no rate in the window is left out.
 *
 * @param calls - the recorded call series
 * @param start - window start, epoch ms
 * @param end - window end, epoch ms (already clipped to the as-of time)
 * @param entity - only calls from or to this entity, when given
 */
export function aggregateCallSeries(
  calls: readonly RecordedCallSeries[],
  start: number,
  end: number,
  entity: EntityRef | undefined,
): CallStats[] {
  const out: CallStats[] = [];
  for (const call of calls) {
    if (entity && call.from !== entity && call.to !== entity) continue;
    const inWindow = call.points.filter((point) => point.at >= start && point.at <= end);
    const field = (name: keyof Omit<RecordedCallPoint, 'at'>) =>
      median(inWindow.map((point) => point[name]).filter((value): value is number => value !== null));
    const p95Ms = field('p95Ms');
    const rate = field('rate');
    if (p95Ms === undefined && rate === undefined) continue;
    const p50Ms = field('p50Ms') ?? p95Ms ?? 0;
    out.push({
      from: call.from,
      to: call.to,
      rate: Math.max(0, rate ?? 0),
      errorRatio: Math.min(1, Math.max(0, field('errorRatio') ?? 0)),
      p50Ms: Math.max(0, p50Ms),
      p95Ms: Math.max(0, p95Ms ?? p50Ms),
      p99Ms: Math.max(0, field('p99Ms') ?? p95Ms ?? p50Ms),
    });
  }
  return out;
}

/**
 * Call statistics from spans: client and producer spans with a `peer`, grouped by (caller, callee), over the
 * window: calls per second, error ratio and latency percentiles.
 *
 * @param spans - the spans
 * @param start - window start, epoch ms
 * @param end - window end, epoch ms (already clipped to the as-of time)
 * @param entity - only calls from or to this entity, when given
 */
export function aggregateSpans(
  spans: readonly Span[],
  start: number,
  end: number,
  entity: EntityRef | undefined,
): CallStats[] {
  const groups = new Map<string, { from: EntityRef; to: EntityRef; durations: number[]; errors: number }>();
  for (const span of spans) {
    if (!span.peer || (span.kind !== 'client' && span.kind !== 'producer')) continue;
    const at = Date.parse(span.start);
    if (at < start || at > end) continue;
    if (entity && span.entity !== entity && span.peer !== entity) continue;
    const key = `${span.entity}>${span.peer}`;
    const group = groups.get(key) ?? { from: span.entity, to: span.peer, durations: [], errors: 0 };
    group.durations.push(span.durationMs);
    if (span.status === 'error') group.errors++;
    groups.set(key, group);
  }
  const seconds = Math.max((end - start) / 1000, 1);
  return [...groups.values()]
    .sort((a, b) => (`${a.from}>${a.to}` < `${b.from}>${b.to}` ? -1 : 1))
    .map((group) => {
      const sorted = [...group.durations].sort((a, b) => a - b);
      return {
        from: group.from,
        to: group.to,
        rate: group.durations.length / seconds,
        errorRatio: group.errors / group.durations.length,
        p50Ms: quantile(sorted, 0.5),
        p95Ms: quantile(sorted, 0.95),
        p99Ms: quantile(sorted, 0.99),
      };
    });
}
