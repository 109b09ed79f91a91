import type { ScenarioTraffic } from '../types';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Hours from the quiet point of the night to the peak: traffic rises for this long and falls for the rest of the day. */
export const riseHours = 9;

function parseTimeOfDay(text: string | undefined, fallback: number): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text ?? '');
  return match ? Number(match[1]) + Number(match[2]) / 60 : fallback;
}

function ease(fraction: number): number {
  const half = (1 - Math.cos(Math.PI * fraction)) / 2;
  return half * half;
}

/**
 * The outside-traffic multiplier at `epochMs`: 1 for `flat`; for `diurnal` a smooth daily curve from 1 at
 * the quietest point (9 hours before `peakAt`) to `peakMultiplier` at `peakAt`, falling back over the
 * remaining 15 hours.
 */
export function trafficMultiplier(traffic: ScenarioTraffic | undefined, epochMs: number): number {
  if (!traffic || traffic.pattern === 'flat') return 1;
  const peak = traffic.peakMultiplier ?? 10;
  const peakHour = parseTimeOfDay(traffic.peakAt, 14);
  const hourOfDay = (((epochMs % dayMs) + dayMs) % dayMs) / hourMs;
  const sincePeak = (((hourOfDay - peakHour) % 24) + 24) % 24;
  const fallHours = 24 - riseHours;
  const level =
    sincePeak <= fallHours ? ease(1 - sincePeak / fallHours) : ease((sincePeak - fallHours) / riseHours);
  return 1 + (peak - 1) * level;
}
