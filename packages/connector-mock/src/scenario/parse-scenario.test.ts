import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, signalSchema } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sampleScenario } from '../fixtures/sample-scenarios';
import { loadScenarioFile, parseScenario, withoutExpectations } from './parse-scenario';
import { scenarioTrigger } from './scenario-trigger';

const designExample = `{ "name": "redis-3am", "seed": 7, "start": "2026-03-02T01:00:00Z", "duration": "3h", "step": "30s",
  "topology": { "namespace": "shop", "services": [
      { "name": "frontend", "kind": "service", "tier": 1, "replicas": 3, "rps": 120, "dependsOn": ["recommendation", "cart", "cart-events"] },
      { "name": "recommendation", "kind": "service", "dependsOn": ["recommendation-cache"] },
      { "name": "cart", "kind": "service", "dependsOn": ["cart-db"], "consumes": ["cart-events"] },
      { "name": "recommendation-cache", "kind": "redis", "maxMemoryMb": 16384 },
      { "name": "cart-db", "kind": "postgres", "maxConnections": 100 },
      { "name": "cart-events", "kind": "queue" } ] },
  "traffic": { "pattern": "diurnal", "peakMultiplier": 30, "peakAt": "09:00" },
  "faults": [ { "type": "redis.memory-fragmentation", "target": "recommendation-cache", "start": "+60m", "params": {} } ],
  "noise":  [ { "type": "deploy", "target": "frontend", "at": "+70m" } ],
  "trigger": { "alert": "RedisLatencyHigh", "entity": "redis:shop/recommendation-cache", "severity": "P3", "at": "+100m" },
  "expect": { "rootCause": { "entity": "redis:shop/recommendation-cache", "fault": "redis.memory-fragmentation" }, "decision": "escalate" } }`;

type Mutable = Record<string, unknown> & { topology: { services: Record<string, unknown>[] } };

function variant(change: (scenario: Mutable) => void): unknown {
  const scenario = structuredClone(sampleScenario()) as unknown as Mutable;
  change(scenario);
  return scenario;
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseScenario(input);
  } catch (error) {
    expect(InvalidInputError.isInstance(error)).toBe(true);
    return (error as InvalidInputError).issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
  }
  throw new Error('expected the scenario to be rejected');
}

function expectIssue(input: unknown, path: string, message?: RegExp): void {
  const issues = issuesOf(input);
  const match = issues.find((issue) => issue.path === path);
  expect(match, `expected an issue at ${path}, got ${JSON.stringify(issues)}`).toBeDefined();
  if (message) expect(match?.message).toMatch(message);
}

describe('parseScenario', () => {
  it('parses the DESIGN.md example as JSON, and the same as YAML', () => {
    const fromJson = parseScenario(designExample, { format: 'json' });
    const fromYaml = parseScenario(stringify(JSON.parse(designExample)), { format: 'yaml' });
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson.topology.services).toHaveLength(6);
    expect(fromJson.faults[0]?.type).toBe('redis.memory-fragmentation');
    expect(parseScenario(designExample)).toEqual(fromJson);
  });

  it('accepts every field of the format', () => {
    const scenario = parseScenario({
      ...sampleScenario(),
      traffic: { pattern: 'diurnal', peakMultiplier: 12, peakAt: '14:30' },
      faults: [
        {
          type: 'memory.leak',
          target: 'catalog',
          start: '2026-03-02T09:30:00Z',
          end: '+90m',
          params: { growthMbPerHour: 800 },
        },
        {
          type: 'network.latency',
          target: 'checkout',
          start: '+20m',
          params: { addedMs: 300, jitterMs: 100, rampMinutes: 1 },
        },
      ],
      noise: [
        { type: 'deploy', target: 'catalog', at: '+5m', params: { version: '9.9.9' } },
        { type: 'config-change', target: 'payments-db', at: '+6m', params: { key: 'work_mem' } },
        {
          type: 'flapping-alert',
          target: 'fulfilment',
          at: '+7m',
          params: { alert: 'KubePodNotReady', severity: 'P5', periodMinutes: 9, firingMinutes: 2, count: 3 },
        },
        {
          type: 'anomaly',
          target: 'session-cache',
          at: '+8m',
          params: { signal: 'memory', durationMinutes: 4, magnitude: 2 },
        },
        {
          type: 'chat',
          target: 'frontend',
          at: '+9m',
          params: { text: 'checkout is slow?', channel: '#help', author: 'dana' },
        },
      ],
      expect: { rootCause: { entity: 'service:shop/catalog', fault: 'memory.leak' }, decision: 'watch' },
    });
    expect(scenario.noise).toHaveLength(5);
    expect(scenario.topology.services.find((service) => service.kind === 'cronjob')?.schedule).toBe(
      '0 */1 * * *',
    );
  });

  it('defaults faults and noise to empty lists and keeps expect optional', () => {
    const { faults: _faults, noise: _noise, expect: _expect, ...rest } = sampleScenario();
    const scenario = parseScenario(rest);
    expect(scenario.faults).toEqual([]);
    expect(scenario.noise).toEqual([]);
    expect(scenario.expect).toBeUndefined();
  });

  it('rejects unknown fields, naming them', () => {
    expectIssue(
      variant((scenario) => Object.assign(scenario, { description: 'hi' })),
      'description',
      /unknown field/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[1] ?? {}, { owner: 'x' })),
      'topology.services.1.owner',
      /unknown field/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.trigger as object, { runbook: 'x' })),
      'trigger.runbook',
      /unknown field/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign((scenario.faults as object[])[0] as object, { params: { bogus: 1 } }),
      ),
      'faults.0.params.bogus',
      /unknown parameter/,
    );
  });

  it('rejects bad durations and steps', () => {
    expectIssue(
      variant((scenario) => Object.assign(scenario, { duration: '3 hours' })),
      'duration',
      /duration like/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario, { duration: '90x' })),
      'duration',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario, { step: '0s' })),
      'step',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario, { step: '3h' })),
      'step',
      /longer than the duration/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario, { duration: '30d', step: '1s' })),
      'duration',
      /at most/,
    );
  });

  it('rejects bad cron schedules', () => {
    const withSchedule = (schedule: string) =>
      variant((scenario) => Object.assign(scenario.topology.services[10] ?? {}, { schedule }));
    expectIssue(withSchedule('0 2 * *'), 'topology.services.10.schedule', /5 fields/);
    expectIssue(withSchedule('61 2 * * *'), 'topology.services.10.schedule', /outside 0-59/);
    expectIssue(withSchedule('0 2 * * MON'), 'topology.services.10.schedule');
    expectIssue(withSchedule('*/0 * * * *'), 'topology.services.10.schedule', /step/);
    expectIssue(
      variant((scenario) => {
        const job = scenario.topology.services[10] ?? {};
        delete job.schedule;
      }),
      'topology.services.10.schedule',
      /needs a schedule/,
    );
  });

  it('rejects unknown references, naming the field', () => {
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario.topology.services[0] ?? {}, { dependsOn: ['checkout', 'nope'] }),
      ),
      'topology.services.0.dependsOn.1',
      /unknown entry "nope"/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario.topology.services[4] ?? {}, { consumes: ['missing-queue'] }),
      ),
      'topology.services.4.consumes.0',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[4] ?? {}, { consumes: ['catalog-db'] })),
      'topology.services.4.consumes.0',
      /not a queue/,
    );
    expectIssue(
      variant((scenario) => Object.assign((scenario.faults as object[])[0] as object, { target: 'ghost' })),
      'faults.0.target',
      /unknown entry/,
    );
    expectIssue(
      variant((scenario) => Object.assign((scenario.noise as object[])[0] as object, { target: 'ghost' })),
      'noise.0.target',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.trigger as object, { entity: 'service:shop/ghost' })),
      'trigger.entity',
      /not in the topology/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.trigger as object, { entity: 'redis:shop/frontend' })),
      'trigger.entity',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.trigger as object, { entity: 'not a ref' })),
      'trigger.entity',
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario.expect as object, {
          rootCause: { entity: 'postgres:shop/catalog-db', fault: 'db.connection-pool-saturation' },
        }),
      ),
      'expect.rootCause',
      /no fault/,
    );
  });

  it('rejects a fault that does not fit its target kind', () => {
    expectIssue(
      variant((scenario) =>
        Object.assign((scenario.faults as object[])[0] as object, {
          type: 'redis.memory-fragmentation',
          params: {},
        }),
      ),
      'faults.0.type',
      /does not fit "payments-db" \(a postgres\)/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario, { noise: [{ type: 'deploy', target: 'payments-db', at: '+1m' }] }),
      ),
      'noise.0.type',
    );
    expectIssue(
      variant((scenario) => Object.assign((scenario.faults as object[])[0] as object, { type: 'explode' })),
      'faults.0.type',
    );
  });

  it('rejects bad ISO times and times outside the window', () => {
    expectIssue(
      variant((scenario) => Object.assign(scenario, { start: '2026-03-02 10:00' })),
      'start',
      /ISO time/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario, { start: '2026-03-02T10:00:00' })),
      'start',
    );
    expectIssue(
      variant((scenario) =>
        Object.assign((scenario.faults as object[])[0] as object, { start: 'yesterday' }),
      ),
      'faults.0.start',
      /offset like \+60m/,
    );
    expectIssue(
      variant((scenario) => Object.assign((scenario.faults as object[])[0] as object, { start: '+5h' })),
      'faults.0.start',
      /after the end/,
    );
    expectIssue(
      variant((scenario) => Object.assign((scenario.faults as object[])[0] as object, { end: '+10m' })),
      'faults.0.end',
      /after start/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.trigger as object, { at: '2026-03-01T00:00:00Z' })),
      'trigger.at',
      /within the scenario/,
    );
  });

  it('rejects bad parameters, kind-only fields, duplicates and cycles', () => {
    expectIssue(
      variant((scenario) =>
        Object.assign((scenario.faults as object[])[0] as object, { params: { utilization: 3 } }),
      ),
      'faults.0.params.utilization',
      /from 0.5 to 1/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario, {
          noise: [{ type: 'anomaly', target: 'catalog', at: '+1m', params: { signal: 'disk' } }],
        }),
      ),
      'noise.0.params.signal',
      /one of/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[0] ?? {}, { maxConnections: 10 })),
      'topology.services.0.maxConnections',
      /only allowed/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario.topology.services[5] ?? {}, { dependsOn: ['catalog-db'] }),
      ),
      'topology.services.5.dependsOn',
      /only allowed/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[1] ?? {}, { name: 'frontend' })),
      'topology.services.1.name',
      /duplicate/,
    );
    expectIssue(
      variant((scenario) =>
        Object.assign(scenario.topology.services[2] ?? {}, { dependsOn: ['payments-db', 'checkout'] }),
      ),
      'topology.services',
      /cycle/,
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[1] ?? {}, { tier: 4 })),
      'topology.services.1.tier',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology.services[1] ?? {}, { kind: 'mongodb' })),
      'topology.services.1.kind',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.traffic as object, { peakAt: '25:00' })),
      'traffic.peakAt',
    );
    expectIssue(
      variant((scenario) => Object.assign(scenario.topology, { namespace: 'Shop_Prod' })),
      'topology.namespace',
    );
  });

  it('reports malformed JSON and YAML as InvalidInputError', () => {
    expect(() => parseScenario('{ "name": ', { format: 'json' })).toThrow(/not valid JSON/);
    expect(() => parseScenario('name: [unclosed', { format: 'yaml' })).toThrow(/not valid YAML/);
    expect(() => parseScenario(42)).toThrow(InvalidInputError);
  });

  it('names the source in the message', () => {
    expect(() => parseScenario({}, { source: 'scenarios/x.yaml' })).toThrow(
      /scenario scenarios\/x.yaml is invalid: name:/,
    );
  });

  it('loads files by extension', () => {
    const directory = mkdtempSync(join(tmpdir(), 'connector-mock-'));
    writeFileSync(join(directory, 'one.json'), JSON.stringify(sampleScenario()));
    writeFileSync(join(directory, 'two.yaml'), stringify(sampleScenario()));
    expect(loadScenarioFile(join(directory, 'one.json'))).toEqual(
      loadScenarioFile(join(directory, 'two.yaml')),
    );
    expect(() => loadScenarioFile(join(directory, 'missing.yaml'))).toThrow(/cannot read/);
  });
});

describe('withoutExpectations and scenarioTrigger', () => {
  it('removes expect without touching the input', () => {
    const scenario = parseScenario(sampleScenario());
    const stripped = withoutExpectations(scenario);
    expect(stripped.expect).toBeUndefined();
    expect(stripped.faults).toEqual(scenario.faults);
    expect(scenario.expect).toBeDefined();
  });

  it('builds the trigger alert as a Signal', () => {
    const signal = signalSchema.parse(scenarioTrigger(parseScenario(sampleScenario())));
    expect(signal).toMatchObject({
      kind: 'alert',
      entity: 'service:shop/frontend',
      severity: 'P2',
      at: '2026-03-02T11:20:00.000Z',
      status: 'firing',
      labels: { alertname: 'CheckoutErrorRateHigh' },
    });
  });
});
