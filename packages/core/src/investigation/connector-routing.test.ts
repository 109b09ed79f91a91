import { describe, expect, it } from 'vitest';
import type { Connector, TopologySnapshot } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { LogRecord } from '../contracts/telemetry';
import { createManualClock } from '../runtime/call-context';
import { ConnectorRouting } from './connector-routing';
import { createInvestigator } from './investigator';
import { createTestSystem, frontendLatencyAlert, minute, start, testRefs } from './test-system.fixture';

const snapshot = (...refs: EntityRef[]): TopologySnapshot => ({
  observedAt: '2026-03-02T01:00:00Z',
  entities: refs.map((ref) => ({ ref, attributes: {} })),
  relations: [],
  kubernetesObjects: [],
});

const stub = (name: string, capabilities: Connector['capabilities']): Connector => ({
  name,
  tools: [],
  capabilities,
});
const logs = { search: async () => [] };
const metrics = { list: async () => [], range: async () => [] };

describe('ConnectorRouting', () => {
  it('sends a question to the first capable connector that named the entity', () => {
    const prometheus = stub('prometheus', { metrics });
    const redis = stub('redis', { metrics, logs });
    const postgres = stub('postgres', { metrics, logs });
    const routing = new ConnectorRouting([prometheus, redis, postgres]);
    routing.claim(prometheus, snapshot('redis:lab/cache', 'postgres:lab/db'));
    routing.claim(redis, snapshot('redis:lab/cache'));
    routing.claim(postgres, snapshot('postgres:lab/db'));
    expect(routing.pick('metrics', 'redis:lab/cache')).toBe(prometheus);
    expect(routing.pick('logs', 'redis:lab/cache')).toBe(redis);
    expect(routing.pick('logs', 'postgres:lab/db')).toBe(postgres);
    expect(routing.pick('traces', 'redis:lab/cache')).toBeUndefined();
    expect(routing.has('logs')).toBe(true);
    expect(routing.has('traces')).toBe(false);
  });

  it('without a claim, prefers a connector that named nothing, else the first capable one', () => {
    const catalogue = stub('catalogue', { logs });
    const everything = stub('everything', { logs });
    const routing = new ConnectorRouting([catalogue, everything]);
    routing.claim(catalogue, snapshot('service:shop/a'));
    expect(routing.pick('logs', 'service:shop/b')).toBe(everything);
    expect(routing.pick('logs')).toBe(everything);
    routing.claim(everything, snapshot('service:shop/c'));
    expect(routing.pick('logs', 'service:shop/b')).toBe(catalogue);
  });
});

describe('an investigation over several connectors', () => {
  it("reads an entity's logs from the connector that knows it, and the rest from the one that knows them", async () => {
    const now = start + 100 * minute;
    const system = createTestSystem({ fault: 'pool', now });
    const asked: EntityRef[] = [];
    const line: LogRecord = {
      at: new Date(now - minute).toISOString(),
      entity: testRefs.db,
      level: 'error',
      message: 'FATAL: sorry, too many clients already',
      attributes: {},
    };
    const database = stub('postgres', {
      topology: { scan: async () => snapshot(testRefs.db) },
      logs: {
        search: async (query) => {
          if (query.entity) asked.push(query.entity);
          return [line];
        },
      },
    });
    const report = await createInvestigator({
      connectors: [database, system],
      clock: createManualClock(now),
    }).investigate(frontendLatencyAlert(now));
    const logSteps = report.steps.filter((step) => step.tool === 'logs.search');
    const onDb = logSteps.filter((step) => (step.input as { entity?: string }).entity === testRefs.db);
    expect(onDb.length).toBeGreaterThan(0);
    for (const step of onDb) expect(step.provider).toBe('postgres');
    for (const step of logSteps.filter((one) => !onDb.includes(one))) expect(step.provider).toBe(system.name);
    for (const step of report.steps.filter((one) => one.tool === 'metrics.range'))
      expect(step.provider).toBe(system.name);
    expect(asked.every((entity) => entity === testRefs.db)).toBe(true);
    expect(report.conclusion).toMatchObject({ entity: testRefs.db, fault: 'db.connection-pool-saturation' });
  });
});
