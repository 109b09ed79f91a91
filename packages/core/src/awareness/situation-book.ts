import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import { digestOf } from '../investigation/canonical-json';
import type { SystemProximity } from './system-proximity';
import type { SignalDelivery, Situation, TriageResult } from './types';

/** The mutable state of a situation; {@link SituationBook.snapshot} gives hosts a copy. */
export interface SituationState {
  /** Id. */
  id: string;
  /** Time of the first signal, epoch ms. */
  openedAt: number;
  /** Time of the latest signal, epoch ms. */
  lastAt: number;
  /** Latest delivery of each fingerprint. */
  signals: Map<string, Signal>;
  /** Deliveries, re-deliveries included. */
  deliveries: number;
  /** Flaps back to firing. */
  flaps: number;
  /** Flaps back to firing of each fingerprint that flapped. */
  flapsByFingerprint: Map<string, number>;
  /** Latest triage. */
  triage?: TriageResult;
  /** When it was escalated, epoch ms. */
  escalatedAt?: number;
}

/** Where a new signal was placed. */
export interface Placement {
  /** The situation it is in. */
  state: SituationState;
  /** True when it opened a new situation. */
  opened: boolean;
  /** Situations merged into this one because the signal bridged them. */
  absorbed: string[];
}

const isAlert = (signal: Signal) => signal.kind === 'alert' || signal.kind === 'anomaly';

/**
 * The situations: groups of signals within `hops` of each other in the system graph (ignoring direction)
 * and within `windowMs` in time. A signal close to several situations merges them into the oldest.
 */
export class SituationBook {
  readonly #states = new Map<string, SituationState>();
  readonly #aliases = new Map<string, string>();
  readonly #windowMs: number;
  readonly #hops: number;

  /**
   * @param windowMs - how close in time signals of one situation are
   * @param hops - how close in the graph
   */
  constructor(windowMs: number, hops: number) {
    this.#windowMs = windowMs;
    this.#hops = hops;
  }

  /** Places a new occurrence: in the situation it is close to, or in a new one. */
  place(signal: Signal, fingerprint: string, proximity: SystemProximity): Placement {
    const at = Date.parse(signal.at);
    const near = proximity.neighbourhood(signal.entity, this.#hops);
    const candidates = [...this.#states.values()]
      .filter(
        (state) =>
          at >= state.openedAt - this.#windowMs &&
          at <= state.lastAt + this.#windowMs &&
          [...state.signals.values()].some((member) => near.has(member.entity)),
      )
      .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
    const [survivor, ...others] = candidates;
    if (!survivor) {
      const state: SituationState = {
        id: `sit-${digestOf([fingerprint, signal.at]).slice(0, 12)}`,
        openedAt: at,
        lastAt: at,
        signals: new Map([[fingerprint, signal]]),
        deliveries: 1,
        flaps: 0,
        flapsByFingerprint: new Map(),
      };
      this.#states.set(state.id, state);
      return { state, opened: true, absorbed: [] };
    }
    for (const other of others) {
      for (const [key, member] of other.signals) survivor.signals.set(key, member);
      survivor.openedAt = Math.min(survivor.openedAt, other.openedAt);
      survivor.lastAt = Math.max(survivor.lastAt, other.lastAt);
      survivor.deliveries += other.deliveries;
      survivor.flaps += other.flaps;
      for (const [key, count] of other.flapsByFingerprint)
        survivor.flapsByFingerprint.set(key, (survivor.flapsByFingerprint.get(key) ?? 0) + count);
      if (other.escalatedAt !== undefined && survivor.escalatedAt === undefined)
        survivor.escalatedAt = other.escalatedAt;
      this.#states.delete(other.id);
      this.#aliases.set(other.id, survivor.id);
      for (const [alias, target] of this.#aliases)
        if (target === other.id) this.#aliases.set(alias, survivor.id);
    }
    survivor.signals.set(fingerprint, signal);
    survivor.openedAt = Math.min(survivor.openedAt, at);
    survivor.lastAt = Math.max(survivor.lastAt, at);
    survivor.deliveries++;
    return { state: survivor, opened: false, absorbed: others.map((other) => other.id) };
  }

  /** Records another delivery of a known fingerprint in its situation. */
  redeliver(
    id: string,
    signal: Signal,
    fingerprint: string,
    delivery: SignalDelivery,
  ): SituationState | undefined {
    const state = this.state(id);
    if (!state) return undefined;
    state.deliveries++;
    if (delivery === 'redelivery') return state;
    if (delivery === 'flap') {
      state.flaps++;
      state.flapsByFingerprint.set(fingerprint, (state.flapsByFingerprint.get(fingerprint) ?? 0) + 1);
    }
    state.signals.set(fingerprint, signal);
    state.lastAt = Math.max(state.lastAt, Date.parse(signal.at));
    return state;
  }

  /** A situation's state by id, following merges. */
  state(id: string): SituationState | undefined {
    return this.#states.get(this.#aliases.get(id) ?? id);
  }

  /** Every situation's state, oldest first. */
  states(): SituationState[] {
    return [...this.#states.values()].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
  }

  /** Forgets situations whose last signal is before `before`; returns the ids kept. */
  prune(before: number): Set<string> {
    for (const [id, state] of this.#states) if (state.lastAt < before) this.#states.delete(id);
    for (const [alias, target] of this.#aliases) if (!this.#states.has(target)) this.#aliases.delete(alias);
    return new Set(this.#states.keys());
  }

  /** A copy of a situation for hosts. */
  snapshot(state: SituationState): Situation {
    const ordered = [...state.signals.entries()].sort(
      ([, a], [, b]) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const signals = ordered.map(([, signal]) => signal);
    const alerts = signals.filter(isAlert);
    const flaps = ordered.map(([fingerprint]) => state.flapsByFingerprint.get(fingerprint) ?? 0);
    const primary = primarySignal(signals, flaps);
    return {
      id: state.id,
      status: alerts.length > 0 && alerts.every((alert) => alert.status === 'resolved') ? 'resolved' : 'open',
      openedAt: new Date(state.openedAt).toISOString(),
      lastSignalAt: new Date(state.lastAt).toISOString(),
      severity: primary.severity,
      primary,
      signals: signals.map((signal) => structuredClone(signal)),
      fingerprints: ordered.map(([fingerprint]) => fingerprint),
      signalFlaps: flaps,
      entities: [...new Set<EntityRef>(signals.map((signal) => signal.entity))].sort(),
      deliveries: state.deliveries,
      flaps: state.flaps,
      ...(state.triage ? { triage: structuredClone(state.triage) } : {}),
      ...(state.escalatedAt === undefined ? {} : { escalatedAt: new Date(state.escalatedAt).toISOString() }),
    };
  }
}

/** An alert that went from resolved back to firing this often is flapping: background, not the news. */
export const flappingFlaps = 2;

/**
 * The signal that stands for a situation: an alert before other kinds, a firing one before a resolved one,
 * one that is not flapping before one that is, then the most severe, then the earliest. A resolved or
 * chronically flapping alert nearby does not take the place of the alert that just fired.
 *
 * @param signals - the situation's signals
 * @param flaps - how often each went from resolved back to firing (same order; default none)
 */
export function primarySignal(signals: readonly Signal[], flaps: readonly number[] = []): Signal {
  const ranked = signals
    .map((signal, index) => ({ signal, flapping: (flaps[index] ?? 0) >= flappingFlaps }))
    .sort(
      ({ signal: a, flapping: aFlaps }, { signal: b, flapping: bFlaps }) =>
        Number(isAlert(b)) - Number(isAlert(a)) ||
        Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
        Number(aFlaps) - Number(bFlaps) ||
        (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0) ||
        Date.parse(a.at) - Date.parse(b.at) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  return structuredClone((ranked[0] as { signal: Signal }).signal);
}
