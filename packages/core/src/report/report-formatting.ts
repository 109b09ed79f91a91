import type { JsonValue } from '../contracts/common';

/**
 * Formats a probability as a whole percentage (`0.874` → `87%`); values that round to 0 or 100 but are
 * not exactly that show as `<1%` and `>99%`, so a report never claims certainty it does not have.
 *
 * @param probability - a number in 0..1
 */
export function formatPercent(probability: number): string {
  if (!Number.isFinite(probability)) return 'n/a';
  const percent = probability * 100;
  if (percent > 0 && percent < 0.5) return '<1%';
  if (percent < 100 && percent >= 99.5) return '>99%';
  return `${Math.round(percent)}%`;
}

/**
 * Formats a number compactly and deterministically: three significant digits below 1000
 * (`1.8934` → `1.89`), grouped integers above (`123456.7` → `123,457`).
 *
 * @param value - the number
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}

/**
 * Formats a duration in milliseconds for humans: `850 ms`, `12.4 s`, `3 min`, `2 h 5 min`.
 *
 * @param milliseconds - the duration
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return String(milliseconds);
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return Number.isInteger(minutes) ? `${minutes} min` : `${formatNumber(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes - hours * 60);
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Formats an evidence weight (a log likelihood ratio) with its sign: `+1.39`, `-0.7`, `0`.
 *
 * @param weight - the weight
 */
export function formatWeight(weight: number): string {
  if (weight === 0) return '0';
  const text = formatNumber(weight);
  return weight > 0 ? `+${text}` : text;
}

/**
 * Makes text safe for one cell of a Markdown table: no pipes, no line breaks.
 *
 * @param text - the cell's content
 */
export function escapeTableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Shortens text to at most `length` characters, ending with `…` when it was cut.
 *
 * @param text - the text
 * @param length - the longest result
 */
export function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, Math.max(0, length - 1))}…`;
}

/**
 * Formats citation numbers as `[1][3]` (sorted, without duplicates).
 *
 * @param citations - evidence citation numbers
 */
export function formatCitations(citations: readonly number[]): string {
  return [...new Set(citations)]
    .sort((left, right) => left - right)
    .map((citation) => `[${citation}]`)
    .join('');
}

/**
 * A compact one-line JSON rendering of a value, cut to `length` characters.
 *
 * @param value - any JSON value
 * @param length - the longest result
 */
export function compactJson(value: JsonValue | undefined, length = 80): string {
  if (value === undefined) return '';
  return truncate(JSON.stringify(value) ?? '', length);
}
