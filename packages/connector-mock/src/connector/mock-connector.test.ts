import { describeConnectorConformance } from '@aisre/core/testing';
import { sampleScenario } from '../fixtures/sample-scenarios';
import { createMockConnector } from './mock-connector';

const start = Date.parse('2026-03-02T10:00:00Z');
const trigger = start + 80 * 60_000;

describeConnectorConformance({
  name: 'mock',
  create: () => createMockConnector(sampleScenario()),
  window: { start, end: trigger },
  entity: 'service:shop/checkout',
  actuatorAction: { type: 'postgres.terminate-idle', target: 'postgres:shop/payments-db', parameters: {} },
});
