import type { MetricType } from '@aisre/core';
import type { MetadataData } from './prometheus-responses';

/** What a series name is: its family, the family's type, unit and help, and which part of it the name is. */
export interface SeriesKind {
  /** The family name (`http_request_duration_seconds` for `http_request_duration_seconds_bucket`). */
  family: string;
  /** The family's type. */
  type: MetricType;
  /** The unit of the raw values (before any rate). */
  unit: string;
  /** What it measures. */
  help: string;
  /** `value` for gauges, counters and summary quantiles; a histogram's or summary's `bucket`, `sum`, `count`. */
  part: 'value' | 'bucket' | 'sum' | 'count';
}

const unitSuffixes: readonly [string, string][] = [
  ['_bytes', 'bytes'],
  ['_seconds', 'seconds'],
  ['_milliseconds', 'milliseconds'],
  ['_usec', 'microseconds'],
  ['_microseconds', 'microseconds'],
  ['_ratio', 'ratio'],
  ['_percent', 'percent'],
  ['_celsius', 'celsius'],
  ['_volts', 'volts'],
  ['_joules', 'joules'],
  ['_meters', 'meters'],
  ['_grams', 'grams'],
  ['_info', 'info'],
];

function typeOf(text: string | undefined): MetricType | undefined {
  switch (text) {
    case 'counter':
      return 'counter';
    case 'gauge':
      return 'gauge';
    case 'histogram':
    case 'gaugehistogram':
      return 'histogram';
    case 'summary':
      return 'summary';
    default:
      return undefined;
  }
}

/**
 * The unit a name implies: the OpenMetrics suffix (`_bytes`, `_seconds`, `_ratio`, …, also before `_total`),
 * else for counters the last word (`redis_evicted_keys_total` counts `keys`), else empty.
 *
 * @param family - the family name
 * @param type - its type
 */
export function unitFromName(family: string, type: MetricType): string {
  const base = family.endsWith('_total') ? family.slice(0, -'_total'.length) : family;
  for (const [suffix, unit] of unitSuffixes) if (base.endsWith(suffix)) return unit;
  if (type !== 'counter') return '';
  const word = base.slice(base.lastIndexOf('_') + 1);
  return word && word !== base ? word : '';
}

/** The unit of a per-second rate of a counter of `unit` (`keys` → `keys/s`; `seconds` → `seconds/s`). */
export function rateUnit(unit: string): string {
  return unit ? `${unit}/s` : 'per second';
}

function entry(metadata: MetadataData, name: string) {
  const entries = metadata[name];
  return entries && entries.length > 0 ? entries[0] : undefined;
}

/**
 * Classifies a series name with the metadata the exporters published (`/api/v1/metadata`), or from the
 * naming conventions when there is none (VictoriaMetrics, recording rules): `_total` is a counter,
 * `_bucket` a histogram part, `_sum` / `_count` a counter.
 *
 * @param name - the series name (`__name__`)
 * @param metadata - the metadata, possibly empty
 */
export function classifySeries(name: string, metadata: MetadataData): SeriesKind {
  const own = entry(metadata, name);
  const ownType = typeOf(own?.type);
  if (own && ownType) {
    return {
      family: name,
      type: ownType,
      unit: own.unit || unitFromName(name, ownType),
      help: own.help ?? '',
      part: 'value',
    };
  }
  for (const part of ['bucket', 'sum', 'count'] as const) {
    const suffix = `_${part}`;
    if (!name.endsWith(suffix)) continue;
    const family = name.slice(0, -suffix.length);
    const parent = entry(metadata, family);
    const parentType = typeOf(parent?.type);
    if (parentType === 'histogram' || parentType === 'summary') {
      return {
        family,
        type: parentType,
        unit: parent?.unit || unitFromName(family, parentType),
        help: parent?.help ?? '',
        part,
      };
    }
  }
  // No usable metadata (none, `unknown`, `info`, `stateset`): the naming conventions decide.
  const type: MetricType = /_(total|count|sum|bucket)$/.test(name) ? 'counter' : 'gauge';
  return {
    family: name,
    type,
    unit: own?.unit || unitFromName(name, type),
    help: own?.help ?? '',
    part: 'value',
  };
}
