import { confidenceOf, type FactHolder, freshUntilOf, type HorizonOf } from './fact-record';
import type { FactFilter } from './graph-types';

/**
 * Internal: whether the existence fact of a node or edge passes a filter.
 *
 * @param holder - The node's or edge's facts.
 * @param filter - Confidence range, freshness, source.
 * @param now - The clock's time (only read when `filter.fresh`).
 * @param horizonOf - Freshness horizon per source.
 * @returns Whether it passes.
 */
export function passesFactFilter(
  holder: Pick<FactHolder, 'provenance'>,
  filter: FactFilter,
  now: number,
  horizonOf: HorizonOf,
): boolean {
  if (filter.minConfidence !== undefined || filter.maxConfidence !== undefined) {
    const confidence = confidenceOf(holder.provenance);
    if (filter.minConfidence !== undefined && confidence < filter.minConfidence) return false;
    if (filter.maxConfidence !== undefined && !(confidence < filter.maxConfidence)) return false;
  }
  if (filter.fresh === true && freshUntilOf(holder.provenance, horizonOf) < now) return false;
  if (filter.source !== undefined) {
    const source = filter.source;
    if (!holder.provenance.some((entry) => entry.source === source)) return false;
  }
  return true;
}

/**
 * Internal: whether a filter restricts anything (so the check can be skipped in hot loops).
 *
 * @param filter - The filter.
 * @returns Whether any field is set.
 */
export function isActiveFilter(filter: FactFilter): boolean {
  return (
    filter.minConfidence !== undefined ||
    filter.maxConfidence !== undefined ||
    filter.fresh === true ||
    filter.source !== undefined
  );
}
