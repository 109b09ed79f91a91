import type { JsonValue } from '../contracts/common';
import { escapeHtml } from './html-escape';
import { formatNumber } from './report-formatting';

/** A series to draw: a name and its `[epoch ms, value | null]` points. */
export interface ChartSeries {
  /** What the line is (the metric and the labels that tell it apart). */
  name: string;
  /** Points in time order; `null` breaks the line. */
  points: [number, number | null][];
}

type JsonObject = { [key: string]: JsonValue };

const width = 560;
const height = 150;
const margin = { left: 56, right: 12, top: 10, bottom: 22 };
const palette = ['#2563eb', '#dc2626', '#059669', '#d97706'];
/** Lines drawn per chart, and points per line (longer series are thinned evenly, keeping the ends). */
const maxSeries = palette.length;
const maxPoints = 240;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asPoints(value: JsonValue | undefined): [number, number | null][] | undefined {
  if (!Array.isArray(value)) return undefined;
  const points: [number, number | null][] = [];
  for (const point of value) {
    if (!Array.isArray(point) || point.length !== 2) return undefined;
    const [at, reading] = point;
    if (typeof at !== 'number' || (reading !== null && typeof reading !== 'number')) return undefined;
    points.push([at, reading]);
  }
  return points;
}

function seriesName(series: JsonObject): string {
  const metric = typeof series.metric === 'string' ? series.metric : 'series';
  const labels = isObject(series.labels)
    ? Object.entries(series.labels)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([key, value]) => `${key}="${value}"`)
    : [];
  return labels.length > 0 ? `${metric}{${labels.join(',')}}` : metric;
}

/**
 * The metric series in a step's output (a `metrics.range` answer: objects with `metric`, `labels` and
 * `points`), at most four of them; none when the output is something else.
 *
 * @param output - a step's recorded output
 */
export function chartSeriesOf(output: JsonValue | undefined): ChartSeries[] {
  if (!Array.isArray(output)) return [];
  const series: ChartSeries[] = [];
  for (const item of output) {
    if (!isObject(item)) return [];
    const points = asPoints(item.points);
    if (!points) return [];
    if (points.some(([, value]) => value !== null)) series.push({ name: seriesName(item), points });
    if (series.length === maxSeries) break;
  }
  return series;
}

function thinned(points: [number, number | null][]): [number, number | null][] {
  if (points.length <= maxPoints) return points;
  const stride = (points.length - 1) / (maxPoints - 1);
  return Array.from(
    { length: maxPoints },
    (_, index) => points[Math.round(index * stride)] as [number, number | null],
  );
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function timeLabel(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 16);
}

/**
 * Draws series as a self-contained SVG line chart: value axis with its extremes, time axis in UTC, and a
 * dashed marker at `markAt` (the alert) when it falls inside the window. Deterministic: the same series give
 * the same markup. Names are escaped.
 *
 * @param series - the series (from {@link chartSeriesOf})
 * @param markAt - epoch milliseconds to mark, or undefined
 */
export function renderEvidenceChart(series: readonly ChartSeries[], markAt: number | undefined): string {
  const drawn = series.map((line) => ({ name: line.name, points: thinned(line.points) }));
  const times = drawn.flatMap((line) => line.points.map(([at]) => at));
  const values = drawn.flatMap((line) =>
    line.points.flatMap(([, value]) => (value === null || !Number.isFinite(value) ? [] : [value])),
  );
  if (times.length === 0 || values.length === 0) return '';
  const start = Math.min(...times);
  const end = Math.max(...times);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high === low) {
    const pad = Math.abs(high) > 0 ? Math.abs(high) * 0.1 : 1;
    low -= pad;
    high += pad;
  }
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (at: number) =>
    margin.left + (end === start ? plotWidth / 2 : ((at - start) / (end - start)) * plotWidth);
  const y = (value: number) => margin.top + (1 - (value - low) / (high - low)) * plotHeight;

  const paths = drawn.map((line, index) => {
    let d = '';
    let pen = 'M';
    for (const [at, value] of line.points) {
      if (value === null || !Number.isFinite(value)) {
        pen = 'M';
        continue;
      }
      d += `${pen}${round(x(at))} ${round(y(value))}`;
      pen = 'L';
    }
    return `<path d="${d}" fill="none" stroke="${palette[index % palette.length]}" stroke-width="1.5"><title>${escapeHtml(line.name)}</title></path>`;
  });
  const bottom = margin.top + plotHeight;
  const parts = [
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(drawn.map((line) => line.name).join(', '))}">`,
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="#f8fafc" stroke="#cbd5e1"/>`,
    `<text x="${margin.left - 4}" y="${margin.top + 8}" text-anchor="end">${escapeHtml(formatNumber(high))}</text>`,
    `<text x="${margin.left - 4}" y="${bottom}" text-anchor="end">${escapeHtml(formatNumber(low))}</text>`,
    `<text x="${margin.left}" y="${height - 6}">${timeLabel(start)}</text>`,
    `<text x="${width - margin.right}" y="${height - 6}" text-anchor="end">${timeLabel(end)} UTC</text>`,
  ];
  if (markAt !== undefined && markAt >= start && markAt <= end) {
    const at = round(x(markAt));
    parts.push(
      `<line x1="${at}" x2="${at}" y1="${margin.top}" y2="${bottom}" stroke="#7c3aed" stroke-dasharray="4 3"/>`,
      `<text x="${at}" y="${margin.top + 8}" text-anchor="${x(markAt) > width - margin.right - 20 ? 'end' : 'middle'}" fill="#7c3aed">alert</text>`,
    );
  }
  parts.push(...paths, '</svg>');
  const legend = drawn
    .map(
      (line, index) =>
        `<span class="legend"><i style="background:${palette[index % palette.length]}"></i>${escapeHtml(line.name)}</span>`,
    )
    .join('');
  return `<figure>${parts.join('')}<figcaption>${legend}</figcaption></figure>`;
}
