import { z } from 'zod';
import {
  type IsoTime,
  isoTimeSchema,
  type JsonValue,
  jsonValueSchema,
  type Labels,
  labelsSchema,
  type Severity,
  severitySchema,
} from './common';
import { type EntityRef, entityRefSchema } from './entity-ref';

/** What kind of thing a {@link Signal} reports. */
export type SignalKind = 'alert' | 'change' | 'deploy' | 'ticket' | 'chat' | 'anomaly';

/** Zod schema of a {@link SignalKind}. */
export const signalKindSchema: z.ZodType<SignalKind> = z.enum([
  'alert',
  'change',
  'deploy',
  'ticket',
  'chat',
  'anomaly',
]);

/** Something that happened: an alert, a deploy, a config change, a ticket, a chat question, an anomaly. */
export interface Signal {
  /** Unique id, stable across re-deliveries of the same occurrence when the source has one. */
  id: string;
  /** Where it came from: `alertmanager`, `mock`, `host`, `slack`, … */
  source: string;
  /** What kind of signal it is. */
  kind: SignalKind;
  /** The entity it is about. */
  entity: EntityRef;
  /** Severity, P1 (most severe) to P5. */
  severity: Severity;
  /** When it happened (for alerts: when it started firing). */
  at: IsoTime;
  /** One line for humans. */
  summary: string;
  /** Labels (alert name, cluster, team, …). */
  labels: Labels;
  /** Source-specific details. */
  payload: Record<string, JsonValue>;
  /** For alerts: firing, or resolved. Absent means firing / not applicable. */
  status?: 'firing' | 'resolved';
  /** A fingerprint for deduplication (defaults to source + kind + entity + labels when absent). */
  fingerprint?: string;
}

/** Zod schema of a {@link Signal}. */
export const signalSchema: z.ZodType<Signal> = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  kind: signalKindSchema,
  entity: entityRefSchema,
  severity: severitySchema,
  at: isoTimeSchema,
  summary: z.string(),
  labels: labelsSchema.default({}),
  payload: z.record(z.string(), jsonValueSchema).default({}),
  status: z.enum(['firing', 'resolved']).optional(),
  fingerprint: z.string().min(1).optional(),
});
