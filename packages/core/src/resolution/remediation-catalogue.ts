import { type RemediationProposal, remediationProposalSchema } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import { parseWith } from '../errors/zod-issues';
import { builtInRemediations } from './built-in-remediations';

/** Turns a concluded fault into concrete change proposals. */
export interface RemediationCatalogueEntry {
  /** The fault it handles (`redis.memory-fragmentation`). */
  fault: string;
  /**
   * The proposals for a conclusion of this fault, best first. Reads only the conclusion and the report's
   * structured data; returns an empty list when nothing sensible can be proposed.
   */
  propose(conclusion: RankedCause, report: Report): RemediationProposal[];
}

/** A remediation catalogue: one entry per fault. */
export type RemediationCatalogue = ReadonlyMap<string, RemediationCatalogueEntry>;

/**
 * The catalogue to use: the built-in entries ({@link builtInRemediations}) with `extra` added; an extra entry
 * for a fault the catalogue already has replaces that entry (call the built-in one from yours to keep its
 * proposals and add your own).
 *
 * @param extra - the host's own entries
 */
export function createRemediationCatalogue(
  extra: readonly RemediationCatalogueEntry[] = [],
): RemediationCatalogue {
  const entries = new Map<string, RemediationCatalogueEntry>();
  for (const entry of [...Object.values(builtInRemediations), ...extra]) entries.set(entry.fault, entry);
  return entries;
}

/**
 * The proposals for a report: none without a conclusion; otherwise the catalogue entry of the concluded
 * fault proposes, each proposal is validated, and duplicates (same id) are dropped. Proposals come only from
 * the catalogue: nothing in the report's text (log lines, model output, `report.proposals`) becomes an action.
 *
 * @param report - the investigation report
 * @param catalogue - the catalogue (default: the built-in one)
 * @throws {@link InvalidInputError} when an entry returns a malformed proposal, naming the field.
 */
export function proposeRemediations(
  report: Report,
  catalogue: RemediationCatalogue = createRemediationCatalogue(),
): RemediationProposal[] {
  const conclusion = report.conclusion;
  if (!conclusion) return [];
  const entry = catalogue.get(conclusion.fault);
  if (!entry) return [];
  const seen = new Set<string>();
  const proposals: RemediationProposal[] = [];
  entry.propose(structuredClone(conclusion), report).forEach((candidate, index) => {
    const proposal = parseWith(
      remediationProposalSchema,
      candidate,
      `core: proposal ${index} of the catalogue entry for ${conclusion.fault}`,
    ) as RemediationProposal;
    if (seen.has(proposal.id)) return;
    seen.add(proposal.id);
    proposals.push(proposal);
  });
  return proposals;
}
