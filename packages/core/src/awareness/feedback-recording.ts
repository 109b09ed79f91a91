import type { IsoTime } from '../contracts/common';
import type { Signal } from '../contracts/signal';
import { AisreError } from '../errors/aisre-error';
import { countOutcome, type PatternLevel, patternKey, patternOf } from './feedback-learning';
import type { FeedbackOutcome, PatternRef, PatternStatistics, Situation, TriageStore } from './types';

const isAlert = (signal: Signal) => signal.kind === 'alert' || signal.kind === 'anomaly';

/** The distinct patterns of a situation's alerts (its primary signal's when it has no alert). */
export function patternsOf(situation: Situation): PatternRef[] {
  const alerts = situation.signals.filter(isAlert);
  const byKey = new Map<string, PatternRef>();
  for (const signal of alerts.length > 0 ? alerts : [situation.primary]) {
    const pattern = patternOf(signal);
    byKey.set(patternKey(pattern, 'entity'), pattern);
  }
  return [...byKey.values()];
}

/** What {@link recordFeedback} needs. */
export interface FeedbackRecording {
  /** The store. */
  store: TriageStore;
  /** The situation id (after following merges). */
  situationId: string;
  /** The situation, when it is still kept in memory. */
  situation?: Situation;
  /** The outcome. */
  outcome: FeedbackOutcome;
  /** Now. */
  at: IsoTime;
}

/**
 * Counts an outcome on the entity- and kind-level statistics of every alert pattern of a situation, once per
 * situation: giving the same outcome again changes nothing, giving another replaces the earlier one. Works for
 * situations triaged before a restart through the store's situation records.
 *
 * @returns the situation id and the statistics after the change
 * @throws {@link AisreError} `not-found` when neither memory nor the store knows the situation.
 */
export async function recordFeedback(
  recording: FeedbackRecording,
): Promise<{ id: string; patterns: PatternStatistics[] }> {
  const { store, situationId: id, situation, outcome, at } = recording;
  const record = await store.readSituation(id);
  const refs = record?.patterns ?? (situation ? patternsOf(situation) : undefined);
  if (!refs)
    throw new AisreError(
      'not-found',
      `core: awareness: no situation "${id}" to give feedback on: it was never triaged with this store`,
    );
  const previous = record?.outcome;
  const changed: PatternStatistics[] = [];
  const seen = new Set<string>();
  for (const pattern of refs) {
    for (const level of ['entity', 'kind'] as PatternLevel[]) {
      const key = patternKey(pattern, level);
      if (seen.has(key)) continue;
      seen.add(key);
      const current = await store.readPattern(key);
      if (previous === outcome && current) {
        changed.push(current);
        continue;
      }
      const next = countOutcome(current, pattern, level, outcome, previous, at);
      await store.writePattern(next);
      changed.push(next);
    }
  }
  await store.writeSituation({
    id,
    patterns: refs,
    decision: record?.decision ?? situation?.triage?.decision ?? 'ignore',
    score: record?.score ?? situation?.triage?.score ?? 0,
    decidedAt: record?.decidedAt ?? at,
    outcome,
  });
  return { id, patterns: changed };
}
