import { describe, expect, it } from 'vitest';
import { main } from './main';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: false,
    now: () => 0,
  });
  return { code, stdout, stderr };
}

describe('aisre eval --variants', () => {
  it.each([
    [['eval', '--seed', '3'], 'aisre eval: --seed goes with --variants'],
    [['eval', 'scenarios', '--variants', '2'], '--variants generates its scenarios: give no folder'],
    [['eval', '--variants', '0'], '--variants must be a whole number of at least 1'],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('evaluates generated scenarios and says what each is and why its expectation is what it is', async () => {
    const result = await run(['eval', '--variants', '2', '--seed', '5', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      summary: { count: number };
      scenarios: { name: string; decision: string; decisionReason: string }[];
      variants: { name: string; case: string; why: string }[];
    };
    expect(parsed.summary.count).toBe(2);
    expect(parsed.variants.map((variant) => variant.name)).toEqual(
      parsed.scenarios.map((score) => score.name),
    );
    for (const variant of parsed.variants) {
      expect(variant.name).toMatch(/^variant-5-\d+-(fault|blip|rollout|flap|shift|quiet)$/);
      expect(variant.why.length).toBeGreaterThan(0);
    }
  });
});
