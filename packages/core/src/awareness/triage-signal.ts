import type { Signal } from '../contracts/signal';
import { createAwareness } from './awareness';
import type { AwarenessOptions, TriageResult } from './types';

/** Options of {@link triageSignal}. */
export interface TriageSignalOptions
  extends Omit<
    AwarenessOptions,
    'events' | 'investigate' | 'windowMs' | 'retentionMs' | 'topologyRefreshMs'
  > {
  /** The signal to triage (validated). */
  signal: Signal;
  /** Signals that came before it, ingested first so related alerts and changes count (each validated; malformed ones are skipped). */
  recentSignals?: unknown[];
}

/**
 * Triages one signal, once: scans the topology, places the signal (after `recentSignals`) in its situation,
 * scores it and decides. For one-shot tools such as `aisre triage`; nothing is investigated or escalated.
 * With a file store it reads what feedback taught; without one it uses a fresh memory store.
 *
 * @param options - connectors, the signal, clock, store and any awareness option
 * @throws {@link InvalidInputError} when the signal is malformed.
 */
export async function triageSignal(options: TriageSignalOptions): Promise<TriageResult> {
  const { signal, recentSignals = [], ...awarenessOptions } = options;
  const awareness = createAwareness(awarenessOptions);
  for (const recent of recentSignals) await awareness.ingest(recent);
  const ingested = await awareness.ingest(signal);
  if (ingested.status === 'rejected') throw ingested.error;
  return awareness.triage(ingested.situation.id);
}
