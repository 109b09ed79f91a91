import type { Ending } from '../contracts/report';
import type { InvestigationState } from './types';

/** A stop rule: looks at the state after each round and returns an ending, or `undefined` to go on. */
export type StopRule = (state: InvestigationState) => Ending | undefined;

/**
 * Concludes when the leading candidate reaches `threshold` and leads the runner-up by `lead` times — or when
 * "nothing is wrong" does.
 *
 * @param threshold - posterior needed (default 0.9)
 * @param lead - ratio over the runner-up needed (default 3)
 */
export function confidenceAbove(threshold = 0.9, lead = 3): StopRule {
  return (state) => {
    const [first, second] = state.ranked;
    if (state.noFault >= threshold) {
      return {
        kind: 'concluded',
        reason: `no sustained anomaly: "nothing is wrong" reached ${state.noFault.toFixed(2)}`,
      };
    }
    if (!first || first.posterior < threshold) return undefined;
    if (second && first.posterior < lead * second.posterior) return undefined;
    return {
      kind: 'concluded',
      reason: `${first.fault} on ${first.entity} reached ${first.posterior.toFixed(2)} (threshold ${threshold})`,
    };
  };
}

/** Ends `budget-exhausted` when a budget limit is spent. */
export function budgetSpent(): StopRule {
  return (state) =>
    state.exhausted
      ? { kind: 'budget-exhausted', reason: `the ${state.exhausted} budget is spent` }
      : undefined;
}

/** Ends `cancelled` when the run was cancelled. */
export function cancelled(): StopRule {
  return (state) =>
    state.cancelled ? { kind: 'cancelled', reason: 'the investigation was cancelled' } : undefined;
}

/**
 * Ends `needs-human` when nothing is left worth checking and no candidate is confident: the evidence could
 * not separate the candidates, or the checks that could have failed.
 */
export function needsHuman(): StopRule {
  return (state) => {
    if (state.pendingChecks > 0) return undefined;
    const [first, second] = state.ranked;
    if (state.failedChecks > 0 && state.failedChecks >= state.completedChecks) {
      return { kind: 'needs-human', reason: `${state.failedChecks} checks could not run; a human must look` };
    }
    if (!first) return { kind: 'needs-human', reason: 'no candidate cause could be proposed' };
    const runnerUp = second
      ? `, runner-up ${second.fault} on ${second.entity} at ${second.posterior.toFixed(2)}`
      : '';
    return {
      kind: 'needs-human',
      reason: `nothing left to check; leading candidate ${first.fault} on ${first.entity} at ${first.posterior.toFixed(2)}${runnerUp}`,
    };
  };
}

/** Ends `needs-human` after `rounds` rounds, a guard against endless refinement. */
export function maxRounds(rounds: number): StopRule {
  return (state) =>
    state.rounds >= rounds ? { kind: 'needs-human', reason: `stopped after ${rounds} rounds` } : undefined;
}

/** Fires when any of the rules fires (the first one's ending wins). */
export function anyOf(...rules: StopRule[]): StopRule {
  return (state) => {
    for (const rule of rules) {
      const ending = rule(state);
      if (ending) return ending;
    }
    return undefined;
  };
}

/** The default rules: cancelled, confident, budget spent, needs a human, at most 12 rounds. */
export function defaultStopRules(): StopRule[] {
  return [cancelled(), confidenceAbove(0.9), budgetSpent(), needsHuman(), maxRounds(12)];
}
