/** A piece of a terminal line and how to style it. */
export interface Segment {
  /** The text, without escape codes. */
  text: string;
  /** The style, when any. */
  style?: Style;
}

/** The styles the live view uses. */
export type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan';

const codes: Record<Style, [string, string]> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
};

/**
 * Joins segments into one line of at most `columns` visible characters, styled with ANSI codes when
 * `color` is true. Lines never wrap, so a redraw can move the cursor back over them exactly.
 *
 * @param segments - the pieces of the line
 * @param columns - the terminal width
 * @param color - whether to emit ANSI styles
 */
export function fitLine(segments: readonly Segment[], columns: number, color: boolean): string {
  let room = Math.max(1, columns - 1);
  let line = '';
  for (const segment of segments) {
    if (room <= 0) break;
    const chars = Array.from(segment.text);
    const text = chars.length > room ? `${chars.slice(0, Math.max(0, room - 1)).join('')}…` : segment.text;
    room -= Math.min(chars.length, room);
    const style = segment.style;
    line += color && style ? `${codes[style][0]}${text}${codes[style][1]}` : text;
  }
  return line;
}

/**
 * A horizontal bar of `width` cells filled to `fraction` (`████░░░░`).
 *
 * @param fraction - 0..1 (clamped)
 * @param width - cells
 */
export function bar(fraction: number, width: number): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(clamped * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * Pads or cuts text to exactly `width` visible characters.
 *
 * @param text - the text
 * @param width - the width
 * @param align - `left` pads on the right, `right` on the left
 */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = Array.from(text);
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  const fill = ' '.repeat(width - chars.length);
  return align === 'left' ? `${text}${fill}` : `${fill}${text}`;
}

/**
 * Lays rows out as a plain-text table with a header and aligned columns.
 *
 * @param header - the column titles
 * @param rows - the cells
 * @param align - per column, `right` for numbers (default `left`)
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string[] {
  const widths = header.map((title, column) =>
    Math.max(Array.from(title).length, ...rows.map((row) => Array.from(row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column] ?? 0, align[column] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)];
}

/**
 * Formats a fraction as a whole percentage (`0.874` → `87%`).
 *
 * @param fraction - 0..1
 */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
