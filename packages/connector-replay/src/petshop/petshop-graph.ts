import { InvalidInputError } from '@aisre/core';
import { splitCsv } from '../csv-text';
import type { LoadResult } from '../types';

/** A call graph: the components, and who calls whom. */
export interface CallGraph {
  /** Every component named in the graph, in file order. */
  components: string[];
  /** `[caller, callee]` pairs. */
  edges: [string, string][];
}

/**
 * Parses a square adjacency matrix CSV: the header row names the columns, each row starts with its
 * component's name, and a `1` in row A, column B means A calls B (`0` or empty: it does not). A cell that is
 * neither, or a row naming an unknown shape, becomes an `InvalidInputError` naming the line and the column;
 * the rest loads.
 *
 * @param text - the file's text
 * @param file - the file name, for error messages
 */
export function parseCallGraphCsv(text: string, file: string): LoadResult<CallGraph> {
  const problems: InvalidInputError[] = [];
  const [header, ...rows] = splitCsv(text);
  const columns = (header?.cells.slice(1) ?? []).map((cell) => cell.trim());
  const components = [...columns];
  const edges: [string, string][] = [];
  for (const row of rows) {
    const caller = row.cells[0]?.trim() ?? '';
    if (caller === '') {
      problems.push(
        new InvalidInputError(
          `connector-replay: ${file}: line ${row.line}: the row has no component name; skipped`,
          {
            issues: [{ path: [file, row.line, 'component'], message: 'empty component name' }],
          },
        ),
      );
      continue;
    }
    if (!components.includes(caller)) components.push(caller);
    row.cells.slice(1).forEach((cell, index) => {
      const value = cell.trim();
      const callee = columns[index];
      if (value === '' || Number(value) === 0) return;
      if (callee === undefined || Number(value) !== 1) {
        problems.push(
          new InvalidInputError(
            `connector-replay: ${file}: line ${row.line}, column ${index + 2}: "${value}" ${callee === undefined ? 'has no header' : 'is not 0 or 1'}; ignored`,
            {
              issues: [
                {
                  path: [file, row.line, `column ${index + 2}`],
                  message: 'expected 0 or 1 under a named column',
                },
              ],
            },
          ),
        );
        return;
      }
      edges.push([caller, callee]);
    });
  }
  return { value: { components, edges }, problems };
}
