import type { Signal } from '../contracts/signal';
import type { SignalDelivery } from './types';

/** What the ledger knows of one fingerprint. */
export interface LedgerEntry {
  /** The fingerprint. */
  fingerprint: string;
  /** The situation its occurrence is in. */
  situationId: string;
  /** Its latest status. */
  status: 'firing' | 'resolved';
  /** The latest time it carried, epoch milliseconds. */
  lastAt: number;
  /** Deliveries received. */
  deliveries: number;
  /** Times it went from resolved back to firing. */
  flaps: number;
}

/** How a delivery relates to what the ledger knew. */
export type LedgerVerdict = { kind: 'new' } | { kind: SignalDelivery; entry: LedgerEntry };

/**
 * Deduplication by fingerprint: tells a new occurrence from a re-delivery, a resolution or a flap, and counts
 * deliveries and flaps. A firing signal long after the last one (more than the window) is a new occurrence.
 */
export class SignalLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #windowMs: number;

  /** @param windowMs - how long after its last delivery a fingerprint still flaps rather than recurs */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Classifies a delivery and records it (a `new` verdict is recorded by {@link SignalLedger.open}). */
  observe(signal: Signal, fingerprint: string): LedgerVerdict {
    const entry = this.#entries.get(fingerprint);
    if (!entry) return { kind: 'new' };
    const status = signal.status ?? 'firing';
    const at = Date.parse(signal.at);
    const gap = at - entry.lastAt;
    let kind: SignalDelivery;
    if (status === entry.status) {
      if (status === 'firing' && gap > this.#windowMs) return { kind: 'new' };
      kind = 'redelivery';
    } else if (status === 'resolved') kind = 'resolved';
    else {
      if (gap > this.#windowMs) return { kind: 'new' };
      kind = 'flap';
      entry.flaps++;
    }
    entry.deliveries++;
    entry.status = status;
    entry.lastAt = Math.max(entry.lastAt, at);
    return { kind, entry };
  }

  /** Records a new occurrence in a situation. */
  open(signal: Signal, fingerprint: string, situationId: string): LedgerEntry {
    const entry: LedgerEntry = {
      fingerprint,
      situationId,
      status: signal.status ?? 'firing',
      lastAt: Date.parse(signal.at),
      deliveries: 1,
      flaps: 0,
    };
    this.#entries.set(fingerprint, entry);
    return entry;
  }

  /** The entry of a fingerprint. */
  entry(fingerprint: string): LedgerEntry | undefined {
    return this.#entries.get(fingerprint);
  }

  /** Points the entries of merged situations at the one they merged into. */
  move(from: string, to: string): void {
    for (const entry of this.#entries.values()) if (entry.situationId === from) entry.situationId = to;
  }

  /** Forgets entries whose situation is gone. */
  retain(situationIds: ReadonlySet<string>): void {
    for (const [fingerprint, entry] of this.#entries)
      if (!situationIds.has(entry.situationId)) this.#entries.delete(fingerprint);
  }
}
