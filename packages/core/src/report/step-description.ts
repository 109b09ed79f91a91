import type { JsonValue } from '../contracts/common';
import type { Step } from '../contracts/step';
import { compactJson, formatNumber, truncate } from './report-formatting';

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textField(input: JsonObject, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = input[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/**
 * Describes what a step called, in one line: the tool, then what it asked for
 * (`metrics.range redis_mem_fragmentation_ratio on redis:shop/cache`, `logs.search "timeout" on service:shop/cart`).
 *
 * @param step - the step
 */
export function describeStep(step: Step): string {
  const input = step.input;
  if (!isObject(input)) {
    const shown = compactJson(input, 60);
    return shown === '' || shown === 'null' ? step.tool : `${step.tool} ${shown}`;
  }
  const parts = [step.tool];
  const subject = textField(input, ['metric', 'query', 'name']);
  const text = textField(input, ['text', 'pattern']);
  if (subject) parts.push(truncate(subject, 60));
  if (text) parts.push(`"${truncate(text, 40)}"`);
  const entity = textField(input, ['entity', 'target', 'from']);
  if (entity) parts.push(`on ${entity}`);
  if (parts.length === 1 && Object.keys(input).length > 0) {
    const rest = Object.fromEntries(
      Object.entries(input).filter(([key]) => !['start', 'end', 'stepMs', 'limit'].includes(key)),
    );
    if (Object.keys(rest).length > 0) parts.push(compactJson(rest, 60));
  }
  return parts.join(' ');
}

/** Keys that say where data came from rather than what it says; the step line shows them already. */
const contextKeys = ['entity', 'series', 'metric', 'onset', 'at', 'from', 'to'];

const beforeKeys = ['baseline', 'before', 'from', 'previous', 'expected'];
const afterKeys = ['current', 'recent', 'after', 'to', 'peak', 'observed', 'latest', 'value'];

function numberOrText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return truncate(value, 40);
  return undefined;
}

function pointValue(point: JsonValue): number | undefined {
  if (typeof point === 'number') return point;
  if (Array.isArray(point) && point.length === 2 && typeof point[1] === 'number') return point[1];
  if (isObject(point) && typeof point.value === 'number') return point.value;
  return undefined;
}

function seriesExcerpt(values: readonly JsonValue[]): string | undefined {
  const numbers = values.map(pointValue);
  if (numbers.length < 2 || numbers.some((value) => value === undefined)) return undefined;
  const first = numbers[0] as number;
  const last = numbers[numbers.length - 1] as number;
  return `${formatNumber(first)} → ${formatNumber(last)}`;
}

function objectExcerpt(excerpt: JsonObject): string {
  const before = beforeKeys.map((key) => numberOrText(excerpt[key])).find((value) => value !== undefined);
  const after = afterKeys.map((key) => numberOrText(excerpt[key])).find((value) => value !== undefined);
  if (before !== undefined && after !== undefined) {
    const score = typeof excerpt.z === 'number' ? ` (z ${formatNumber(excerpt.z)})` : '';
    return `${before} → ${after}${score}`;
  }
  for (const key of ['points', 'values', 'series']) {
    const inner = excerpt[key];
    if (Array.isArray(inner)) {
      const series = seriesExcerpt(inner);
      if (series) return series;
    }
  }
  const message = textField(excerpt, ['message', 'line', 'summary']);
  if (message) return `"${truncate(message, 80)}"`;
  const pairs = Object.entries(excerpt)
    .filter(([key, value]) => !contextKeys.includes(key) && (value === null || typeof value !== 'object'))
    .slice(0, 4)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? formatNumber(value) : String(value)}`);
  return pairs.length > 0 ? truncate(pairs.join(', '), 100) : compactJson(excerpt, 80);
}

/**
 * Renders the data a piece of evidence rests on in a few characters: a series as `first → last`,
 * a `{ baseline, current }` pair as `1.1 → 1.89`, a log line quoted, other values as compact JSON.
 * Empty when there is nothing to show.
 *
 * @param excerpt - the evidence's excerpt
 */
export function compactExcerpt(excerpt: JsonValue): string {
  if (excerpt === null) return '';
  if (typeof excerpt === 'number') return formatNumber(excerpt);
  if (typeof excerpt === 'boolean') return String(excerpt);
  if (typeof excerpt === 'string') return `"${truncate(excerpt, 80)}"`;
  if (Array.isArray(excerpt)) {
    if (excerpt.length === 0) return '';
    const series = seriesExcerpt(excerpt);
    if (series) return series;
    const first = excerpt[0];
    const shown =
      first !== undefined && isObject(first) ? objectExcerpt(first) : compactJson(first ?? null, 80);
    return excerpt.length > 1 ? `${shown} (+${excerpt.length - 1} more)` : shown;
  }
  return objectExcerpt(excerpt);
}
