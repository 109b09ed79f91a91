import type { BudgetLimits, BudgetUsage } from '../contracts/budget';
import type { Hypothesis } from '../contracts/hypothesis';
import type { Ending, ExploredPath, RankedCause, Report, UncheckedItem } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import type { Step } from '../contracts/step';
import { type HypothesisBoard, noFaultId } from './hypothesis-board';
import { degradedFault } from './hypothesis-generators';

/** Everything a report is assembled from. */
export interface ReportInputs {
  /** Investigation id. */
  id: string;
  /** The trigger. */
  trigger: Signal;
  /** Start, epoch ms. */
  startedAt: number;
  /** End, epoch ms. */
  endedAt: number;
  /** How it ended. */
  ending: Ending;
  /** The hypotheses and evidence. */
  board: HypothesisBoard;
  /** Every step. */
  steps: Step[];
  /** What could not be checked. */
  unchecked: UncheckedItem[];
  /** Budget limits and use. */
  budget: { limits: BudgetLimits; used: BudgetUsage };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function ranked(board: HypothesisBoard, hypothesis: Hypothesis): RankedCause {
  return {
    entity: hypothesis.entity,
    fault: hypothesis.fault,
    confidence: round(hypothesis.posterior),
    statement: hypothesis.statement,
    citations: board.citationsOf(hypothesis.id),
  };
}

function explain(board: HypothesisBoard, hypothesis: Hypothesis, leader: Hypothesis | undefined): string {
  switch (hypothesis.status) {
    case 'pruned':
      return `pruned at ${hypothesis.posterior.toFixed(3)}: the evidence went against it`;
    case 'supported':
      return 'supported, and refined into specific faults';
    case 'concluded':
      return 'concluded';
    default: {
      const proposed = board.reasonOf(hypothesis.id);
      if (hypothesis === leader) return `leading candidate${proposed ? ` (${proposed})` : ''}`;
      return hypothesis.posterior < 0.05
        ? `ruled out: posterior ${hypothesis.posterior.toFixed(3)}`
        : `not separated from the leader (${proposed || 'proposed'})`;
    }
  }
}

/**
 * Builds the report: the conclusion when one was reached, the other candidates ranked, the evidence chain,
 * every step, the explored and ruled-out paths, what could not be checked, the budget.
 */
export function assembleReport(inputs: ReportInputs): Report {
  const { board } = inputs;
  const competing = board
    .ranked()
    .filter((hypothesis) => !(hypothesis.fault === degradedFault && board.hasChildren(hypothesis.id)));
  const leader = competing[0];
  const concluded =
    inputs.ending.kind === 'concluded' && leader !== undefined && board.noFault() < leader.posterior;
  if (concluded && leader) board.setStatus(leader.id, 'concluded');
  const conclusion = concluded && leader ? ranked(board, leader) : undefined;
  const alternatives = competing
    .filter((hypothesis) => !concluded || hypothesis !== leader)
    .slice(0, 10)
    .map((hypothesis) => ranked(board, hypothesis));
  const explored: ExploredPath[] = board.all().map((hypothesis) => ({
    hypothesis: hypothesis.id,
    entity: hypothesis.entity,
    fault: hypothesis.fault,
    status: hypothesis.status,
    posterior: round(hypothesis.posterior),
    reason: explain(board, hypothesis, leader),
  }));
  const noFault = board.noFault();
  const ending =
    inputs.ending.kind === 'concluded' && !conclusion
      ? {
          kind: 'concluded' as const,
          reason: `no root cause: nothing is wrong at ${noFault.toFixed(2)} (${inputs.ending.reason})`,
        }
      : inputs.ending;
  return {
    version: 1,
    id: inputs.id,
    trigger: inputs.trigger,
    startedAt: new Date(inputs.startedAt).toISOString(),
    endedAt: new Date(inputs.endedAt).toISOString(),
    ending,
    ...(conclusion ? { conclusion } : {}),
    alternatives,
    unknownRemainder: round(board.unknown()),
    evidence: board
      .evidence()
      .map((evidence) => (evidence.hypothesis === noFaultId ? { ...evidence } : evidence)),
    steps: inputs.steps,
    explored,
    unchecked: inputs.unchecked,
    budget: inputs.budget,
    proposals: [],
  };
}
