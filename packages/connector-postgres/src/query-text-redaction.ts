// Query texts from pg_stat_activity can carry secrets (`ALTER ROLE … PASSWORD '…'`, tokens in literals,
// values in comments). Before a text reaches a tool output, a log record or a report, every string literal,
// dollar-quoted body and comment is replaced by a placeholder and the text is cut to a length.

/** What replaces a string literal or a dollar-quoted body. */
export const redactedLiteral = "'…'";

/** The placeholder that replaces a comment. */
const redactedComment = '/* … */';

const identifierStart = /[A-Za-z_\u0080-\uffff]/;
const identifierPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const dollarTag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** The index just past a quoted run that starts at `start` (a quote), or the end of the text when unterminated. */
function endOfQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (backslashEscapes && char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) {
      if (text[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return text.length;
}

/** The index just past a block comment starting at `start` (comments nest in PostgreSQL). */
function endOfBlockComment(text: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < text.length) {
    if (text.startsWith('/*', index)) {
      depth += 1;
      index += 2;
    } else if (text.startsWith('*/', index)) {
      depth -= 1;
      index += 2;
      if (depth === 0) return index;
    } else {
      index += 1;
    }
  }
  return text.length;
}

/** True when the prefix letters before a quote make it an escape string (`E'…'`, `e'…'`). */
function isEscapeStringPrefix(text: string, quoteIndex: number): boolean {
  const prefix = text[quoteIndex - 1];
  if (prefix !== 'E' && prefix !== 'e') return false;
  const before = text[quoteIndex - 2];
  return before === undefined || !identifierPart.test(before);
}

/**
 * Replaces every string literal (`'…'`, `E'…'`, `U&'…'`, `B'…'`, `X'…'`), dollar-quoted body (`$$…$$`,
 * `$tag$…$tag$`) and comment (`-- …`, `/* … *\/`) of a SQL text by a placeholder. Identifiers, keywords,
 * numbers and parameters (`$1`) are kept, so the statement's shape stays readable. An unterminated literal
 * (a text cut short by `track_activity_query_size`) is redacted to the end.
 *
 * @param sql - a statement text as PostgreSQL reports it
 */
export function redactSqlLiterals(sql: string): string {
  let output = '';
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    if (char === "'") {
      const backslashEscapes = isEscapeStringPrefix(sql, index);
      index = endOfQuoted(sql, index, "'", backslashEscapes);
      output += redactedLiteral;
      continue;
    }
    if (char === '"') {
      const end = endOfQuoted(sql, index, '"', false);
      output += sql.slice(index, end);
      index = end;
      continue;
    }
    if (char === '-' && sql[index + 1] === '-') {
      const newline = sql.indexOf('\n', index);
      index = newline === -1 ? sql.length : newline;
      output += redactedComment;
      continue;
    }
    if (char === '/' && sql[index + 1] === '*') {
      index = endOfBlockComment(sql, index);
      output += redactedComment;
      continue;
    }
    if (char === '$') {
      const previous = sql[index - 1];
      const tag =
        previous !== undefined && identifierPart.test(previous) ? null : dollarTag.exec(sql.slice(index));
      if (tag) {
        const close = sql.indexOf(tag[0], index + tag[0].length);
        index = close === -1 ? sql.length : close + tag[0].length;
        output += redactedLiteral;
        continue;
      }
    }
    if (identifierStart.test(char)) {
      let end = index + 1;
      while (end < sql.length && identifierPart.test(sql[end] as string)) end += 1;
      output += sql.slice(index, end);
      index = end;
      continue;
    }
    output += char;
    index += 1;
  }
  return output;
}

/**
 * Shortens a text to at most `maxLength` characters (an ellipsis marks the cut), after folding runs of
 * white space into one space.
 *
 * @param text - any text
 * @param maxLength - the longest result, at least 2
 */
export function truncateText(text: string, maxLength: number): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > maxLength ? `${folded.slice(0, Math.max(1, maxLength - 1))}…` : folded;
}

/**
 * A statement text safe to show: literals and comments redacted, white space folded, cut to `maxLength`.
 * `null` (no statement, or hidden from a role without `pg_read_all_stats`) stays `null`.
 *
 * @param sql - the `query` column of pg_stat_activity
 * @param maxLength - the longest result
 */
export function safeQueryText(sql: string | null, maxLength: number): string | null {
  if (sql === null) return null;
  return truncateText(redactSqlLiterals(sql), maxLength);
}
