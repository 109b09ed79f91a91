import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createSeverityMapper } from './severity-mapping';

describe('createSeverityMapper', () => {
  it('maps common severity words, P1…P5 and falls back to P3', () => {
    const severityOf = createSeverityMapper();
    expect(severityOf({ severity: 'critical' })).toBe('P1');
    expect(severityOf({ severity: 'Warning' })).toBe('P3');
    expect(severityOf({ severity: 'info' })).toBe('P4');
    expect(severityOf({ severity: 'p2' })).toBe('P2');
    expect(severityOf({ severity: 'whatever' })).toBe('P3');
    expect(severityOf({})).toBe('P3');
  });

  it('reads another label, extra values and another fallback', () => {
    const severityOf = createSeverityMapper({
      label: 'priority',
      values: { sev1: 'P1', warning: 'P4' },
      fallback: 'P5',
    });
    expect(severityOf({ priority: 'SEV1' })).toBe('P1');
    expect(severityOf({ priority: 'warning' })).toBe('P4');
    expect(severityOf({ severity: 'critical' })).toBe('P5');
  });

  it('rejects values that are not severities', () => {
    expect(() => createSeverityMapper({ values: { x: 'P0' as never } })).toThrow(InvalidInputError);
    expect(() => createSeverityMapper({ fallback: 'high' as never })).toThrow(/use one of P1/);
  });
});
