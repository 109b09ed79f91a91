import { InvalidInputError, isEntityRef, type MetricType } from '@aisre/core';
import { splitCsv } from './csv-text';
import { parseTimestamp, parseValue } from './time-values';
import type { LoadResult, RecordedSeries } from './types';

const metricTypes: readonly MetricType[] = ['gauge', 'counter', 'histogram', 'summary'];
const reserved = new Set(['timestamp', 'entity', 'metric', 'value', 'unit', 'type', 'help']);

function problem(message: string, path: (string | number)[]): InvalidInputError {
  return new InvalidInputError(`connector-replay: ${message}`, { issues: [{ path, message }] });
}

/**
 * Parses metric series from a long CSV file: a header row with `timestamp`, `entity`, `metric` and `value`
 * columns, optionally `unit`, `type` and `help`; every other column is a label. One row is one point;
 * rows with the same entity, metric and labels form one series. An empty value is a missing value.
 *
 * ```text
 * timestamp,entity,metric,quantile,value,unit
 * 2026-03-02T01:00:00Z,service:shop/cart,http_server_request_duration_seconds,0.99,0.21,seconds
 * ```
 *
 * A row with a bad timestamp, entity or value becomes an `InvalidInputError` naming the file, the line and
 * the field, and the other rows load.
 *
 * @param text - the file's text
 * @param file - the file name, for error messages
 */
export function parseMetricCsv(text: string, file: string): LoadResult<RecordedSeries[]> {
  const problems: InvalidInputError[] = [];
  const [header, ...rows] = splitCsv(text);
  const names = header?.cells.map((cell) => cell.trim()) ?? [];
  const missing = ['timestamp', 'entity', 'metric', 'value'].filter((name) => !names.includes(name));
  if (!header || missing.length > 0) {
    problems.push(problem(`${file}: the header lacks ${missing.join(', ')}; nothing loaded`, [file, 1]));
    return { value: [], problems };
  }
  const column = (name: string) => names.indexOf(name);
  const labelColumns = names
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => name !== '' && !reserved.has(name));
  const byKey = new Map<string, RecordedSeries>();
  for (const row of rows) {
    const cell = (name: string) => row.cells[column(name)]?.trim() ?? '';
    const at = parseTimestamp(cell('timestamp'));
    const entity = cell('entity');
    const metric = cell('metric');
    const value = parseValue(cell('value'));
    const type = (cell('type') || 'gauge') as MetricType;
    const bad =
      at === undefined
        ? ['timestamp', `"${cell('timestamp')}" is not Unix seconds, milliseconds or an ISO time`]
        : !isEntityRef(entity)
          ? ['entity', `"${entity}" is not an entity ref kind:namespace/name`]
          : metric === ''
            ? ['metric', 'is empty']
            : value === undefined
              ? ['value', `"${cell('value')}" is not a number`]
              : !metricTypes.includes(type)
                ? ['type', `"${type}" is not gauge, counter, histogram or summary`]
                : undefined;
    if (bad || at === undefined || value === undefined || !isEntityRef(entity)) {
      const [field, message] = bad ?? ['row', 'is invalid'];
      problems.push(
        problem(`${file}: line ${row.line}: ${field} ${message}; row skipped`, [
          file,
          row.line,
          field as string,
        ]),
      );
      continue;
    }
    const labels: Record<string, string> = {};
    for (const { name, index } of labelColumns) {
      const labelValue = row.cells[index]?.trim() ?? '';
      if (labelValue !== '') labels[name] = labelValue;
    }
    const key = JSON.stringify([entity, metric, Object.entries(labels).sort()]);
    let series = byKey.get(key);
    if (!series) {
      series = { metric, entity, labels, type, unit: cell('unit'), help: cell('help'), points: [] };
      byKey.set(key, series);
    }
    series.points.push([at, value]);
  }
  for (const series of byKey.values()) series.points.sort((a, b) => a[0] - b[0]);
  return { value: [...byKey.values()], problems };
}
