import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PetShopCase } from '@aisre/connector-replay';
import type { Report } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { evaluatePetShop, rankedComponents, renderPetShopTable, trafficOf } from './petshop-eval';
import { rankOf, recall, summarizePetShop } from './petshop-scoring';

const components = ['Front', 'Mid', 'Leaf', 'Other'];

/** Rows of a metrics file: latency Average and availability of each component; `slow` is slowed from row 2. */
function metricsFile(rows: number, slow: string | undefined, startSeconds: number): string {
  const header = [
    `microservice,${[...components, ...components].join(',')}`,
    `metric,${components.map(() => 'latency').join(',')},${components.map(() => 'availability').join(',')}`,
    `statistic,${Array(8).fill('Average').join(',')}`,
    `unix_timestamp,${Array(8).fill('').join(',')}`,
  ];
  const body = Array.from({ length: rows }, (_, row) => {
    const wobble = 1 + ((row * 7) % 5) / 100;
    const latency = components.map((component) => {
      const base = { Front: 0.2, Mid: 0.1, Leaf: 0.05, Other: 0.03 }[component] ?? 0.1;
      const hit =
        slow !== undefined &&
        row >= 2 &&
        (component === slow || component === 'Front' || (component === 'Mid' && slow === 'Leaf'));
      return (base * wobble + (hit ? 0.5 : 0)).toFixed(4);
    });
    return `${startSeconds + row * 300}.0,${latency.join(',')},100.0,100.0,100.0,100.0`;
  });
  return [...header, ...body].join('\n');
}

function dataset(): string {
  const root = mkdtempSync(join(tmpdir(), 'petshop-eval-'));
  const scenario = join(root, 'low_traffic');
  mkdirSync(join(scenario, 'noissue'), { recursive: true });
  writeFileSync(
    join(scenario, 'graph.csv'),
    ',Front,Mid,Leaf,Other\nFront,0,1,0,1\nMid,0,0,1,0\nLeaf,0,0,0,0\nOther,0,0,0,0\n',
  );
  writeFileSync(join(scenario, 'noissue', 'metrics.csv'), metricsFile(15, undefined, 100_000));
  const issues: [string, string, string][] = [
    ['train', 'issue_0', 'Leaf'],
    ['test', 'issue_0', 'Other'],
    ['test', 'issue_1', 'Leaf'],
  ];
  issues.forEach(([split, name, cause], index) => {
    const directory = join(scenario, split, name);
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'metrics.csv'), metricsFile(5, cause, 10_000 * (index + 1)));
    writeFileSync(
      join(directory, 'target.json'),
      JSON.stringify({
        target: { node: 'Front', metric: 'latency', agg: 'Average' },
        root_cause: { node: cause },
        metadata: {},
      }),
    );
  });
  return root;
}

describe('PetShop scoring', () => {
  it('ranks components once each, at their best place', () => {
    expect(rankOf(['A', 'A', 'B', 'C'], 'B')).toBe(2);
    expect(rankOf(['A', 'B'], 'Z')).toBeNull();
  });

  it("ranks components by the engine's posterior summed over their faults, leaves only", () => {
    const refs = { A: 'service:petshop/A', B: 'function:petshop/B' } as const;
    const path = (entity: string, fault: string, status: string, posterior: number) => ({
      hypothesis: `${entity}#${fault}`,
      entity,
      fault,
      status,
      posterior,
      reason: '',
    });
    // A's best fault (0.3) beats B's (0.25), but B's faults together (0.45) outweigh A's (0.35); A's
    // refined entity-level candidate (0.35, the sum of its children) is not counted again.
    const report = {
      explored: [
        path(refs.A, 'degraded', 'supported', 0.35),
        path(refs.A, 'latency.degradation', 'testing', 0.3),
        path(refs.A, 'cpu.saturation', 'testing', 0.05),
        path(refs.B, 'latency.degradation', 'testing', 0.25),
        path(refs.B, 'availability.drop', 'pruned', 0.2),
      ],
    } as unknown as Report;
    const petShopCase = {
      components: {
        refOf: new Map(Object.entries(refs)),
        componentOf: new Map(Object.entries(refs).map(([name, ref]) => [ref, name])),
      },
    } as unknown as PetShopCase;
    expect(rankedComponents(report, petShopCase)).toEqual(['B', 'A']);
  });

  it('computes top-1 and top-3 recall', () => {
    expect(recall([1, 2, 4, null])).toEqual({ count: 4, top1: 0.25, top3: 0.5 });
    expect(recall([])).toEqual({ count: 0, top1: null, top3: null });
  });

  it('aggregates cells with splits, specificity and baselines', () => {
    const issue = (split: string, rank: number | null, zscoreRank: number | null) => ({
      id: `x/${split}`,
      traffic: 'low',
      split,
      metric: 'latency',
      rank,
      random: { top1: 0.25, top3: 0.75 },
      zscoreRank,
    });
    const result = summarizePetShop(
      [issue('train', 1, 2), issue('test', 3, 1)],
      [
        { id: 'w1', traffic: 'low', metric: 'latency', quiet: true },
        { id: 'w2', traffic: 'low', metric: 'latency', quiet: false },
      ],
    );
    expect(result.cells).toEqual([
      {
        traffic: 'low',
        metric: 'latency',
        count: 2,
        top1: 0.5,
        top3: 1,
        specificity: 0.5,
        splits: { train: { count: 1, top1: 1, top3: 1 }, test: { count: 1, top1: 0, top3: 1 } },
        baselines: { random: { top1: 0.25, top3: 0.75 }, zscore: { top1: 0.5, top3: 1 } },
        normalWindows: 2,
      },
    ]);
    expect(result.summary).toMatchObject({ count: 2, top1: 0.5, top3: 1, specificity: 0.5 });
    expect(trafficOf('temporal_traffic2')).toBe('temporal');
    expect(trafficOf('high_traffic')).toBe('high');
  });
});

describe('evaluatePetShop on a tiny synthetic dataset', () => {
  it('investigates every issue and normal window and reports the required shape', async () => {
    const result = await evaluatePetShop({ path: dataset(), randomRuns: 20 });
    expect(result.errors).toEqual([]);
    const [cell] = result.cells;
    expect(Object.keys(cell ?? {})).toEqual(
      expect.arrayContaining(['traffic', 'metric', 'count', 'top1', 'top3', 'specificity']),
    );
    expect(cell).toMatchObject({ traffic: 'low', metric: 'latency', count: 3, normalWindows: 3 });
    expect(cell?.splits.train.count).toBe(1);
    expect(cell?.splits.test.count).toBe(2);
    expect(Object.keys(result.baselines)).toEqual(['random', 'zscore']);
    expect(result.summary.count).toBe(3);
    expect(result.baselines.random.top1).toBeGreaterThan(0);
    expect(result.baselines.random.top1).toBeLessThan(0.6);
    expect(renderPetShopTable(result)).toMatch(/^traffic/);
  });
});
