import { z } from 'zod';

/** Incident severity, P1 (most severe) to P5. */
export type Severity = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

/** Every severity, most severe first. */
export const severities: readonly Severity[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** Zod schema of a {@link Severity}. */
export const severitySchema: z.ZodType<Severity> = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);

/** An ISO-8601 timestamp with a timezone, e.g. `2026-03-02T03:00:00Z`. */
export type IsoTime = string;

/** Zod schema of an {@link IsoTime}. */
export const isoTimeSchema: z.ZodType<IsoTime> = z.iso.datetime({ offset: true });

/** A JSON value: what steps, evidence excerpts and reports may carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Zod schema of a {@link JsonValue}. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** String labels, as on alerts and metric series. */
export type Labels = Record<string, string>;

/** Zod schema of {@link Labels}. */
export const labelsSchema: z.ZodType<Labels> = z.record(z.string(), z.string());

/** A half-open time window `[start, end)`, in epoch milliseconds. */
export interface TimeWindow {
  /** Start, epoch milliseconds, inclusive. */
  start: number;
  /** End, epoch milliseconds, exclusive. */
  end: number;
}

/** Zod schema of a {@link TimeWindow}. */
export const timeWindowSchema: z.ZodType<TimeWindow> = z
  .object({ start: z.number().finite(), end: z.number().finite() })
  .refine((window) => window.end >= window.start, { message: 'end must not be before start', path: ['end'] });

/** A structured logger. Connectors and tools log through it; hosts plug their own. */
export interface Logger {
  /** Detail for debugging. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Normal progress. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something odd that did not stop the work. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A source of time. Library code never reads `Date.now()` directly. */
export interface Clock {
  /** Now, in epoch milliseconds. */
  now(): number;
}
