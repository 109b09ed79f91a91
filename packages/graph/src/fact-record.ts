import type { JsonValue } from './json-value';
import { canonicalJson } from './json-value';
import { compareProvenance, type Provenance } from './provenance';

/** Most provenance records kept per fact (newest first); older ones are dropped. */
export const MAX_PROVENANCE_PER_FACT = 8;
/** Most distinct values kept per attribute: the current one plus its history. */
export const MAX_VALUES_PER_ATTRIBUTE = 16;

/** The horizon of a source, in milliseconds. */
export type HorizonOf = (source: string) => number;

/**
 * Internal: the facts of a node or an edge, stored compactly. Confidences are not stored (a
 * number that is not a small integer costs V8 a box of its own per object): they are computed
 * from the provenance, at once for the usual single observation ({@link confidenceOf}). A provenance list is never
 * mutated (merges make a new one), so one list — typically `[observation]` of an ingested
 * object — is shared by the existence fact and every attribute it set. Attributes set by the same
 * observation share {@link FactHolder.valueSources}: an attribute costs one object slot (its value)
 * unless its support differs (then it has an entry in {@link FactHolder.sources}). Read an
 * attribute's support with {@link sourcesOf}, write it with {@link setSourcesOf}.
 */
export interface FactHolder {
  /** Observations supporting the existence, canonical order (newest first). */
  provenance: readonly Provenance[];
  /** Whether markStale() marked the existence stale. */
  stale: boolean;
  /** Current value of every attribute (its keys are the attribute names). */
  values: Record<string, JsonValue>;
  /** Observations supporting the current values, except those named in `sources`. */
  valueSources: readonly Provenance[];
  /** Observations supporting the current value of attributes whose support is not `valueSources`. */
  sources: Record<string, readonly Provenance[]> | undefined;
  /** Older values per attribute, canonical order; absent until an attribute changes. */
  history: Record<string, ValueRecord[]> | undefined;
  /** Attributes whose current value markStale() marked stale. */
  staleAttributes: Set<string> | undefined;
}

/** Internal: the values of a holder without attributes, shared until one is written (never mutated). */
const noValues: Record<string, JsonValue> = Object.freeze({}) as Record<string, JsonValue>;

/**
 * Internal: gives a holder its own values object before the first write (holders without
 * attributes share a frozen empty one to save memory).
 *
 * @param holder - The facts.
 */
export function ensureWritable(holder: FactHolder): void {
  if (holder.values === noValues) holder.values = {};
}

/**
 * Internal: the observations supporting an attribute's current value.
 *
 * @param holder - The facts.
 * @param name - The attribute.
 * @returns The observations, or `undefined` when the holder has no such attribute.
 */
export function sourcesOf(holder: FactHolder, name: string): readonly Provenance[] | undefined {
  if (holder.values[name] === undefined) return undefined;
  return holder.sources?.[name] ?? holder.valueSources;
}

/**
 * Internal: sets the observations supporting an attribute's current value (the attribute must
 * have a value).
 *
 * @param holder - The facts.
 * @param name - The attribute.
 * @param list - The observations.
 */
export function setSourcesOf(holder: FactHolder, name: string, list: readonly Provenance[]): void {
  if (list === holder.valueSources) {
    if (holder.sources?.[name] !== undefined) delete holder.sources[name];
    return;
  }
  holder.sources ??= {};
  holder.sources[name] = list;
}

/** Internal: one value of an attribute with the observations that support it. */
export interface ValueRecord {
  value: JsonValue;
  provenance: readonly Provenance[];
  stale: boolean;
  /** Canonical JSON, computed when a tie needs it. */
  key: string | undefined;
}

/**
 * Internal: noisy-OR over sources of each source's best confidence. One source: its
 * confidence exactly.
 *
 * @param provenance - Observations.
 * @returns The combined confidence.
 */
export function confidenceOf(provenance: readonly Provenance[]): number {
  if (provenance.length === 1) return (provenance[0] as Provenance).confidence;
  let disbelief = 1;
  let sources = 0;
  let single = 0;
  for (let index = 0; index < provenance.length; index++) {
    const entry = provenance[index] as Provenance;
    let dominated = false;
    for (let other = 0; other < provenance.length; other++) {
      if (other === index) continue;
      const candidate = provenance[other] as Provenance;
      if (
        candidate.source === entry.source &&
        (candidate.confidence > entry.confidence ||
          (candidate.confidence === entry.confidence && other < index))
      ) {
        dominated = true;
        break;
      }
    }
    if (dominated) continue;
    disbelief *= 1 - entry.confidence;
    single = entry.confidence;
    sources++;
  }
  return sources === 1 ? single : 1 - disbelief;
}

/**
 * Internal: when a fact was last observed (lists are newest first).
 *
 * @param provenance - Observations, canonical order.
 * @returns The newest observedAt.
 */
export function latestOf(provenance: readonly Provenance[]): number {
  return (provenance[0] as Provenance).observedAt;
}

/**
 * Internal: until when a fact is fresh: max over observations of observedAt + horizon(source).
 *
 * @param provenance - Observations.
 * @param horizonOf - Horizon per source.
 * @returns The time, in milliseconds since the epoch.
 */
export function freshUntilOf(provenance: readonly Provenance[], horizonOf: HorizonOf): number {
  let until = Number.NEGATIVE_INFINITY;
  for (const entry of provenance) {
    const value = entry.observedAt + horizonOf(entry.source);
    if (value > until) until = value;
  }
  return until;
}

/**
 * Internal: merges one observation into a provenance list, without mutating it. Same source
 * and citation: the newer observation replaces the older. Otherwise it is added, and the list
 * capped (newest kept).
 *
 * @param list - The current list, canonical order.
 * @param provenance - The observation.
 * @returns The new list, or `undefined` when nothing changed.
 */
export function mergeProvenance(
  list: readonly Provenance[],
  provenance: Provenance,
): readonly Provenance[] | undefined {
  // A full list that the newcomer would fall off: it could not replace an entry either (an entry
  // of the same source and citation sorts before it), so nothing changes; checked first because
  // hubs (a team, a machine) get an observation from every object that names them.
  if (
    list.length >= MAX_PROVENANCE_PER_FACT &&
    compareProvenance(provenance, list[list.length - 1] as Provenance) > 0
  ) {
    return undefined;
  }
  let replaced = -1;
  for (let index = 0; index < list.length; index++) {
    const existing = list[index] as Provenance;
    if (existing === provenance) return undefined;
    if (existing.source === provenance.source && existing.citation === provenance.citation) {
      if (compareProvenance(provenance, existing) >= 0) return undefined;
      replaced = index;
      break;
    }
  }
  // The list is in canonical order: copy it with the newcomer in its place (no sort call).
  const next: Provenance[] = [];
  let placed = false;
  for (let index = 0; index < list.length; index++) {
    if (index === replaced) continue;
    const existing = list[index] as Provenance;
    if (!placed && compareProvenance(provenance, existing) < 0) {
      next.push(provenance);
      placed = true;
    }
    next.push(existing);
  }
  if (!placed) next.push(provenance);
  if (next.length > MAX_PROVENANCE_PER_FACT && next.pop() === provenance) return undefined;
  return next;
}

/**
 * Internal: deep equality of JSON values, key order ignored.
 *
 * @param left - A value.
 * @param right - Another.
 * @returns Whether they are the same value.
 */
export function jsonEqual(left: JsonValue, right: JsonValue): boolean {
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) {
      if (!jsonEqual(left[index] as JsonValue, right[index] as JsonValue)) return false;
    }
    return true;
  }
  if (Array.isArray(right)) return false;
  let count = 0;
  for (const key in left) {
    const value = left[key];
    if (value === undefined) continue;
    const other = right[key];
    if (other === undefined || !jsonEqual(value, other)) return false;
    count++;
  }
  for (const key in right) if (right[key] !== undefined) count--;
  return count === 0;
}

function keyOf(record: ValueRecord): string {
  if (record.key === undefined) record.key = canonicalJson(record.value);
  return record.key;
}

/**
 * Internal: the canonical order of an attribute's values: newest observation first, then most
 * confident, then canonical JSON. The first value is the current one.
 *
 * @param left - A value record.
 * @param right - Another one.
 * @returns Negative when `left` comes first.
 */
export function compareValues(left: ValueRecord, right: ValueRecord): number {
  const leftLatest = latestOf(left.provenance);
  const rightLatest = latestOf(right.provenance);
  if (leftLatest !== rightLatest) return rightLatest - leftLatest;
  const leftConfidence = confidenceOf(left.provenance);
  const rightConfidence = confidenceOf(right.provenance);
  if (leftConfidence !== rightConfidence) return rightConfidence - leftConfidence;
  const leftKey = keyOf(left);
  const rightKey = keyOf(right);
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

/**
 * Internal: a fact holder with one observation of its existence and of every attribute given.
 *
 * @param attributes - Attribute values (entries that are `undefined` are skipped).
 * @param observed - The observation, as a one-element list shared by every fact it supports.
 * @param owned - Whether `attributes` is a new object nobody else holds: then it becomes the
 *   holder's values as it is (when it has no `undefined` entry) instead of being copied.
 * @returns The holder's fields.
 */
export function newFacts(
  attributes: Readonly<Record<string, unknown>> | undefined,
  observed: readonly Provenance[],
  owned = false,
): FactHolder {
  let values = noValues;
  if (owned && attributes !== undefined && isComplete(attributes)) {
    values = attributes as Record<string, JsonValue>;
  } else if (attributes !== undefined) {
    for (const name in attributes) {
      const value = attributes[name];
      if (value === undefined) continue;
      if (values === noValues) values = {};
      values[name] = value as JsonValue;
    }
  }
  return {
    provenance: observed,
    stale: false,
    values,
    valueSources: observed,
    sources: undefined,
    history: undefined,
    staleAttributes: undefined,
  };
}

/** Whether an object has an attribute and no `undefined` entry (so it can be kept as values). */
function isComplete(attributes: Readonly<Record<string, unknown>>): boolean {
  let any = false;
  for (const name in attributes) {
    if (attributes[name] === undefined) return false;
    any = true;
  }
  return any;
}

/**
 * Internal: merges an observation into the existence fact.
 *
 * @param holder - The facts.
 * @param provenance - The observation.
 * @param horizonOf - Horizon per source.
 * @returns Whether anything changed.
 */
export function mergeExistence(holder: FactHolder, provenance: Provenance, horizonOf: HorizonOf): boolean {
  const merged = mergeProvenance(holder.provenance, provenance);
  if (merged === undefined) return false;
  if (holder.stale && freshUntilOf(merged, horizonOf) > freshUntilOf(holder.provenance, horizonOf))
    holder.stale = false;
  holder.provenance = merged;
  return true;
}

/**
 * Internal: all values of an attribute, current first.
 *
 * @param holder - The facts.
 * @param name - The attribute.
 * @returns Value records (new objects), empty when the attribute is unknown.
 */
export function attributeValues(holder: FactHolder, name: string): ValueRecord[] {
  const sources = sourcesOf(holder, name);
  if (sources === undefined) return [];
  const current: ValueRecord = {
    value: holder.values[name] as JsonValue,
    provenance: sources,
    stale: holder.staleAttributes?.has(name) === true,
    key: undefined,
  };
  const older = holder.history?.[name];
  return older === undefined ? [current] : [current, ...older];
}

/**
 * Internal: stores the values of an attribute (sorted into canonical order first).
 *
 * @param holder - The facts.
 * @param name - The attribute.
 * @param records - Its values, any order, at least one.
 */
export function setAttributeValues(holder: FactHolder, name: string, records: ValueRecord[]): void {
  ensureWritable(holder);
  records.sort(compareValues);
  const [current, ...older] = records as [ValueRecord, ...ValueRecord[]];
  holder.values[name] = current.value;
  setSourcesOf(holder, name, current.provenance);
  if (current.stale) {
    holder.staleAttributes ??= new Set();
    holder.staleAttributes.add(name);
  } else {
    holder.staleAttributes?.delete(name);
  }
  if (older.length > 0) {
    holder.history ??= {};
    holder.history[name] = older;
  } else if (holder.history !== undefined) {
    delete holder.history[name];
  }
}

/**
 * Internal: merges one observed value into an attribute. The same value gets the observation
 * added to its provenance; a different value becomes current when it is the newest, and the
 * others are kept as history.
 *
 * @param holder - The facts.
 * @param name - The attribute.
 * @param value - The observed value.
 * @param provenance - The observation.
 * @param observed - `[provenance]`, shared, for a new attribute.
 * @param horizonOf - Horizon per source.
 * @returns Whether the attribute changed.
 */
export function mergeAttribute(
  holder: FactHolder,
  name: string,
  value: JsonValue,
  provenance: Provenance,
  observed: readonly Provenance[],
  horizonOf: HorizonOf,
): boolean {
  const sources = sourcesOf(holder, name);
  if (sources === undefined) {
    if (holder.values === noValues) {
      // The first attribute: its support becomes the default of the holder's values.
      holder.values = {};
      holder.valueSources = observed;
    }
    holder.values[name] = value;
    setSourcesOf(holder, name, observed);
    return true;
  }
  const history = holder.history?.[name];
  if (history === undefined && jsonEqual(holder.values[name] as JsonValue, value)) {
    // Fast path: the same value again, no history to reorder.
    const merged = mergeProvenance(sources, provenance);
    if (merged === undefined) return false;
    if (
      holder.staleAttributes?.has(name) &&
      freshUntilOf(merged, horizonOf) > freshUntilOf(sources, horizonOf)
    ) {
      holder.staleAttributes.delete(name);
    }
    setSourcesOf(holder, name, merged);
    return true;
  }
  const records = attributeValues(holder, name);
  let found = false;
  for (const record of records) {
    if (!jsonEqual(record.value, value)) continue;
    const merged = mergeProvenance(record.provenance, provenance);
    if (merged === undefined) return false;
    if (record.stale && freshUntilOf(merged, horizonOf) > freshUntilOf(record.provenance, horizonOf))
      record.stale = false;
    record.provenance = merged;
    found = true;
    break;
  }
  let added: ValueRecord | undefined;
  if (!found) {
    added = { value, provenance: observed, stale: false, key: undefined };
    records.push(added);
  }
  records.sort(compareValues);
  if (records.length > MAX_VALUES_PER_ATTRIBUTE && records.pop() === added) return false;
  setAttributeValues(holder, name, records);
  return true;
}

function sameProvenance(left: readonly Provenance[], right: readonly Provenance[]): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) {
    if (compareProvenance(left[index] as Provenance, right[index] as Provenance) !== 0) return false;
  }
  return true;
}

/**
 * Internal: whether two holders hold the same facts: existence and its stale mark, and every
 * attribute's values with their provenance and stale marks.
 *
 * @param left - Facts.
 * @param right - Other facts.
 * @returns Whether they are equal.
 */
export function sameFacts(left: FactHolder, right: FactHolder): boolean {
  if (left.stale !== right.stale || !sameProvenance(left.provenance, right.provenance)) return false;
  const names = Object.keys(left.values);
  if (names.length !== Object.keys(right.values).length) return false;
  for (const name of names) {
    if (right.values[name] === undefined) return false;
    const before = attributeValues(left, name);
    const after = attributeValues(right, name);
    if (before.length !== after.length) return false;
    for (let index = 0; index < before.length; index++) {
      const one = before[index] as ValueRecord;
      const other = after[index] as ValueRecord;
      if (one.stale !== other.stale || !jsonEqual(one.value, other.value)) return false;
      if (!sameProvenance(one.provenance, other.provenance)) return false;
    }
  }
  return true;
}
