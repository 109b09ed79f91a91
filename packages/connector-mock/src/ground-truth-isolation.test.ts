import { describe, expect, it } from 'vitest';
import { createMockConnector } from './connector/mock-connector';
import { sampleScenario } from './fixtures/sample-scenarios';
import { dumpTelemetry } from './fixtures/telemetry-dump';
import { builtInScenarioNames, loadBuiltInScenario } from './scenario/built-in-scenarios';
import { faultTypes } from './scenario/fault-catalogue';
import { noiseTypes } from './scenario/noise-catalogue';

/** Strings that would give the ground truth away if any output contained them. */
function forbiddenPatterns(): RegExp[] {
  const patterns: RegExp[] = [
    /\bfault(s|y)?\b/i,
    /\binjected\b/i,
    /\bnoise\b/i,
    /\bground.truth\b/i,
    /\bexpect(ed|ation)?\b/i,
  ];
  for (const descriptor of faultTypes) {
    patterns.push(new RegExp(descriptor.type.replace('.', '\\.'), 'i'));
    const suffix = descriptor.type.split('.')[1] ?? '';
    if (suffix.includes('-')) patterns.push(new RegExp(suffix, 'i'));
  }
  for (const descriptor of noiseTypes)
    if (descriptor.type.includes('-')) patterns.push(new RegExp(descriptor.type, 'i'));
  return patterns;
}

function expectClean(dump: string, what: string): void {
  for (const pattern of forbiddenPatterns()) {
    const match = pattern.exec(dump);
    expect(
      match,
      `${what}: output contains ${pattern} near "${match ? dump.slice(Math.max(0, match.index - 80), match.index + 80) : ''}"`,
    ).toBeNull();
  }
}

describe('ground-truth isolation', () => {
  it('two scenarios that differ only in expect produce byte-identical telemetry', async () => {
    const start = Date.parse('2026-03-02T10:00:00Z');
    const first = sampleScenario();
    const second = sampleScenario({
      expect: {
        rootCause: { entity: 'postgres:shop/payments-db', fault: 'db.connection-pool-saturation' },
        decision: 'ignore',
      },
    });
    const third = sampleScenario({ expect: undefined });
    delete third.expect;
    const dumps = await Promise.all(
      [first, second, third].map((scenario) => dumpTelemetry(createMockConnector(scenario), start)),
    );
    expect(dumps[0]?.length).toBeGreaterThan(100_000);
    expect(dumps[1]).toBe(dumps[0]);
    expect(dumps[2]).toBe(dumps[0]);
  });

  it('the scenario name reaches no output', async () => {
    const start = Date.parse('2026-03-02T10:00:00Z');
    const named = (name: string) =>
      dumpTelemetry(createMockConnector(sampleScenario({ name })), start, { spanLimit: 200 });
    expect(await named('a-telling-name')).toBe(await named('another-name'));
  });

  it('no output of any built-in scenario names a fault type or gives the game away', async () => {
    for (const name of builtInScenarioNames()) {
      const scenario = loadBuiltInScenario(name);
      const dump = await dumpTelemetry(createMockConnector(scenario), Date.parse(scenario.start), {
        spanLimit: 500,
      });
      expectClean(dump, name);
    }
  }, 120_000);
});
