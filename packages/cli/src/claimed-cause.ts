import type { Report } from '@aisre/core';

/** The confidence from which a report's conclusion counts as a claimed root cause. */
export const claimThreshold = 0.5;

/**
 * The root cause a report claims: its conclusion, when its confidence reaches {@link claimThreshold}.
 *
 * @param report - the investigation's report
 */
export function claimedRootCause(report: Report): Report['conclusion'] {
  const conclusion = report.conclusion;
  return conclusion && conclusion.confidence >= claimThreshold ? conclusion : undefined;
}
