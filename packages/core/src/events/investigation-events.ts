import { EventEmitter } from 'eventemitter3';
import type { BudgetLimits, BudgetUsage } from '../contracts/budget';
import type { EntityRef } from '../contracts/entity-ref';
import type { Evidence } from '../contracts/evidence';
import type { Hypothesis } from '../contracts/hypothesis';
import type { Report } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import type { Step } from '../contracts/step';

/**
 * Everything an investigation does, as typed events (`noun:verb`), so hosts can show progress live.
 * Listeners receive one payload object.
 */
export interface InvestigationEvents {
  /** An investigation started. */
  'investigation:started': (event: { id: string; trigger: Signal; limits: BudgetLimits }) => void;
  /** The scope was built from the graph. */
  'scope:built': (event: { id: string; entities: EntityRef[]; changes: number }) => void;
  /** A hypothesis was proposed. */
  'hypothesis:added': (event: { id: string; hypothesis: Hypothesis }) => void;
  /** A hypothesis' posterior or status changed. */
  'hypothesis:updated': (event: { id: string; hypothesis: Hypothesis }) => void;
  /** A check started (its step is open). */
  'check:started': (event: { id: string; step: number; tool: string; hypothesis?: string }) => void;
  /** A check ended, successfully or not. */
  'check:ended': (event: { id: string; step: Step }) => void;
  /** A piece of evidence was recorded. */
  'evidence:added': (event: { id: string; evidence: Evidence }) => void;
  /** Budget was spent. */
  'budget:charged': (event: { id: string; used: BudgetUsage; limits: BudgetLimits }) => void;
  /** The investigation ended; the report is final. */
  'investigation:ended': (event: { id: string; report: Report }) => void;
}

/** A typed event emitter for {@link InvestigationEvents} (eventemitter3). */
export type InvestigationEmitter = EventEmitter<InvestigationEvents>;

/** Creates a typed event emitter for {@link InvestigationEvents}. */
export function createInvestigationEmitter(): InvestigationEmitter {
  return new EventEmitter<InvestigationEvents>();
}
