/**
 * `@aisre/connector-replay`: serves recorded telemetry (metric series from CSV or JSON, and optionally logs,
 * spans, call statistics, changes and a call graph) through the standard connector capabilities, as of a
 * clock that only moves forward; and loads the PetShop root-cause dataset into such recordings.
 *
 * @module
 */
export { aggregateCallSeries, aggregateSpans } from './call-aggregation';
export { type CsvRow, splitCsv } from './csv-text';
export { parseMetricCsv } from './metric-csv';
export {
  buildPetShopCase,
  type PetShopCase,
  type PetShopCaseInput,
  type PetShopTarget,
} from './petshop/petshop-case';
export {
  type ComponentIndex,
  indexComponents,
  petShopEntityKind,
  petShopEntityKinds,
  petShopNamespace,
} from './petshop/petshop-components';
export {
  listPetShopIssues,
  loadPetShopGraph,
  loadPetShopIssue,
  loadPetShopNormalWindows,
  loadPetShopTarget,
  type NormalWindowOptions,
  type PetShopIssueLocation,
} from './petshop/petshop-dataset';
export { type CallGraph, parseCallGraphCsv } from './petshop/petshop-graph';
export {
  availabilityMetric,
  latencyMetric,
  petShopSeries,
  requestsMetric,
} from './petshop/petshop-metrics';
export { petShopPatterns } from './petshop/petshop-patterns';
export { chooseTriggerTime } from './petshop/petshop-trigger';
export { parseRecordingJson } from './recording-json';
export { createReplayConnector, lastRecordedTime } from './replay-connector';
export { createReplayTools } from './replay-tools';
export { parseTimestamp, parseValue } from './time-values';
export type {
  LoadResult,
  RecordedCallPoint,
  RecordedCallSeries,
  RecordedSeries,
  RecordedTopology,
  ReplayConnector,
  ReplayConnectorOptions,
  ReplayRecording,
} from './types';
export { parseWideCsv, type WideColumn, type WideCsvOptions, type WideTable } from './wide-csv';
