// Sizing rules of the built-in catalogue (documented in docs/policies.md).
import type { Labels } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { Report } from '../contracts/report';
import { latestMetricValue, numberAttribute, topologyAttributes } from './report-facts';

/** Bytes in a mebibyte. */
export const mebibyte = 1024 ** 2;
/** Bytes in a gibibyte. */
export const gibibyte = 1024 ** 3;

/** `current × factor`, rounded up to a multiple of `step`, and always above `current`. */
export function raised(current: number, factor: number, step: number): number {
  const target = Math.ceil((current * factor) / step) * step;
  return target > current ? target : Math.ceil(current / step) * step + step;
}

/** Where a current setting was read, which decides whether it can be restored exactly. */
export interface CurrentSetting {
  /** The value. */
  value: number;
  /** `limit`: the setting itself (restorable); `usage`: the usage at saturation, standing in for it. */
  source: 'limit' | 'usage';
  /** Where it came from, for the rationale. */
  from: string;
}

/** A way to read a current setting: a topology attribute (× unit) or the latest value of a metric. */
export type SettingSource =
  | { attribute: string; unit?: number }
  | { metric: string; labels?: Labels; usage?: boolean };

/** Reads the first available source, in order. */
export function currentSetting(
  report: Report,
  entity: EntityRef,
  sources: readonly SettingSource[],
): CurrentSetting | undefined {
  const attributes = topologyAttributes(report, entity);
  for (const source of sources) {
    if ('attribute' in source) {
      const value = numberAttribute(attributes, [source.attribute]);
      if (value !== undefined) {
        return {
          value: value * (source.unit ?? 1),
          source: 'limit',
          from: `the topology's ${source.attribute}`,
        };
      }
      continue;
    }
    const value = latestMetricValue(report, entity, source.metric, source.labels);
    if (value !== undefined && value > 0) {
      return {
        value,
        source: source.usage ? 'usage' : 'limit',
        from: source.usage ? `${source.metric} at saturation` : `${source.metric}`,
      };
    }
  }
  return undefined;
}
