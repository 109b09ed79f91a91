/**
 * `@aisre/cli`: the `aisre` command line (`investigate`, `triage`, `story`, `scenarios`, `eval`) and its
 * pieces, for hosts that embed it or script it: `main`, each command, the eval scorer and the generator of
 * the triage development set.
 *
 * @module
 */

export { claimedRootCause, claimThreshold } from './claimed-cause';
export { type CliIo, exitCodes } from './cli-io';
export {
  type EvalSource,
  type EvaluateOptions,
  evalCommand,
  evalSources,
  evaluateScenarios,
} from './eval-command';
export {
  type CalibrationBin,
  type CauseRef,
  calibration,
  confusionOf,
  type DecisionConfusion,
  type EvalFailure,
  type EvalResult,
  type EvalSummary,
  type ExpectedOutcome,
  median,
  overranBudget,
  type RankedCandidate,
  rankedCandidates,
  type ScenarioOutcome,
  type ScenarioScore,
  scoreScenario,
  summarizeScores,
} from './eval-scoring';
export { renderEvalTable } from './eval-table';
export type { LimitReached } from './eval-variant-telemetry';
export {
  generateScenarioVariants,
  rubricDecision,
  type ScenarioVariant,
  urgentAheadMs,
  type VariantCase,
  type VariantOptions,
} from './eval-variants';
export { investigateCommand } from './investigate-command';
export {
  createLiveView,
  type LiveView,
  type LiveViewOptions,
  type LiveViewState,
  renderLiveView,
} from './live-view';
export { type Command, commands, type MainOptions, main } from './main';
export { followWithProgressLines } from './progress-lines';
export { runScenario, type ScenarioRun, type ScenarioRunOptions } from './scenario-run';
export {
  listBuiltInScenarios,
  type ScenarioListing,
  type ScenarioListings,
  scenariosCommand,
} from './scenarios-command';
export { storyCommand } from './story-command';
export { createTerminalApprovalGate, type TerminalApprovalGateOptions } from './terminal-approval-gate';
export { triageCommand } from './triage-command';
