export {
  type ApprovalDecision,
  type ApprovalGate,
  type ApprovalOutcome,
  type ApprovalRequest,
  approvalDecisionSchema,
} from './approval-gate';
export * from './approval-history';
export * from './approval-history-file';
export * from './built-in-remediations';
export * from './default-policy';
export * from './incident-capture';
export { pastIncidentsFromGraph, recordIncidentInGraph } from './incident-graph';
export { createInMemoryIncidentMemory, type IncidentMemory } from './incident-memory';
export * from './incident-memory-file';
export * from './low-load-schedule';
export * from './policy-evaluation';
export * from './policy-parsing';
export * from './remediation-catalogue';
export * from './remediation-proposals';
export * from './remediation-verification';
export * from './resolution-events';
export { createResolver } from './resolver';
export * from './test-approval-gates';
export * from './timer';
export * from './types';
