import { describe, expect, it } from 'vitest';
import { describeDuration, parseDuration, parseIsoTime, resolveTimeReference } from './duration';

describe('durations and time references', () => {
  it('parses durations in s, m, h and d', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('60m')).toBe(3_600_000);
    expect(parseDuration('3h')).toBe(10_800_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    for (const bad of ['3', 'h', '1.5h', '3 h', '-3h', '1w', '']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('resolves offsets and ISO times', () => {
    const start = Date.parse('2026-03-02T01:00:00Z');
    expect(resolveTimeReference('+100m', start)).toBe(start + 6_000_000);
    expect(resolveTimeReference('2026-03-02T02:00:00+01:00', start)).toBe(start);
    expect(resolveTimeReference('60m', start)).toBeUndefined();
    expect(parseIsoTime('2026-03-02')).toBeUndefined();
    expect(parseIsoTime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseIsoTime('2028-02-29T00:00:00Z')).toBeDefined();
  });

  it('describes durations compactly', () => {
    expect(describeDuration(45_000)).toBe('45s');
    expect(describeDuration(12 * 60_000)).toBe('12m');
    expect(describeDuration(185 * 60_000)).toBe('3h05m');
  });
});
