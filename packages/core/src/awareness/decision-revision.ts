import type { Report } from '../contracts/report';
import type { TriageDecision } from './types';

/** A decision revised by an investigation's report, with why. */
export interface RevisedDecision {
  /** The decision after the investigation. */
  decision: TriageDecision;
  /** Why it stayed or changed. */
  reason: string;
}

/** Below this confidence, an investigation's best candidate is not a cause worth acting on. */
export const actionableConfidence = 0.3;

/**
 * Revises a triage decision once the investigation has reported: an alert that triage sent to investigate or
 * escalate, but whose investigation found nothing worth acting on (no conclusion, and no candidate above
 * {@link actionableConfidence}, or the conclusion that nothing is wrong), goes back to `watch` — stay quiet
 * when not needed. Decisions to ignore or watch are kept: they were not investigated.
 *
 * @param decision - the triage decision
 * @param report - the report of the investigation it started
 */
export function reviseDecisionAfterInvestigation(decision: TriageDecision, report: Report): RevisedDecision {
  if (decision !== 'investigate' && decision !== 'escalate') return { decision, reason: 'not investigated' };
  if (report.conclusion) {
    return {
      decision,
      reason: `the investigation concluded ${report.conclusion.fault} on ${report.conclusion.entity} at ${Math.round(report.conclusion.confidence * 100)} %`,
    };
  }
  const best = report.alternatives[0];
  if (report.ending.kind === 'concluded' || !best || best.confidence < actionableConfidence) {
    const why = best
      ? `the best candidate, ${best.fault} on ${best.entity}, is at ${Math.round(best.confidence * 100)} %`
      : 'no candidate stood out';
    return { decision: 'watch', reason: `the investigation found nothing worth acting on: ${why}` };
  }
  return {
    decision,
    reason: `the investigation narrowed it to ${best.fault} on ${best.entity} at ${Math.round(best.confidence * 100)} % and needs a human`,
  };
}
