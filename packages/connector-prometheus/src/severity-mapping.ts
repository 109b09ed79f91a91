import { InvalidInputError, type Labels, type Severity, severitySchema } from '@aisre/core';
import { moduleName } from './module-name';
import type { SeverityMappingOptions } from './types';

/** The default severities of common `severity` label values (case-insensitive). */
export const defaultSeverities: Readonly<Record<string, Severity>> = Object.freeze({
  critical: 'P1',
  page: 'P1',
  emergency: 'P1',
  high: 'P2',
  error: 'P2',
  major: 'P2',
  warning: 'P3',
  warn: 'P3',
  medium: 'P3',
  moderate: 'P3',
  minor: 'P4',
  low: 'P4',
  info: 'P4',
  informational: 'P4',
  notice: 'P4',
  none: 'P5',
  debug: 'P5',
});

/** Reads an alert's severity from its labels. */
export type SeverityMapper = (labels: Labels) => Severity;

/**
 * Builds the severity mapping from its options. Throws an `InvalidInputError` for a value that is not a
 * severity (`P1`…`P5`).
 *
 * @param options - the label, the value table and the fallback
 */
export function createSeverityMapper(options: SeverityMappingOptions = {}): SeverityMapper {
  const label = options.label ?? 'severity';
  const table = new Map<string, Severity>();
  for (const [value, severity] of Object.entries({ ...defaultSeverities, ...options.values })) {
    if (!severitySchema.safeParse(severity).success) {
      throw new InvalidInputError(
        `${moduleName}: severity.values.${value} is "${String(severity)}": use one of P1, P2, P3, P4, P5`,
        { issues: [{ path: ['severity', 'values', value], message: 'expected P1..P5' }] },
      );
    }
    table.set(value.toLowerCase(), severity);
  }
  const fallback = options.fallback ?? 'P3';
  if (!severitySchema.safeParse(fallback).success) {
    throw new InvalidInputError(
      `${moduleName}: severity.fallback is "${String(fallback)}": use one of P1…P5`,
      {
        issues: [{ path: ['severity', 'fallback'], message: 'expected P1..P5' }],
      },
    );
  }
  return (labels) => {
    const value = labels[label]?.trim().toLowerCase();
    if (!value) return fallback;
    const direct = value.toUpperCase();
    if (/^P[1-5]$/.test(direct)) return direct as Severity;
    return table.get(value) ?? fallback;
  };
}
