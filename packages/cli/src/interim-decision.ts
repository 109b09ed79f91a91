import type { Report, Severity } from '@aisre/core';

/** What to do about a signal: the four answers of triage. */
export type TriageDecision = 'ignore' | 'watch' | 'investigate' | 'escalate';

/** Every {@link TriageDecision}, from the least to the most urgent. */
export const triageDecisions: readonly TriageDecision[] = ['ignore', 'watch', 'investigate', 'escalate'];

/** The confidence from which a report's conclusion counts as a claimed root cause. */
export const claimThreshold = 0.5;

/** The confidence from which the best candidate is worth watching. */
export const watchThreshold = 0.2;

/**
 * Entity kinds that are datastores, queues or external dependencies: a fault there hurts everything that
 * depends on it, so it is escalated even when the alert that revealed it was a low-severity one.
 */
const sharedDependencyKinds = new Set([
  'redis',
  'memcached',
  'postgres',
  'mysql',
  'mariadb',
  'mongodb',
  'cassandra',
  'elasticsearch',
  'opensearch',
  'database',
  'datastore',
  'queue',
  'kafka',
  'kafka-topic',
  'rabbitmq',
  'sqs',
  'nats',
  'external',
  'external-api',
  'third-party',
]);

function entityKind(entity: string): string {
  return entity.slice(0, Math.max(0, entity.indexOf(':')));
}

/**
 * The root cause a report claims: its conclusion, when its confidence reaches {@link claimThreshold}.
 *
 * @param report - the investigation's report
 */
export function claimedRootCause(report: Report): Report['conclusion'] {
  const conclusion = report.conclusion;
  return conclusion && conclusion.confidence >= claimThreshold ? conclusion : undefined;
}

/**
 * Decides what to do about an investigated signal, from its report and severity.
 *
 * **Interim**: this stands in for the awareness/triage engine until `@aisre/core`'s triage lands; `aisre eval`
 * scores decisions with it meanwhile, and it will be replaced by core's decision without changing the
 * eval output's shape. The rules:
 *
 * - `escalate` when a root cause is claimed (confidence ≥ 0.5) and the severity is P1–P3, or the trigger is a
 *   low-severity (P4–P5) alert whose root cause is a datastore, a queue or an external dependency;
 * - `investigate` when a root cause is claimed otherwise;
 * - `watch` when nothing is claimed but the best candidate reaches 0.2;
 * - `ignore` otherwise.
 *
 * @param report - the investigation's report
 * @param severity - the trigger's severity
 */
export function decisionFromReport(report: Report, severity: Severity): TriageDecision {
  const claimed = claimedRootCause(report);
  if (claimed) {
    const urgent = severity === 'P1' || severity === 'P2' || severity === 'P3';
    const sharedDependency = sharedDependencyKinds.has(entityKind(claimed.entity));
    return urgent || (report.trigger.kind === 'alert' && sharedDependency) ? 'escalate' : 'investigate';
  }
  const best = Math.max(
    0,
    report.conclusion?.confidence ?? 0,
    ...report.alternatives.map((cause) => cause.confidence),
  );
  return best >= watchThreshold ? 'watch' : 'ignore';
}
