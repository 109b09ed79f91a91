import type { Severity } from '../contracts/common';
import type { Notification } from '../contracts/connector';
import type { Report } from '../contracts/report';
import { urgentForecast, urgentWithinHours } from './triage-factors';
import type { TriageDecision, TriageResult } from './types';

/**
 * How soon an escalation needs a human, as its {@link Notification.urgency} says: `page` wakes on-call now (a P1
 * or P2, or triage found it urgent: a limit reached within hours, a pattern engineers said was missed);
 * `working-hours` puts the finding, its evidence and the proposed fix in front of the owning team without waking
 * anyone.
 */
export type EscalationUrgency = NonNullable<Notification['urgency']>;

/** A decision revised by an investigation's report, with why. */
export interface RevisedDecision {
  /** The decision after the investigation. */
  decision: TriageDecision;
  /** Why it stayed or changed. */
  reason: string;
  /** How soon, when the decision is `escalate`. */
  urgency?: EscalationUrgency;
}

/**
 * The urgency of escalating a situation: `page` for a P1 or P2 or when triage found it urgent, else
 * `working-hours`.
 *
 * @param severity - the situation's severity
 * @param urgent - triage's {@link TriageResult.urgent}
 */
export function escalationUrgency(severity: Severity, urgent: boolean | undefined): EscalationUrgency {
  return urgent || severity === 'P1' || severity === 'P2' ? 'page' : 'working-hours';
}

/** Below this confidence, an investigation's best candidate is not a cause worth acting on. */
export const actionableConfidence = 0.3;

/**
 * What an investigation found that is worth acting on, in words: its conclusion, or a best candidate at
 * {@link actionableConfidence} or more when it needs a human; undefined when it found nothing (no candidate
 * stood out, or it concluded that nothing is wrong).
 *
 * @param report - the investigation's report
 */
export function actionableFinding(report: Report): string | undefined {
  const percent = (confidence: number) => `${Math.round(confidence * 100)} %`;
  if (report.conclusion)
    return `concluded ${report.conclusion.fault} on ${report.conclusion.entity} at ${percent(report.conclusion.confidence)}`;
  const best = report.alternatives[0];
  if (report.ending.kind === 'concluded' || !best || best.confidence < actionableConfidence) return undefined;
  return `narrowed it to ${best.fault} on ${best.entity} at ${percent(best.confidence)} and needs a human`;
}

/**
 * The decision once the investigation that triage started has reported (see docs/awareness.md, "Decisions").
 * When it found something ({@link actionableFinding}), the finding confirms an `escalate` and turns an
 * `investigate` into `escalate`: a real fault goes to a human with its evidence and the proposed fix, whatever
 * the alert's severity — the low-severity alert that hides a real fault is the one a tired engineer would queue.
 * How soon is the {@link escalationUrgency}: on-call is paged for a P1 or P2 or an urgent situation, the owning
 * team is told for working hours otherwise. When it found nothing worth acting on, the situation goes back to
 * `watch` — stay quiet when not needed — unless what triage saw stands on its own:
 * - an `escalate` stands when it is urgent and the trouble is visible now or coming for sure: the alert's
 *   own symptom sustained, or a limit forecast within hours (`triage.urgent` with `triage.symptom` sustained or
 *   `triage.forecast` urgent);
 * - an `investigate` stands when something besides the alert shows trouble (`triage.corroborated`): the team
 *   gets the report of what was ruled out.
 * Decisions to ignore or watch started no investigation and are kept.
 *
 * @param decision - the triage decision
 * @param report - the report of the investigation it started
 * @param triage - what triage saw; absent: only a finding keeps the decision
 */
export function reviseDecisionAfterInvestigation(
  decision: TriageDecision,
  report: Report,
  triage?: Pick<TriageResult, 'urgent' | 'corroborated' | 'symptom' | 'forecast'>,
): RevisedDecision {
  if (decision !== 'investigate' && decision !== 'escalate') return { decision, reason: 'not investigated' };
  const finding = actionableFinding(report);
  const severity = report.trigger.severity;
  const urgency = escalationUrgency(severity, triage?.urgent);
  if (finding) {
    if (decision === 'investigate')
      return {
        decision: 'escalate',
        reason: `the investigation ${finding}: a real fault behind a ${severity} alert, so it is escalated (${urgencyWords[urgency]})`,
        urgency,
      };
    return { decision, reason: `the investigation ${finding}`, urgency };
  }
  const visible =
    triage?.symptom?.state === 'sustained' || urgentForecast(triage?.forecast, urgentWithinHours);
  if (decision === 'escalate' && triage?.urgent && visible)
    return {
      decision,
      reason:
        'the investigation could not name a cause, but the trouble is urgent and plain to see: escalated on that evidence',
      urgency,
    };
  if (decision === 'investigate' && triage?.corroborated)
    return {
      decision,
      reason:
        'the investigation could not name a cause, but more than the alert shows trouble: its report of what was ruled out goes to the team',
    };
  const best = report.alternatives[0];
  const why = best
    ? `the best candidate, ${best.fault} on ${best.entity}, is at ${Math.round(best.confidence * 100)} %`
    : 'no candidate stood out';
  return { decision: 'watch', reason: `the investigation found nothing worth acting on: ${why}` };
}

/** How each urgency reads in a reason. */
export const urgencyWords: Readonly<Record<EscalationUrgency, string>> = Object.freeze({
  page: 'on-call is paged now',
  'working-hours': 'the owning team is told for working hours, nobody is woken',
});
