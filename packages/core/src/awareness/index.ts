/**
 * Awareness: signal intake, deduplication, grouping into situations, triage with reasons and forecasts,
 * escalation, and learning from feedback. See docs/awareness.md.
 *
 * @module
 */
export { createAwareness } from './awareness';
export * from './awareness-events';
export {
  type CorroboratingSeries,
  defaultCorroboratingSeries,
  type SustainedRise,
  sustainedRise,
  sustainedShift,
} from './corroboration';
export {
  actionableConfidence,
  actionableFinding,
  type EscalationUrgency,
  escalationUrgency,
  type RevisedDecision,
  reviseDecisionAfterInvestigation,
  urgencyWords,
} from './decision-revision';
export {
  defaultSymptomTiming,
  loadDrivenMetrics,
  minimumCorroboratingRise,
  perUnitOfTraffic,
  type SymptomTiming,
  symptomRecentMs,
  symptomSustainedAfterMs,
  symptomThreshold,
} from './deviation-rules';
export { forecastSentence, formatEscalation } from './escalation-message';
export {
  type LearnedAdjustment,
  learnedAdjustment,
  type PatternLevel,
  patternKey,
  patternOf,
  suppressionNoiseCount,
} from './feedback-learning';
export { createFileTriageStore, type FileTriageStoreOptions } from './file-triage-store';
export { createMemoryTriageStore, type TriageStoreContent } from './memory-triage-store';
export { breachOf } from './saturation-forecast';
export {
  minimumProjectionConsistency,
  projectSaturation,
  type SaturationProjection,
  type SaturationProjectionInput,
} from './saturation-projection';
export { defaultSaturationResources, resolveSaturationResources } from './saturation-resources';
export { fingerprintOf } from './signal-fingerprint';
export { flappingFlaps, primarySignal } from './situation-book';
export type { SymptomReading, SymptomState } from './symptom-reading';
export { fitTheilSen, type TheilSenFit, theilSenMaximumPoints } from './theil-sen';
export {
  type DiurnalTrafficOptions,
  diurnalTrafficModel,
  flatTrafficModel,
  trafficModelFromAttributes,
} from './traffic-model';
export {
  atLimit,
  atLimitShare,
  rolloutWindowMs,
  type TriageWeights,
  triageWeights,
  urgentForecast,
  urgentWithinHours,
} from './triage-factors';
export { type TriageSignalOptions, triageSignal } from './triage-signal';
export {
  budgetForDecision,
  decide,
  defaultDecisionBudgets,
  defaultTriageThresholds,
  resolveDecisionBudgets,
  resolveTriageThresholds,
  triageDecisions,
} from './triage-thresholds';
export * from './types';
