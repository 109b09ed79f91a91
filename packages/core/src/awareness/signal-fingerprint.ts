import type { Signal } from '../contracts/signal';
import { digestOf } from '../investigation/canonical-json';

/** Signal kinds whose every occurrence is distinct (their id is part of the default fingerprint). */
const occurrenceKinds = new Set<Signal['kind']>(['change', 'deploy', 'ticket', 'chat']);

/**
 * The deduplication key of a signal: its own `fingerprint` when the source gave one, otherwise a stable hash
 * (SHA-256 of canonical JSON) of source, kind, entity and labels (sorted). Alerts and anomalies with the same
 * labels are the same thing firing again; deploys, changes, tickets and chat messages are distinct
 * occurrences, so their id is hashed too (a re-delivery keeps its id).
 *
 * @param signal - a validated signal
 */
export function fingerprintOf(signal: Signal): string {
  if (signal.fingerprint) return signal.fingerprint;
  return `fp-${digestOf({
    source: signal.source,
    kind: signal.kind,
    entity: signal.entity,
    labels: signal.labels,
    ...(occurrenceKinds.has(signal.kind) ? { id: signal.id } : {}),
  }).slice(0, 16)}`;
}
