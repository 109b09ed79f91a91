import { formatInputIssues, InvalidInputError, type JsonValue, toInputIssues } from '@aisre/core';
import { z } from 'zod';
import { type AlertOccurrence, alertSignal } from './alert-signal';
import { moduleName } from './module-name';
import { resolveMapping } from './prometheus-settings';
import type { SeverityMapper } from './severity-mapping';
import type { AlertmanagerWebhookOptions, EntityMapper, WebhookConversion, WebhookProblem } from './types';

const labelsSchema = z.record(z.string(), z.string());
const timeSchema = z
  .string()
  .refine((text) => Number.isFinite(Date.parse(text)), 'expected an RFC 3339 time');

/** One alert of a version 4 payload: the fields the receiver reads (others pass). */
const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelsSchema,
  annotations: labelsSchema.optional(),
  startsAt: timeSchema,
  endsAt: timeSchema.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{1,16}$/, 'expected up to 16 hex digits')
    .optional(),
});

/** The envelope of a version 4 payload; alerts are checked one by one. */
const webhookEnvelopeSchema = z.looseObject({
  version: z.literal('4', { error: 'expected version "4" (Alertmanager 0.x webhook payload)' }),
  status: z.string().optional(),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  alerts: z.array(z.unknown()),
});

/** Alertmanager's "not set" time: an alert still firing has this `endsAt`. */
const zeroTime = Date.parse('0001-01-01T00:00:00Z');

function decode(body: unknown): unknown {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(
        `${moduleName}: the Alertmanager webhook body is not JSON: point a webhook_configs receiver at this endpoint`,
        { issues: [{ path: [], message: 'expected a JSON object' }], cause: error },
      );
    }
  }
  return body;
}

/**
 * Turns an Alertmanager webhook payload (version 4) into signals, one per alert, firing and resolved alike,
 * without side effects. A malformed alert becomes a problem naming its index and field; the others still
 * become signals. A `fingerprint` missing from an alert is computed as Alertmanager does.
 *
 * @param body - the parsed JSON body, or its raw text
 * @param options - entity and severity mapping, the signals' source
 * @throws InvalidInputError when the payload as a whole is unusable (not JSON, not an object, no `alerts`,
 *   another version)
 */
export function parseAlertmanagerWebhook(
  body: unknown,
  options: AlertmanagerWebhookOptions = {},
): WebhookConversion {
  return convertWebhook(body, { source: options.source ?? 'alertmanager', ...resolveMapping(options) });
}

/** {@link parseAlertmanagerWebhook} with the mapping already resolved (the receiver's hot path). */
export function convertWebhook(
  body: unknown,
  settings: { source: string; entities: EntityMapper; severityOf: SeverityMapper },
): WebhookConversion {
  const envelope = webhookEnvelopeSchema.safeParse(decode(body));
  if (!envelope.success) {
    const issues = toInputIssues(envelope.error);
    throw new InvalidInputError(
      `${moduleName}: the Alertmanager webhook payload is invalid: ${formatInputIssues(issues)}: send Alertmanager's webhook payload (version 4)`,
      { issues, cause: envelope.error },
    );
  }
  const { alerts, ...group } = envelope.data;
  const context: Record<string, JsonValue> = {};
  for (const key of ['receiver', 'groupKey', 'externalURL'] as const) {
    const value = group[key];
    if (typeof value === 'string') context[key] = value;
  }
  const problems: WebhookProblem[] = [];
  const signals = alerts.flatMap((raw, index) => {
    const parsed = webhookAlertSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({
        index,
        message: `alerts[${index}]: ${formatInputIssues(toInputIssues(parsed.error))}`,
      });
      return [];
    }
    const alert = parsed.data;
    const endsAt = alert.endsAt === undefined ? undefined : Date.parse(alert.endsAt);
    const occurrence: AlertOccurrence = {
      labels: alert.labels,
      annotations: alert.annotations ?? {},
      startsAt: Date.parse(alert.startsAt),
      status: alert.status,
      ...(alert.fingerprint ? { fingerprint: alert.fingerprint.padStart(16, '0') } : {}),
      payload: {
        ...context,
        ...(endsAt !== undefined && endsAt > zeroTime ? { endsAt: new Date(endsAt).toISOString() } : {}),
        ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
      },
    };
    const signal = alertSignal(occurrence, settings.source, settings);
    if (!signal) {
      problems.push({
        index,
        message: `alerts[${index}]: no entity rule applies to its labels (${Object.keys(alert.labels).join(', ')}): add a template that does`,
      });
      return [];
    }
    return [signal];
  });
  return { signals, problems, truncatedAlerts: group.truncatedAlerts ?? 0 };
}
