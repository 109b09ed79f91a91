import { InvalidInputError, type MetricPoint } from '@aisre/core';
import { splitCsv } from './csv-text';
import { parseTimestamp, parseValue } from './time-values';
import type { LoadResult } from './types';

/** One value column of a wide CSV table: what its header rows say about it, and its points. */
export interface WideColumn {
  /** The header attributes, by the header row's name (`{ microservice: 'PetSite', metric: 'latency' }`). */
  header: Record<string, string>;
  /** Its points in time order (empty cells are `null`). */
  points: MetricPoint[];
}

/** A wide CSV table: one timestamp column, then one column per series. */
export interface WideTable {
  /** The names of the header rows, in order. */
  headerNames: string[];
  /** The value columns, in file order. */
  columns: WideColumn[];
}

/** Options of {@link parseWideCsv}. */
export interface WideCsvOptions {
  /** The file name, for error messages. */
  file: string;
  /** The header attributes that identify a column (default: every header row). Columns are aligned on them. */
  keyNames?: string[];
}

function problem(message: string, path: (string | number)[]): InvalidInputError {
  return new InvalidInputError(`connector-replay: ${message}`, { issues: [{ path, message }] });
}

/**
 * Parses a wide CSV table: leading header rows whose first cell names the attribute they give each column
 * (`microservice,PetSite,…` / `metric,latency,…` / `statistic,p99,…`), then data rows starting with a
 * timestamp (Unix seconds or milliseconds, or ISO). A header row with only empty cells (`unix_timestamp,,,`)
 * is a label and is ignored. Empty cells are missing values.
 *
 * Bad input does not stop the load: a row whose timestamp cannot be read, a non-numeric cell, a row longer
 * than the header or a duplicate column each become an `InvalidInputError` naming the file, the line and the
 * column, and everything else loads.
 *
 * @param text - the file's text
 * @param options - the file name and the key attributes
 */
export function parseWideCsv(text: string, options: WideCsvOptions): LoadResult<WideTable> {
  const problems: InvalidInputError[] = [];
  const rows = splitCsv(text);
  let headerEnd = 0;
  while (headerEnd < rows.length && parseTimestamp(rows[headerEnd]?.cells[0] ?? '') === undefined)
    headerEnd++;
  const headers = rows
    .slice(0, headerEnd)
    .filter((row) => row.cells.slice(1).some((cell) => cell.trim() !== ''));
  const headerNames = headers.map((row, index) => row.cells[0]?.trim() || `header${index + 1}`);
  const keyNames = options.keyNames ?? headerNames;
  const width = Math.max(0, ...headers.map((row) => row.cells.length)) - 1;
  const columns: (WideColumn | undefined)[] = [];
  const seen = new Map<string, number>();
  for (let index = 0; index < width; index++) {
    const header: Record<string, string> = {};
    headers.forEach((row, rowIndex) => {
      const value = row.cells[index + 1]?.trim() ?? '';
      if (value !== '') header[headerNames[rowIndex] as string] = value;
    });
    const key = JSON.stringify(keyNames.map((name) => header[name] ?? ''));
    if (keyNames.some((name) => header[name] === undefined)) {
      problems.push(
        problem(
          `${options.file}: column ${index + 2} lacks ${keyNames.filter((name) => header[name] === undefined).join(', ')}; skipped`,
          [options.file, `column ${index + 2}`],
        ),
      );
      columns.push(undefined);
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(
        problem(
          `${options.file}: column ${index + 2} repeats column ${earlier + 2} (${keyNames.map((name) => header[name]).join(' / ')}); skipped`,
          [options.file, `column ${index + 2}`],
        ),
      );
      columns.push(undefined);
      continue;
    }
    seen.set(key, index);
    columns.push({ header, points: [] });
  }
  for (const row of rows.slice(headerEnd)) {
    const at = parseTimestamp(row.cells[0] ?? '');
    if (at === undefined) {
      problems.push(
        problem(
          `${options.file}: line ${row.line}: timestamp "${row.cells[0] ?? ''}" is not Unix seconds, milliseconds or an ISO time; row skipped`,
          [options.file, row.line, 'timestamp'],
        ),
      );
      continue;
    }
    if (row.cells.length - 1 > width) {
      problems.push(
        problem(
          `${options.file}: line ${row.line}: ${row.cells.length - 1} values for ${width} columns; the extra ones are ignored`,
          [options.file, row.line],
        ),
      );
    }
    columns.forEach((column, index) => {
      if (!column) return;
      const cell = row.cells[index + 1] ?? '';
      let value = parseValue(cell);
      if (value === undefined) {
        problems.push(
          problem(
            `${options.file}: line ${row.line}, column ${index + 2} (${Object.values(column.header).join(' / ')}): "${cell}" is not a number; read as missing`,
            [options.file, row.line, `column ${index + 2}`],
          ),
        );
        value = null;
      }
      column.points.push([at, value]);
    });
  }
  const kept = columns.filter((column): column is WideColumn => column !== undefined);
  for (const column of kept) column.points.sort((a, b) => a[0] - b[0]);
  return { value: { headerNames, columns: kept }, problems };
}
