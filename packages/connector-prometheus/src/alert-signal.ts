import type { JsonValue, Labels, Signal } from '@aisre/core';
import { labelsFingerprint } from './label-fingerprint';
import type { SeverityMapper } from './severity-mapping';
import type { EntityMapper } from './types';

/** An alert as both Prometheus and Alertmanager describe it. */
export interface AlertOccurrence {
  /** Its labels (`alertname` included). */
  labels: Labels;
  /** Its annotations (`summary`, `description`, `runbook_url`, …). */
  annotations: Labels;
  /** When it started firing, epoch milliseconds. */
  startsAt: number;
  /** Firing, or resolved. */
  status: 'firing' | 'resolved';
  /** Its fingerprint when the source gave one (Alertmanager does); else the hash of its labels. */
  fingerprint?: string;
  /** Source-specific details. */
  payload: Record<string, JsonValue>;
}

/**
 * The one-line summary: the `summary` annotation, else `description` or `message` (first line), else
 * `alertname on entity`.
 */
function summaryOf(occurrence: AlertOccurrence, entity: string): string {
  const { annotations } = occurrence;
  const text = annotations.summary ?? annotations.description ?? annotations.message;
  const line = text?.split('\n')[0]?.trim();
  if (line) return line.length > 300 ? `${line.slice(0, 299)}…` : line;
  return `${occurrence.labels.alertname ?? 'alert'} on ${entity}`;
}

/**
 * Turns an alert into a {@link Signal}: entity and severity from the mappings (an alert no rule maps is
 * about `alert:default/<alertname>` when the templates allow it, else undefined is returned), `at` the time
 * it started firing, `fingerprint` the Alertmanager fingerprint, and an id stable across re-deliveries of
 * the same occurrence and status: `<source>:<fingerprint>:<startsAt ms>:<status>`.
 *
 * @param occurrence - the alert
 * @param source - the signal's source (`alertmanager`, `prometheus`)
 * @param mapping - the entity and severity mappers
 */
export function alertSignal(
  occurrence: AlertOccurrence,
  source: string,
  mapping: { entities: EntityMapper; severityOf: SeverityMapper },
): Signal | undefined {
  const entity = mapping.entities.entityOf(occurrence.labels);
  if (!entity) return undefined;
  const fingerprint = occurrence.fingerprint ?? labelsFingerprint(occurrence.labels);
  const at = new Date(occurrence.startsAt).toISOString();
  return {
    id: `${source}:${fingerprint}:${occurrence.startsAt}:${occurrence.status}`,
    source,
    kind: 'alert',
    entity,
    severity: mapping.severityOf(occurrence.labels),
    at,
    summary: summaryOf(occurrence, entity),
    labels: { ...occurrence.labels },
    payload: { annotations: { ...occurrence.annotations }, ...occurrence.payload },
    status: occurrence.status,
    fingerprint,
  };
}
