/**
 * `@aisre/connector-mock`: a deterministic telemetry simulator, its fault catalogue and a library of
 * scenarios: the embedded default connector. A scenario file describes a system (topology, traffic), what
 * goes wrong (faults), what else happens (noise) and the alert that starts it all; the mock connector
 * serves the metrics, logs, traces, changes, topology and alerts such a system would produce, as of a
 * clock, and never the ground truth.
 *
 * @module
 */
export { createMockConnector } from './connector/mock-connector';
export {
  builtInScenarioNames,
  builtInScenariosDirectory,
  loadBuiltInScenario,
} from './scenario/built-in-scenarios';
export { faultTypes } from './scenario/fault-catalogue';
export { noiseTypes } from './scenario/noise-catalogue';
export { loadScenarioFile, parseScenario, withoutExpectations } from './scenario/parse-scenario';
export { scenarioSchema } from './scenario/scenario-schema';
export { scenarioTrigger } from './scenario/scenario-trigger';
export type {
  AppliedAction,
  FaultType,
  FaultTypeDescriptor,
  MockConnector,
  MockConnectorOptions,
  NoiseType,
  NoiseTypeDescriptor,
  ParameterDescriptor,
  ParameterValue,
  ParseScenarioOptions,
  RecordedNotification,
  Scenario,
  ScenarioDecision,
  ScenarioExpectation,
  ScenarioFault,
  ScenarioFormat,
  ScenarioNoise,
  ScenarioService,
  ScenarioTopology,
  ScenarioTraffic,
  ScenarioTrigger,
  ServiceKind,
} from './types';
