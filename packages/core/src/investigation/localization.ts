import type { EntityRef } from '../contracts/entity-ref';
import type { CallStats } from '../contracts/telemetry';

/** How much of an entity's slowdown and errors are its own, from call statistics before and during the symptom. */
export interface SelfDegradation {
  /** The entity. */
  entity: EntityRef;
  /** Latency its callers see, before (p95, ms). */
  baselineMs: number;
  /** Increase its callers see (p95, ms). */
  incomingIncreaseMs: number;
  /** Increase on its own outgoing calls (the part its dependencies explain). */
  outgoingIncreaseMs: number;
  /** Own latency increase relative to the baseline: (incoming − outgoing) ÷ baseline. */
  relativeLatency: number;
  /** Own error-ratio increase: incoming − outgoing, absolute. */
  errorIncrease: number;
}

function key(call: CallStats): string {
  return `${call.from}>${call.to}`;
}

/**
 * Compares call statistics of a baseline window with those of the symptom window and, for each callee,
 * separates the slowdown and errors it adds itself from those its own dependencies pass up to it.
 * Latency accumulates up call chains, so an entity whose callers see it slow while its own calls stay fast
 * is where the trouble starts.
 *
 * @param baseline - call statistics before the symptom
 * @param recent - call statistics during the symptom
 */
export function localizeDegradation(
  baseline: readonly CallStats[],
  recent: readonly CallStats[],
): SelfDegradation[] {
  const before = new Map(baseline.map((call) => [key(call), call]));
  const incoming = new Map<EntityRef, { baseline: number; increase: number; errors: number }>();
  const outgoing = new Map<EntityRef, { increase: number; errors: number }>();
  for (const call of recent) {
    const old = before.get(key(call));
    if (!old) continue;
    const increase = call.p95Ms - old.p95Ms;
    const errors = call.errorRatio - old.errorRatio;
    const into = incoming.get(call.to) ?? {
      baseline: 0,
      increase: Number.NEGATIVE_INFINITY,
      errors: Number.NEGATIVE_INFINITY,
    };
    if (increase > into.increase) {
      into.increase = increase;
      into.baseline = old.p95Ms;
    }
    into.errors = Math.max(into.errors, errors);
    incoming.set(call.to, into);
    const out = outgoing.get(call.from) ?? { increase: 0, errors: 0 };
    out.increase = Math.max(out.increase, increase);
    out.errors = Math.max(out.errors, errors);
    outgoing.set(call.from, out);
  }
  return [...incoming]
    .map(([entity, into]) => {
      const out = outgoing.get(entity) ?? { increase: 0, errors: 0 };
      const own = Math.max(0, into.increase - out.increase);
      return {
        entity,
        baselineMs: into.baseline,
        incomingIncreaseMs: into.increase,
        outgoingIncreaseMs: out.increase,
        relativeLatency: own / Math.max(into.baseline, 1),
        errorIncrease: Math.max(0, into.errors - out.errors),
      };
    })
    .sort((a, b) => (a.entity < b.entity ? -1 : 1));
}
