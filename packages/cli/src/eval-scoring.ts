import type { EndingKind, Report, Severity, TriageDecision } from '@aisre/core';
import { claimedRootCause } from './claimed-cause';

/** A root cause: an entity and its fault. */
export interface CauseRef {
  /** The entity, `kind:namespace/name`. */
  entity: string;
  /** The fault, e.g. `redis.memory-fragmentation`. */
  fault: string;
}

/** What a scenario expects, as the scorer reads it (the engine never sees it). */
export interface ExpectedOutcome {
  /** The true root cause, or null when the scenario has none (noise, a transient). */
  rootCause: CauseRef | null;
  /** The right triage decision, or null when the scenario does not say. */
  decision: TriageDecision | null;
}

/** A candidate root cause as eval reports it. */
export interface RankedCandidate extends CauseRef {
  /** Its confidence, 0..1. */
  confidence: number;
}

/** How one scenario scored. */
export interface ScenarioScore {
  /** The scenario's name. */
  name: string;
  /** What it expects, or null when it has no expectations. */
  expected: ExpectedOutcome | null;
  /** The conclusion (when there is one) then the alternatives, most likely first. */
  ranked: RankedCandidate[];
  /** Whether the first candidate is the expected root cause (null without an expected root cause). */
  top1: boolean | null;
  /** Whether one of the first three candidates is (null without an expected root cause). */
  top3: boolean | null;
  /** The decision as awareness takes it: triage's, confirmed or revised by the investigation it called for. */
  decision: TriageDecision;
  /** Why the decision is what it is after the investigation (`not investigated` for ignore and watch). */
  decisionReason: string;
  /** Whether it is the expected one (null without an expected decision). */
  decisionCorrect: boolean | null;
  /** Tool calls spent. */
  toolCalls: number;
  /** Model tokens spent. */
  modelTokens: number;
  /** Real time the investigation took, milliseconds. */
  wallMs: number;
  /** How the investigation ended. */
  ending: EndingKind;
}

/** One confidence bin of the calibration table. */
export interface CalibrationBin {
  /** The bin, `0.5-0.7`, `0.7-0.9` or `0.9-1.0`. */
  bin: string;
  /** Claimed root causes whose confidence fell in it. */
  count: number;
  /** How often those claims were right (null when the bin is empty). */
  accuracy: number | null;
}

/** Counts of decisions taken, by the decision expected (only scenarios whose expected decision is given). */
export type DecisionConfusion = Partial<Record<TriageDecision, Partial<Record<TriageDecision, number>>>>;

/** The scores of a whole eval run. */
export interface EvalSummary {
  /** Scenarios investigated (files that failed are not counted). */
  count: number;
  /** Top-1 accuracy over the scenarios with an expected root cause (null when none has one). */
  top1: number | null;
  /** Top-3 accuracy over the same scenarios. */
  top3: number | null;
  /** Correct decisions over the scenarios with an expected decision (null when none has one). */
  decisionAccuracy: number | null;
  /** Median tool calls per scenario (null when nothing ran). */
  medianToolCalls: number | null;
  /** Median real time per scenario, milliseconds (null when nothing ran). */
  medianWallMs: number | null;
  /** Scenarios whose spending exceeded a budget limit (must be 0). */
  budgetOverruns: number;
  /** Of the scenarios escalated, the share whose expected decision was `escalate` (null when none was escalated). */
  escalationPrecision: number | null;
  /** Of the scenarios expected to be escalated, the share that were (null when none is expected). */
  escalationRecall: number | null;
  /** How many scenarios were decided what, by expected decision: `confusion.investigate.escalate`. */
  confusion: DecisionConfusion;
  /** How often claimed root causes were right, by confidence. */
  calibration: CalibrationBin[];
}

/** A scenario that could not be run, and why. */
export interface EvalFailure {
  /** The file (or built-in scenario name). */
  file: string;
  /** The error message. */
  error: string;
}

/** The output of `aisre eval --json`. */
export interface EvalResult {
  /** The scores of the run. */
  summary: EvalSummary;
  /** Each scenario's score, in file order. */
  scenarios: ScenarioScore[];
  /** Files that failed validation or whose run failed. */
  errors: EvalFailure[];
}

/** What {@link scoreScenario} needs: the scenario's name, expectations and severity, and the run. */
export interface ScenarioOutcome {
  /** The scenario's name. */
  name: string;
  /** The scenario's `expect`, when it has one. */
  expect:
    | {
        /** The true root cause, when there is one. */
        rootCause?: CauseRef;
        /** The right triage decision. */
        decision?: TriageDecision;
      }
    | undefined;
  /** The trigger's severity. */
  severity: Severity;
  /** The report of its investigation (the root-cause scores read it). */
  report: Report;
  /** The decision, after the investigation it called for. */
  decision: TriageDecision;
  /** Why (see {@link ScenarioScore.decisionReason}). */
  decisionReason?: string;
  /** The report of the investigation the decision called for, if any. */
  decisionReport?: Report;
  /** Real time the investigation took, milliseconds. */
  wallMs: number;
}

function sameCause(left: CauseRef, right: CauseRef): boolean {
  return left.entity === right.entity && left.fault === right.fault;
}

function expectedOutcome(expect: ScenarioOutcome['expect']): ExpectedOutcome | null {
  if (!expect || (expect.rootCause === undefined && expect.decision === undefined)) return null;
  return {
    rootCause: expect.rootCause ? { entity: expect.rootCause.entity, fault: expect.rootCause.fault } : null,
    decision: expect.decision ?? null,
  };
}

/**
 * The candidates of a report in rank order: the conclusion first when there is one, then the alternatives.
 *
 * @param report - the report
 */
export function rankedCandidates(report: Report): RankedCandidate[] {
  const causes = report.conclusion ? [report.conclusion, ...report.alternatives] : report.alternatives;
  return causes.map((cause) => ({ entity: cause.entity, fault: cause.fault, confidence: cause.confidence }));
}

/**
 * Scores one investigated scenario against its expectations. A scenario that expects `ignore` or `watch` is
 * decided correctly when the decision matches and the investigation the decision called for, if any, claimed
 * no root cause (confidence ≥ 0.5).
 *
 * @param outcome - the scenario's expectations and its run
 */
export function scoreScenario(outcome: ScenarioOutcome): ScenarioScore {
  const expected = expectedOutcome(outcome.expect);
  const ranked = rankedCandidates(outcome.report);
  const rootCause = expected?.rootCause ?? null;
  const decision = outcome.decision;
  let decisionCorrect: boolean | null = null;
  if (expected?.decision) {
    const quiet = expected.decision === 'ignore' || expected.decision === 'watch';
    decisionCorrect =
      decision === expected.decision &&
      (!quiet || !outcome.decisionReport || claimedRootCause(outcome.decisionReport) === undefined);
  }
  const used = outcome.report.budget.used;
  return {
    name: outcome.name,
    expected,
    ranked,
    top1: rootCause ? ranked.slice(0, 1).some((cause) => sameCause(cause, rootCause)) : null,
    top3: rootCause ? ranked.slice(0, 3).some((cause) => sameCause(cause, rootCause)) : null,
    decision,
    decisionReason: outcome.decisionReason ?? 'not investigated',
    decisionCorrect,
    toolCalls: used.toolCalls,
    modelTokens: used.modelTokens,
    wallMs: Math.round(outcome.wallMs),
    ending: outcome.report.ending.kind,
  };
}

/**
 * True when a report's spending exceeds any limit of its budget (which the engine must never allow).
 *
 * @param report - the report
 */
export function overranBudget(report: Report): boolean {
  const { limits, used } = report.budget;
  return (
    used.wallTimeMs > limits.wallTimeMs ||
    used.toolCalls > limits.toolCalls ||
    used.modelTokens > limits.modelTokens ||
    used.costUsd > limits.costUsd + 1e-9
  );
}

/**
 * The median of some numbers, or null when there are none.
 *
 * @param values - the numbers
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

function fraction(hits: number, total: number): number | null {
  return total === 0 ? null : Math.round((hits / total) * 10_000) / 10_000;
}

const calibrationBins = [
  { bin: '0.5-0.7', low: 0.5, high: 0.7 },
  { bin: '0.7-0.9', low: 0.7, high: 0.9 },
  { bin: '0.9-1.0', low: 0.9, high: Number.POSITIVE_INFINITY },
] as const;

/**
 * Calibration of claimed root causes: for each confidence bin, how many claims fell in it and how often
 * they were right. Only scenarios that say what is true count: those with an expected root cause, and
 * those expecting `ignore` or `watch` (where any claim is wrong).
 *
 * @param scored - each scenario's score and report
 */
export function calibration(scored: readonly { score: ScenarioScore; report: Report }[]): CalibrationBin[] {
  const claims: { confidence: number; right: boolean }[] = [];
  for (const { score, report } of scored) {
    const claim = claimedRootCause(report);
    const expected = score.expected;
    if (!claim || !expected) continue;
    if (expected.rootCause)
      claims.push({ confidence: claim.confidence, right: sameCause(claim, expected.rootCause) });
    else if (expected.decision === 'ignore' || expected.decision === 'watch')
      claims.push({ confidence: claim.confidence, right: false });
  }
  return calibrationBins.map(({ bin, low, high }) => {
    const inBin = claims.filter((claim) => claim.confidence >= low && claim.confidence < high);
    return {
      bin,
      count: inBin.length,
      accuracy: fraction(inBin.filter((claim) => claim.right).length, inBin.length),
    };
  });
}

/**
 * Sums up an eval run: accuracies, medians, budget overruns and calibration.
 *
 * @param scored - each scenario's score and report
 */
export function summarizeScores(scored: readonly { score: ScenarioScore; report: Report }[]): EvalSummary {
  const scores = scored.map((entry) => entry.score);
  const withCause = scores.filter((score) => score.top1 !== null);
  const withDecision = scores.filter((score) => score.decisionCorrect !== null);
  return {
    count: scores.length,
    top1: fraction(withCause.filter((score) => score.top1).length, withCause.length),
    top3: fraction(withCause.filter((score) => score.top3).length, withCause.length),
    decisionAccuracy: fraction(
      withDecision.filter((score) => score.decisionCorrect).length,
      withDecision.length,
    ),
    medianToolCalls: median(scores.map((score) => score.toolCalls)),
    medianWallMs: median(scores.map((score) => score.wallMs)),
    budgetOverruns: scored.filter((entry) => overranBudget(entry.report)).length,
    escalationPrecision: fraction(
      scores.filter((score) => score.decision === 'escalate' && score.expected?.decision === 'escalate')
        .length,
      scores.filter((score) => score.decision === 'escalate' && score.expected?.decision).length,
    ),
    escalationRecall: fraction(
      scores.filter((score) => score.decision === 'escalate' && score.expected?.decision === 'escalate')
        .length,
      scores.filter((score) => score.expected?.decision === 'escalate').length,
    ),
    confusion: confusionOf(scores),
    calibration: calibration(scored),
  };
}

/**
 * The decisions taken, counted by the decision expected.
 *
 * @param scores - each scenario's score
 */
export function confusionOf(scores: readonly ScenarioScore[]): DecisionConfusion {
  const confusion: DecisionConfusion = {};
  for (const score of scores) {
    const expected = score.expected?.decision;
    if (!expected) continue;
    const row = confusion[expected] ?? {};
    row[score.decision] = (row[score.decision] ?? 0) + 1;
    confusion[expected] = row;
  }
  return confusion;
}
