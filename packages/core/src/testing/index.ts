/**
 * Test helpers for connector and adapter authors: `import { describeConnectorConformance } from '@aisre/core/testing'`.
 *
 * @module
 */
export { type ConnectorConformanceOptions, describeConnectorConformance } from './connector-conformance';
export {
  type ReceivedRequest,
  type ScriptedResponder,
  type ScriptedResponse,
  type ScriptedServer,
  startScriptedServer,
} from './scripted-http-server';
