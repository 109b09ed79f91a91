import type { MetricPoint } from '@aisre/core';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * When an alert on this series would have fired: the row where it deviates most, in the alert's direction,
 * from the rows before it (robust z: distance from their median over 1.4826 × MAD, floored at 5 % of the
 * median), among rows with at least `minimumHistory` earlier values. Ties go to the later row. Without such
 * a row (too short, or no values), the last row. It reads only the alerting series, never an answer.
 *
 * @param points - the alerting series, in time order
 * @param direction - `up` (latency) or `down` (availability)
 * @param minimumHistory - how many earlier values a row needs to be judged (default 2)
 */
export function chooseTriggerTime(
  points: readonly MetricPoint[],
  direction: 'up' | 'down',
  minimumHistory = 2,
): number | undefined {
  let best: { at: number; score: number } | undefined;
  const history: number[] = [];
  for (const [at, value] of points) {
    if (value !== null && Number.isFinite(value) && history.length >= minimumHistory) {
      const centre = median(history);
      const spread = 1.4826 * median(history.map((earlier) => Math.abs(earlier - centre)));
      const scale = Math.max(spread, Math.abs(centre) * 0.05, 1e-9);
      const score = ((direction === 'up' ? 1 : -1) * (value - centre)) / scale;
      if (!best || score >= best.score) best = { at, score };
    }
    if (value !== null && Number.isFinite(value)) history.push(value);
  }
  return best?.at ?? points[points.length - 1]?.[0];
}
