/** One row of a CSV file: its cells and its 1-based line number (for error messages). */
export interface CsvRow {
  /** The cells, unquoted. */
  cells: string[];
  /** The line the row starts on, 1-based. */
  line: number;
}

/**
 * Splits CSV text into rows of cells (RFC 4180: `"` quotes, `""` escapes a quote, quoted fields may hold
 * commas and line breaks). Blank lines are skipped; `\r\n` and `\n` both end a row.
 *
 * @param text - the file's text
 */
export function splitCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let rowHasContent = false;
  const endRow = () => {
    cells.push(cell);
    if (rowHasContent || cells.length > 1 || cell !== '') rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
    rowHasContent = false;
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index++;
        } else quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') {
      quoted = true;
      rowHasContent = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      rowHasContent = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      endRow();
      line++;
      rowLine = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
