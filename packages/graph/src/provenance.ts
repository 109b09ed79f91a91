/**
 * Where a fact was learned. The built-in sources are listed; any other string works too
 * (a connector's name, for instance) and gets the default freshness horizon.
 */
export type FactSource =
  | 'kubernetes'
  | 'traces'
  | 'metrics'
  | 'text'
  | 'model'
  | 'manual'
  | 'incident'
  | (string & {});

/**
 * How one source vouched for one fact: every node, edge and attribute value carries a list
 * of these.
 */
export interface Provenance {
  /** Where the fact came from. */
  readonly source: FactSource;
  /** When the source observed it, in milliseconds since the epoch. */
  readonly observedAt: number;
  /** How sure the source is, 0..1; below 1 the fact is tentative. */
  readonly confidence: number;
  /** What it was learned from: an object (`deployment shop/cart`), a trace, a message. Never a secret. */
  readonly citation: string;
}

/** Provenance as callers give it: `observedAt` defaults to the graph's clock, `confidence` to 1. */
export interface ProvenanceInput {
  /** Where the fact came from. */
  readonly source: FactSource;
  /** What it was learned from. */
  readonly citation: string;
  /** When it was observed, in milliseconds since the epoch; defaults to the graph's clock. */
  readonly observedAt?: number;
  /** How sure the source is, 0..1; defaults to 1. */
  readonly confidence?: number;
}

/**
 * Freshness horizons, in milliseconds, per source: a fact whose every observation is older than
 * its source's horizon is stale. Stale facts are marked, never deleted.
 */
export type FreshnessHorizons = Readonly<Partial<Record<FactSource, number>>>;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The horizons used when none is given for a source. */
export const DEFAULT_FRESHNESS_HORIZONS: Readonly<Record<string, number>> = {
  kubernetes: hour,
  traces: 15 * minute,
  metrics: 15 * minute,
  text: 180 * day,
  model: 30 * day,
  manual: Number.POSITIVE_INFINITY,
  incident: Number.POSITIVE_INFINITY,
};

/** The horizon of a source that is in neither the options nor {@link DEFAULT_FRESHNESS_HORIZONS}. */
export const FALLBACK_FRESHNESS_HORIZON = day;

/**
 * Combines the confidences of independent sources: `1 - Π(1 - cᵢ)`. Two sources at 0.6 give
 * 0.84; any source at 1 gives 1.
 *
 * @param confidences - One confidence per independent source, each 0..1.
 * @returns The combined confidence.
 */
export function noisyOr(confidences: Iterable<number>): number {
  let disbelief = 1;
  let count = 0;
  let single = 0;
  for (const confidence of confidences) {
    disbelief *= 1 - confidence;
    single = confidence;
    count++;
  }
  return count === 1 ? single : 1 - disbelief;
}

/**
 * Orders provenance records canonically: newest first, then most confident, then by source and
 * citation. Histories and snapshots use this order, so the same facts always serialise the same way.
 *
 * @param left - A provenance record.
 * @param right - Another one.
 * @returns Negative when `left` comes first.
 */
export function compareProvenance(left: Provenance, right: Provenance): number {
  if (left.observedAt !== right.observedAt) return right.observedAt - left.observedAt;
  if (left.confidence !== right.confidence) return right.confidence - left.confidence;
  if (left.source !== right.source) return left.source < right.source ? -1 : 1;
  if (left.citation !== right.citation) return left.citation < right.citation ? -1 : 1;
  return 0;
}
