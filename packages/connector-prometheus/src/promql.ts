import { InvalidInputError, type Labels } from '@aisre/core';
import { moduleName } from './module-name';

const metricNamePattern = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const labelNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A PromQL string literal: double-quoted, with backslashes, quotes and line breaks escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** One label matcher, `name="value"` or `name=~"regex"`. */
export function labelMatcher(name: string, operator: '=' | '!=' | '=~' | '!~', value: string): string {
  return `${name}${operator}${quote(value)}`;
}

/**
 * Checks a metric name before it goes into PromQL, so a query can only ever read that metric.
 *
 * @throws InvalidInputError naming the field when it is not a Prometheus metric name
 */
export function assertMetricName(metric: string, field: string): void {
  if (!metricNamePattern.test(metric)) {
    throw new InvalidInputError(
      `${moduleName}: ${field} "${metric}" is not a Prometheus metric name: use letters, digits, _ and :`,
      { issues: [{ path: [field], message: 'expected a metric name' }] },
    );
  }
}

/**
 * Checks label names before they go into PromQL.
 *
 * @throws InvalidInputError naming the label when one is not a Prometheus label name
 */
export function assertLabelNames(labels: Labels, field: string): void {
  for (const name of Object.keys(labels)) {
    if (!labelNamePattern.test(name)) {
      throw new InvalidInputError(
        `${moduleName}: ${field} has the label "${name}", which is not a Prometheus label name: use letters, digits and _`,
        { issues: [{ path: [field, name], message: 'expected a label name' }] },
      );
    }
  }
}

/** `{a="1", b="2"}` from exact labels (empty string for none). */
export function exactMatchers(labels: Labels): string[] {
  return Object.entries(labels).map(([name, value]) => labelMatcher(name, '=', value));
}

/**
 * The instant-vector selectors of `metric` for each entity selector (their union), with `labels` too:
 * `metric{labels, entity…}`. Without entity selectors, the one selector of `metric{labels}`.
 */
export function vectorSelectors(
  metric: string,
  labels: Labels,
  entitySelectors: string[] | undefined,
): string[] {
  const common = exactMatchers(labels);
  const wrap = (matchers: string[]) => (matchers.length > 0 ? `${metric}{${matchers.join(', ')}}` : metric);
  if (!entitySelectors) return [wrap(common)];
  return entitySelectors.map((selector) => wrap([...common, selector]));
}

/** A PromQL duration from milliseconds: whole seconds when it is one (`90s`), else milliseconds (`1500ms`). */
export function promDuration(milliseconds: number): string {
  const rounded = Math.max(1, Math.round(milliseconds));
  return rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

/** Epoch milliseconds as the API's seconds with up to millisecond precision. */
export function apiTime(epochMs: number): string {
  return (Math.round(epochMs) / 1000).toString();
}
