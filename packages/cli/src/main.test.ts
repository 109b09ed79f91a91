import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReport } from '@aisre/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult } from './eval-scoring';
import { main } from './main';

/** A small valid scenario, the design's example. */
const scenario = {
  name: 'redis-fragmentation-test',
  seed: 7,
  start: '2026-03-02T01:00:00Z',
  duration: '3h',
  step: '30s',
  topology: {
    namespace: 'shop',
    services: [
      {
        name: 'frontend',
        kind: 'service',
        tier: 1,
        replicas: 3,
        rps: 120,
        dependsOn: ['recommendation', 'cart'],
      },
      { name: 'recommendation', kind: 'service', dependsOn: ['recommendation-cache'] },
      { name: 'cart', kind: 'service', dependsOn: ['cart-db'] },
      { name: 'recommendation-cache', kind: 'redis', maxMemoryMb: 16384 },
      { name: 'cart-db', kind: 'postgres', maxConnections: 100 },
    ],
  },
  traffic: { pattern: 'diurnal', peakMultiplier: 30, peakAt: '09:00' },
  faults: [{ type: 'redis.memory-fragmentation', target: 'recommendation-cache', start: '+60m', params: {} }],
  noise: [{ type: 'deploy', target: 'frontend', at: '+70m' }],
  trigger: {
    alert: 'RedisLatencyHigh',
    entity: 'redis:shop/recommendation-cache',
    severity: 'P3',
    at: '+100m',
  },
  expect: {
    rootCause: { entity: 'redis:shop/recommendation-cache', fault: 'redis.memory-fragmentation' },
    decision: 'escalate',
  },
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd?: string): Promise<Run> {
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
    ...(cwd ? { cwd } : {}),
  });
  return { code, stdout, stderr };
}

let folder = '';

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'aisre-cli-'));
  writeFileSync(join(folder, 'a-valid.json'), JSON.stringify(scenario, null, 2));
  writeFileSync(join(folder, 'b-broken.yaml'), 'name: broken\ntopology: 12\n');
  writeFileSync(join(folder, 'notes.txt'), 'not a scenario');
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('aisre usage', () => {
  it('prints help with --help and for each command', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage:');
    for (const command of ['investigate', 'scenarios', 'eval']) {
      expect(top.stdout).toContain(command);
      const help = await run([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: aisre ${command}`);
    }
  });

  it.each([
    [[], 'Usage:'],
    [['frobnicate'], 'aisre: unknown command "frobnicate"'],
    [['--verbose'], 'aisre: unknown option --verbose'],
    [['scenarios', '--nope'], 'aisre scenarios: unknown option --nope'],
    [['scenarios', 'extra'], 'aisre scenarios: unexpected argument extra'],
    [['investigate'], 'aisre investigate: --scenario is required'],
    [['investigate', '--scenario'], 'aisre investigate: --scenario needs a value'],
    [['scenarios', '--json=yes'], 'aisre scenarios: --json takes no value'],
    [
      ['investigate', '--scenario', 'redis-3am', '--concurrency', 'zero'],
      '--concurrency must be a whole number',
    ],
    [
      ['investigate', '--scenario', 'no-such-scenario'],
      'no scenario file or built-in scenario "no-such-scenario"',
    ],
    [['eval', '/no/such/folder'], 'is not a folder'],
    [['investigate', '--scenario', 'redis-3am', '--json', '--html'], 'choose one of --json and --html'],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('aisre scenarios', () => {
  it('lists the built-in scenarios as a table', async () => {
    const result = await run(['scenarios']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^name\s+alert\s+entity\s+severity/);
    expect(result.stdout).toContain('redis-3am');
  });

  it('lists them as one JSON object with --json', async () => {
    const result = await run(['scenarios', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { scenarios: Record<string, string>[] };
    expect(parsed.scenarios.length).toBeGreaterThan(0);
    for (const listing of parsed.scenarios) {
      expect(Object.keys(listing)).toEqual(['name', 'alert', 'entity', 'severity']);
    }
    expect(parsed.scenarios.map((listing) => listing.name)).toContain('redis-3am');
  });
});

describe('aisre eval', () => {
  it('scores the valid scenario, lists the invalid file under errors and goes on', async () => {
    const result = await run(['eval', folder, '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as EvalResult;
    expect(Object.keys(parsed)).toEqual(['summary', 'scenarios', 'errors']);
    expect(parsed.summary.count).toBe(1);
    expect(parsed.summary.calibration.map((bin) => bin.bin)).toEqual(['0.5-0.7', '0.7-0.9', '0.9-1.0']);
    expect(parsed.summary.budgetOverruns).toBe(0);
    const [only] = parsed.scenarios;
    expect(only?.name).toBe('redis-fragmentation-test');
    expect(only?.expected).toEqual({ rootCause: scenario.expect.rootCause, decision: 'escalate' });
    expect(typeof only?.top1).toBe('boolean');
    expect(typeof only?.wallMs).toBe('number');
    expect(Object.keys(only ?? {})).toEqual([
      'name',
      'expected',
      'ranked',
      'top1',
      'top3',
      'decision',
      'decisionReason',
      'decisionCorrect',
      'toolCalls',
      'modelTokens',
      'wallMs',
      'ending',
    ]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.file).toContain('b-broken.yaml');
    expect(parsed.errors[0]?.error.length).toBeGreaterThan(0);
    expect(result.stderr).toContain('eval [1/2]');
  });

  it('prints a table and the summary for humans', async () => {
    const result = await run(['eval', '.'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^scenario\s+expected\s+top-1\s+✓\/✗/);
    expect(result.stdout).toContain('redis-fragmentation-test');
    expect(result.stdout).toContain('scenarios: 1 run, 1 failed');
    expect(result.stdout).toMatch(/top-1: .*top-3: /);
    expect(result.stdout).toContain('calibration: 0.5-0.7');
    expect(result.stdout).toMatch(/decided \(expected → decided\): escalate → \w+ 1/);
    expect(result.stdout).toContain('b-broken.yaml: ');
  });
});

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

describe('aisre investigate', () => {
  it('prints the report as exactly one JSON object with --json, progress on stderr, deterministically', async () => {
    const file = join(folder, 'a-valid.json');
    const first = await run(['investigate', '--scenario', file, '--json', '--max-tool-calls', '30']);
    expect(first.code).toBe(0);
    const report = parseReport(first.stdout);
    expect(report.trigger.entity).toBe('redis:shop/recommendation-cache');
    expect(report.budget.limits.toolCalls).toBe(30);
    expect(report.budget.used.toolCalls).toBeLessThanOrEqual(30);
    expect(first.stderr).toContain('investigating');
    expect(first.stderr).toMatch(/ended \S+ after \d+ tool calls/);
    const second = await run(['investigate', '--scenario', file, '--json', '--max-tool-calls', '30']);
    expect(second.stdout).toBe(first.stdout);
  });

  it('prints the Markdown report of a built-in scenario', async () => {
    const result = await run(['investigate', '--scenario', 'redis-3am']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('# Investigation: ');
    expect(result.stdout).toContain('## Conclusion');
    expect(result.stdout).toContain('## Evidence chain');
  });

  it('prints a self-contained HTML page with the evidence charts with --html', async () => {
    const result = await run(['investigate', '--scenario', 'redis-3am', '--html']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(result.stdout).toContain('<h2>Evidence chain</h2>');
    expect(result.stdout).toContain('<svg class="chart"');
    expect(result.stdout).not.toMatch(/<script|src="http|href="http/);
  });

  it('exits 1 with the validation message for a broken scenario file', async () => {
    const result = await run(['investigate', '--scenario', join(folder, 'b-broken.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^aisre: /);
  });
});
