import { parseScenario } from '@aisre/connector-mock';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from './eval-variant-topology';
import { generateScenarioVariants, rubricDecision } from './eval-variants';

describe('the rubric of the development set', () => {
  it('escalates every real fault: paging behind a P1/P2 or an outage-class limit ahead, for working hours otherwise', () => {
    const pages = (decided: { decision: string; why: string }) => [
      decided.decision,
      /page/.test(decided.why),
    ];
    expect(pages(rubricDecision('fault', 'P2'))).toEqual(['escalate', true]);
    expect(pages(rubricDecision('fault', 'P3'))).toEqual(['escalate', false]);
    const ahead = { resource: 'volume', breach: 'outage' as const, atTrigger: false, at: 1 };
    expect(pages(rubricDecision('fault', 'P3', [ahead]))).toEqual(['escalate', true]);
    expect(pages(rubricDecision('fault', 'P3', [{ ...ahead, atTrigger: true }]))).toEqual([
      'escalate',
      false,
    ]);
    expect(pages(rubricDecision('fault', 'P3', [{ ...ahead, breach: 'restart' }]))).toEqual([
      'escalate',
      false,
    ]);
  });

  it('keeps noise quiet: blips watched above P4, rollouts watched at P1/P2, flaps and empty alerts ignored', () => {
    expect(rubricDecision('blip', 'P3').decision).toBe('watch');
    expect(rubricDecision('blip', 'P4').decision).toBe('ignore');
    expect(rubricDecision('rollout', 'P2').decision).toBe('watch');
    expect(rubricDecision('rollout', 'P3').decision).toBe('ignore');
    expect(rubricDecision('flap', 'P3').decision).toBe('ignore');
    expect(rubricDecision('shift', 'P4').decision).toBe('watch');
    expect(rubricDecision('quiet', 'P5').decision).toBe('ignore');
  });
});

describe('generateScenarioVariants', () => {
  it('gives the same valid scenarios for the same seed, each expectation from the rubric', async () => {
    const first = await generateScenarioVariants({ seed: 11, count: 5 });
    const again = await generateScenarioVariants({ seed: 11, count: 5 });
    expect(again).toEqual(first);
    expect(first).toHaveLength(5);
    expect(new Set(first.map((variant) => variant.scenario.name)).size).toBe(5);
    for (const { scenario, case: kind, why } of first) {
      expect(() => parseScenario(scenario)).not.toThrow();
      const decision = scenario.expect?.decision;
      expect(why.length).toBeGreaterThan(0);
      if (kind === 'fault') {
        expect(scenario.expect?.rootCause?.fault).toBe(scenario.faults[0]?.type);
        expect(['escalate', 'investigate']).toContain(decision);
        if (scenario.trigger.severity === 'P1' || scenario.trigger.severity === 'P2')
          expect(decision).toBe('escalate');
      } else {
        expect(scenario.faults).toEqual([]);
        expect(decision).toBe(rubricDecision(kind, scenario.trigger.severity).decision);
      }
    }
    const other = await generateScenarioVariants({ seed: 12, count: 2 });
    expect(other.map((variant) => variant.scenario.name)).not.toEqual(
      first.slice(0, 2).map((variant) => variant.scenario.name),
    );
  });

  it('draws from a seeded source that repeats', () => {
    const draws = (seed: number) => {
      const random = new SeededRandom(seed);
      return [
        random.next(),
        random.int(1, 6),
        random.pick(['a', 'b', 'c']),
        random.weighted([
          ['x', 1],
          ['y', 0],
        ]),
      ];
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
    expect(draws(3)[3]).toBe('x');
  });
});
