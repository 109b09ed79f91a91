import type { IsoTime } from '../contracts/common';
import type { Signal } from '../contracts/signal';
import { round } from './triage-thresholds';
import type { FeedbackOutcome, PatternRef, PatternStatistics, TriageReason } from './types';

/** Noise marks (with nothing useful or missed) from which a pattern is suppressed. */
export const suppressionNoiseCount = 3;

/** Which statistics a pattern key is for: the alert on one entity, or on every entity of the kind. */
export type PatternLevel = 'entity' | 'kind';

/**
 * The pattern of a signal: its alert name (the `alertname` label, else `alert`, else the signal kind), its
 * entity kind and its entity.
 *
 * @param signal - the signal
 */
export function patternOf(signal: Signal): PatternRef {
  return {
    alertname: signal.labels.alertname ?? signal.labels.alert ?? signal.kind,
    entityKind: signal.entity.slice(0, signal.entity.indexOf(':')),
    entity: signal.entity,
  };
}

/**
 * The key of a pattern's statistics: `alertname|kind` for the kind level, `alertname|kind|entity` for the
 * entity level.
 *
 * @param pattern - the pattern
 * @param level - which statistics
 */
export function patternKey(pattern: PatternRef, level: PatternLevel): string {
  const base = `${pattern.alertname}|${pattern.entityKind}`;
  return level === 'kind' ? base : `${base}|${pattern.entity}`;
}

/**
 * Statistics after an outcome: `outcome` counted, and `previous` (an earlier outcome of the same situation)
 * taken back, so changing one's mind about a situation does not count twice.
 *
 * @param current - the statistics so far, if any
 * @param pattern - the pattern
 * @param level - which statistics
 * @param outcome - the new outcome
 * @param previous - the situation's earlier outcome, if any
 * @param at - now
 */
export function countOutcome(
  current: PatternStatistics | undefined,
  pattern: PatternRef,
  level: PatternLevel,
  outcome: FeedbackOutcome,
  previous: FeedbackOutcome | undefined,
  at: IsoTime,
): PatternStatistics {
  const next: PatternStatistics = current
    ? { ...current }
    : {
        key: patternKey(pattern, level),
        alertname: pattern.alertname,
        entityKind: pattern.entityKind,
        ...(level === 'entity' ? { entity: pattern.entity } : {}),
        useful: 0,
        noise: 0,
        missed: 0,
        updatedAt: at,
      };
  if (previous) next[previous] = Math.max(0, next[previous] - 1);
  next[outcome]++;
  next.updatedAt = at;
  return next;
}

/** What learning does to one triage: a score shift, a threshold shift, and the reasons to show. */
export interface LearnedAdjustment {
  /** Added to the score (negative: suppression). */
  scoreShift: number;
  /** Added to every threshold (≤ 0: misses lower them). */
  thresholdShift: number;
  /** The `feedback` reasons. */
  reasons: TriageReason[];
}

/**
 * What feedback has taught about a pattern. The entity-level statistics decide when the entity has any
 * feedback, otherwise the kind-level ones (the same alert on other entities of the kind):
 * - suppression: at least 3 noise and nothing useful or missed lowers the score by 0.2, and 0.1 more per
 *   further noise, at most 0.6 — enough to take an ordinary alert down to `ignore`, not enough to hide a
 *   forecast breach;
 * - useful marks raise it by 0.05 each, at most 0.15;
 * - misses lower every threshold by 0.1 each, at most 0.3.
 *
 * @param entity - the entity-level statistics
 * @param kind - the kind-level statistics
 */
export function learnedAdjustment(
  entity: PatternStatistics | undefined,
  kind: PatternStatistics | undefined,
): LearnedAdjustment {
  const total = (stats: PatternStatistics | undefined) =>
    stats ? stats.useful + stats.noise + stats.missed : 0;
  const stats = total(entity) > 0 ? entity : total(kind) > 0 ? kind : undefined;
  if (!stats) return { scoreShift: 0, thresholdShift: 0, reasons: [] };
  const scope = stats.entity ? `on ${stats.entity}` : `on ${stats.entityKind} entities`;
  const counts = `${stats.useful} useful, ${stats.noise} noise, ${stats.missed} missed`;
  const reasons: TriageReason[] = [];
  let scoreShift = 0;
  if (stats.noise >= suppressionNoiseCount && stats.useful === 0 && stats.missed === 0) {
    scoreShift = -Math.min(0.6, 0.2 + 0.1 * (stats.noise - suppressionNoiseCount));
    reasons.push({
      factor: 'feedback',
      weight: round(scoreShift),
      detail: `${stats.alertname} ${scope} was marked noise ${stats.noise} times and never useful (${counts}): suppressed`,
    });
  } else if (stats.useful > 0) {
    scoreShift = Math.min(0.15, 0.05 * stats.useful);
    reasons.push({
      factor: 'feedback',
      weight: round(scoreShift),
      detail: `${stats.alertname} ${scope} was useful before (${counts})`,
    });
  }
  const thresholdShift = -Math.min(0.3, 0.1 * stats.missed);
  if (thresholdShift < 0)
    reasons.push({
      factor: 'feedback',
      weight: 0,
      detail: `${stats.alertname} ${scope} was missed ${stats.missed} times (${counts}): thresholds lowered by ${round(-thresholdShift)}`,
    });
  return { scoreShift: round(scoreShift), thresholdShift: round(thresholdShift), reasons };
}
