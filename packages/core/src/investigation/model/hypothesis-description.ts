import type { Hypothesis } from '../../contracts/hypothesis';

/**
 * One line describing a hypothesis for a model: its claim, entity, fault and current probability.
 *
 * @param hypothesis - the hypothesis
 */
export function describeHypothesis(hypothesis: Hypothesis): string {
  const probability = Math.round(hypothesis.posterior * 100);
  return `"${hypothesis.statement}" (entity ${hypothesis.entity}, fault ${hypothesis.fault}, current probability ${probability}%)`;
}
