/**
 * Reads a timestamp cell: Unix seconds (`1681855320.0`), Unix milliseconds (13 digits or more) or an ISO
 * time. Returns epoch milliseconds, or `undefined` when it is none of those.
 *
 * @param text - the cell
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) {
    const number = Number(trimmed);
    if (!Number.isFinite(number)) return undefined;
    return Math.abs(number) >= 1e12 ? Math.round(number) : Math.round(number * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const parsed = Date.parse(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Reads a value cell: a finite number, `null` for an empty cell (a missing value), or `undefined` when the
 * cell is not a number.
 *
 * @param text - the cell
 */
export function parseValue(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /^(nan|null|na)$/i.test(trimmed)) return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}
