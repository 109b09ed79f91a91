import type { JsonValue } from '../contracts/common';
import type { EntityRef } from '../contracts/entity-ref';
import type { RemediationAction, RemediationProposal, RiskLevel } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import { digestOf } from '../investigation/canonical-json';

/** What a catalogue entry decides about one proposal; {@link createRemediationProposal} fills in the rest. */
export interface RemediationProposalSpec {
  /** One line for humans. */
  title: string;
  /** The action type, dotted (`redis.config-set`). */
  type: string;
  /** The entity to change (default: the concluded root-cause entity). */
  target?: EntityRef;
  /** The exact change. */
  parameters: Record<string, JsonValue>;
  /** Risk level. */
  risk: RiskLevel;
  /** How to undo it: an action, or steps in words when no action can undo it. */
  rollback: RemediationAction | string;
  /** Why this change, in a sentence or two (say when a human has to judge it). */
  rationale: string;
}

/**
 * The deterministic id of a proposal: a digest of the report id and the exact action, so the same report
 * always gives the same ids and two catalogue entries proposing the same change give the same id.
 *
 * @param report - the report (only its id is used)
 * @param action - the exact change
 */
export function remediationProposalId(report: Pick<Report, 'id'>, action: RemediationAction): string {
  const digest = digestOf({
    report: report.id,
    type: action.type,
    target: action.target,
    parameters: action.parameters,
  });
  return `rem-${digest.slice(0, 12)}`;
}

/**
 * The citations that justify acting on a conclusion: the conclusion's citations whose evidence supports it
 * (all of its citations present in the report when none does), ascending.
 *
 * @param conclusion - the concluded root cause
 * @param report - the report whose evidence chain is cited
 */
export function conclusionCitations(conclusion: RankedCause, report: Report): number[] {
  const verdicts = new Map(report.evidence.map((evidence) => [evidence.id, evidence.verdict]));
  const present = conclusion.citations.filter((id) => verdicts.has(id));
  const supporting = present.filter((id) => verdicts.get(id) === 'supports');
  return [...new Set(supporting.length > 0 ? supporting : present)].sort((a, b) => a - b);
}

/**
 * Builds a proposal for a conclusion: its deterministic id, the conclusion's fault, the target (default the
 * root-cause entity) and the citations of {@link conclusionCitations}. For catalogue entries.
 *
 * @param conclusion - the concluded root cause
 * @param report - the report
 * @param spec - the change, its risk, rollback and rationale
 */
export function createRemediationProposal(
  conclusion: RankedCause,
  report: Report,
  spec: RemediationProposalSpec,
): RemediationProposal {
  const action: RemediationAction = {
    type: spec.type,
    target: spec.target ?? conclusion.entity,
    parameters: spec.parameters,
  };
  return {
    id: remediationProposalId(report, action),
    title: spec.title,
    fault: conclusion.fault,
    action,
    risk: spec.risk,
    rollback: spec.rollback,
    rationale: spec.rationale,
    citations: conclusionCitations(conclusion, report),
  };
}
