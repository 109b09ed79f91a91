import { EventEmitter } from 'eventemitter3';
import type { Notification } from '../contracts/connector';
import type { Signal } from '../contracts/signal';
import type { AisreError, InvalidInputError } from '../errors/aisre-error';
import type {
  EscalationDelivery,
  FeedbackOutcome,
  PatternStatistics,
  SignalDelivery,
  Situation,
  TriageResult,
} from './types';

/** The stage of awareness' work that failed, in an `awareness:failed` event. */
export type AwarenessStage = 'intake' | 'topology' | 'triage' | 'investigation' | 'escalation';

/**
 * Everything awareness does, as typed events (`noun:verb`). Listeners receive one payload object.
 */
export interface AwarenessEvents {
  /** A valid signal arrived (before deduplication). */
  'signal:received': (event: { signal: Signal; fingerprint: string }) => void;
  /** A malformed signal was rejected; the stream goes on. */
  'signal:rejected': (event: { error: InvalidInputError; input: unknown }) => void;
  /** A known signal arrived again: a re-delivery, its resolution, or a flap back to firing. */
  'signal:deduplicated': (event: {
    signal: Signal;
    fingerprint: string;
    delivery: SignalDelivery;
    deliveries: number;
    flaps: number;
    situation: string;
  }) => void;
  /** A new situation was opened by a signal. */
  'situation:opened': (event: { situation: Situation; signal: Signal }) => void;
  /** A situation changed: a signal joined, resolved or flapped, or other situations merged into it. */
  'situation:updated': (event: { situation: Situation; signal: Signal; absorbed: string[] }) => void;
  /** A situation was triaged. */
  'triage:decided': (event: { situation: Situation; result: TriageResult }) => void;
  /** An escalation was sent (one event for all notifiers). */
  'escalation:sent': (event: {
    situation: Situation;
    notification: Notification;
    deliveries: EscalationDelivery[];
  }) => void;
  /** Feedback was recorded. */
  'feedback:recorded': (event: {
    situation: string;
    outcome: FeedbackOutcome;
    patterns: PatternStatistics[];
  }) => void;
  /** Part of the work failed (a connector, the investigation, a notifier); the rest went on. */
  'awareness:failed': (event: { stage: AwarenessStage; error: AisreError; situation?: string }) => void;
}

/** A typed event emitter for {@link AwarenessEvents} (eventemitter3). */
export type AwarenessEmitter = EventEmitter<AwarenessEvents>;

/** Creates a typed event emitter for {@link AwarenessEvents}. */
export function createAwarenessEmitter(): AwarenessEmitter {
  return new EventEmitter<AwarenessEvents>();
}
