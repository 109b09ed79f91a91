import { InvalidInputError, type MetricSeries } from '@aisre/core';
import type { MetricColumn } from './shop-telemetry-data';

/**
 * Reads a wide metrics CSV (`time,<column>,<column>,…`, one row per sample) into one series per column,
 * using `columns` to say which entity and metric each column is. Empty cells are missing values.
 *
 * @param csv - the CSV text
 * @param columns - what each column holds
 * @throws {@link InvalidInputError} on an unknown column, a bad timestamp or a bad number
 */
export function parseMetricsCsv(
  csv: string,
  columns: Readonly<Record<string, MetricColumn>>,
): MetricSeries[] {
  const [headerLine = '', ...lines] = csv.trim().split(/\r?\n/);
  const [timeHeader, ...names] = headerLine.split(',').map((name) => name.trim());
  if (timeHeader !== 'time') {
    throw new InvalidInputError('custom-connector: metrics CSV must start with a "time" column');
  }
  const series = names.map((name): MetricSeries => {
    const column = columns[name];
    if (!column) throw new InvalidInputError(`custom-connector: metrics CSV has an unknown column "${name}"`);
    return {
      metric: column.metric,
      entity: column.entity,
      labels: column.labels,
      unit: column.unit,
      points: [],
    };
  });
  for (const [index, line] of lines.entries()) {
    const [time = '', ...cells] = line.split(',');
    const at = Date.parse(time);
    if (Number.isNaN(at)) {
      throw new InvalidInputError(`custom-connector: metrics CSV line ${index + 2}: bad time "${time}"`);
    }
    for (const [position, one] of series.entries()) {
      const cell = cells[position]?.trim() ?? '';
      const value = cell === '' ? null : Number(cell);
      if (value !== null && !Number.isFinite(value)) {
        throw new InvalidInputError(`custom-connector: metrics CSV line ${index + 2}: bad number "${cell}"`);
      }
      one.points.push([at, value]);
    }
  }
  return series;
}
