import { isAbsolute } from 'node:path';
import { createCallContext, InvalidInputError, parseEntityRef } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createMockConnector } from '../connector/mock-connector';
import type { Scenario } from '../types';
import { builtInScenarioNames, builtInScenariosDirectory, loadBuiltInScenario } from './built-in-scenarios';
import { resolveTimeReference } from './duration';
import { faultTypes } from './fault-catalogue';
import { entityRefOf } from './scenario-references';

function loadAll(): Scenario[] {
  return builtInScenarioNames().map((name) => loadBuiltInScenario(name));
}

describe('built-in scenarios', () => {
  it('live in an absolute folder shipped with the package', () => {
    expect(isAbsolute(builtInScenariosDirectory)).toBe(true);
    expect(builtInScenariosDirectory.endsWith('scenarios')).toBe(true);
  });

  it('are at least 30, each parses, is named after its file, and its trigger entity exists', async () => {
    const names = builtInScenarioNames();
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names).toContain('redis-3am');
    expect(names).toContain('login-failure');
    for (const [index, scenario] of loadAll().entries()) {
      expect(scenario.name).toBe(names[index]);
      const refs = scenario.topology.services.map((service) =>
        entityRefOf(scenario.topology.namespace, service),
      );
      expect(refs, scenario.name).toContain(scenario.trigger.entity);
      const start = Date.parse(scenario.start);
      for (const fault of scenario.faults) {
        expect(
          resolveTimeReference(fault.start, start),
          `${scenario.name}: the fault starts before the trigger`,
        ).toBeLessThan(resolveTimeReference(scenario.trigger.at, start) ?? 0);
      }
      expect(scenario.expect?.decision, `${scenario.name} has an expected decision`).toBeDefined();
    }
  });

  it('use every fault type at least twice, on different topologies, plus at least 5 quiet ones', async () => {
    const scenarios = loadAll();
    for (const descriptor of faultTypes) {
      const using = scenarios.filter((scenario) => scenario.expect?.rootCause?.fault === descriptor.type);
      expect(using.length, descriptor.type).toBeGreaterThanOrEqual(2);
      expect(
        new Set(using.map((scenario) => scenario.topology.namespace)).size,
        descriptor.type,
      ).toBeGreaterThanOrEqual(2);
    }
    const quiet = scenarios.filter((scenario) => scenario.faults.length === 0);
    expect(quiet.length).toBeGreaterThanOrEqual(5);
    for (const scenario of quiet) expect(['ignore', 'watch']).toContain(scenario.expect?.decision);
    expect(scenarios.filter((scenario) => scenario.noise.length > 0).length).toBeGreaterThan(
      scenarios.length * 0.8,
    );
    // Most incidents alert away from their cause: measured over the scenarios with a root cause, so that
    // quiet (noise-only) scenarios can be added freely.
    const withRootCause = scenarios.filter((scenario) => scenario.expect?.rootCause);
    const upstream = withRootCause.filter(
      (scenario) => scenario.expect?.rootCause?.entity !== scenario.trigger.entity,
    );
    expect(upstream.length).toBeGreaterThan(withRootCause.length / 2);
  });

  it('each gives telemetry for its trigger entity', async () => {
    for (const scenario of loadAll()) {
      const connector = createMockConnector(scenario);
      const context = createCallContext({ clock: connector });
      const descriptors =
        (await connector.capabilities.metrics?.list({ entity: scenario.trigger.entity }, context)) ?? [];
      if (parseEntityRef(scenario.trigger.entity).kind !== 'external')
        expect(descriptors.length, scenario.name).toBeGreaterThan(0);
      const signals =
        (await connector.capabilities.signals?.list(
          { start: Date.parse(scenario.start), end: connector.now() },
          context,
        )) ?? [];
      expect(
        signals.some(
          (signal) =>
            signal.labels.alertname === scenario.trigger.alert && signal.entity === scenario.trigger.entity,
        ),
      ).toBe(true);
    }
  });

  it('rejects an unknown name', () => {
    expect(() => loadBuiltInScenario('no-such-scenario')).toThrow(InvalidInputError);
  });
});
