export * from './anomaly-scoring';
export type { GatewayCall, GatewayOutcome, RecordedSteps } from './call-gateway';
export { canonicalJson, digestOf } from './canonical-json';
export type { ScoringWindows } from './checks';
export * from './failure-patterns';
export * from './hypothesis-generators';
export { createInvestigator, replayInvestigation } from './investigator';
export { recordTopologySnapshot } from './knowledge-exchange';
export * from './localization';
export * from './model/index';
export type {
  ModelCaller,
  ModelInterpretation,
  ModelPurpose,
  ModelReasoner,
  PlannedToolCall,
} from './model-reasoning';
export * from './propagation';
export * from './stop-rules';
export * from './symptom';
export * from './symptom-survey';
export { type MappedEntity, SystemMap } from './system-map';
export * from './types';
