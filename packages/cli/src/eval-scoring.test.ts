import { describe, expect, it } from 'vitest';
import { median, overranBudget, scoreScenario, summarizeScores } from './eval-scoring';
import { reportWith } from './test-reports';

const redis = { entity: 'redis:shop/cache' as const, fault: 'redis.memory-fragmentation' };
const cart = { entity: 'service:shop/cart' as const, fault: 'deploy.bad-release' };
const db = { entity: 'postgres:shop/db' as const, fault: 'postgres.connection-exhaustion' };
const queue = { entity: 'queue:shop/events' as const, fault: 'queue.backlog' };

describe('scoreScenario', () => {
  it('ranks the conclusion first and scores top-1, top-3 and the decision', () => {
    const report = reportWith({
      conclusion: { ...cart, confidence: 0.6 },
      alternatives: [
        { ...db, confidence: 0.2 },
        { ...redis, confidence: 0.1 },
        { ...queue, confidence: 0.05 },
      ],
    });
    const score = scoreScenario({
      name: 's',
      expect: { rootCause: redis, decision: 'escalate' },
      severity: 'P3',
      report,
      decision: 'escalate',
      wallMs: 12.4,
    });
    expect(score.ranked.map((cause) => cause.entity)).toEqual([
      'service:shop/cart',
      'postgres:shop/db',
      'redis:shop/cache',
      'queue:shop/events',
    ]);
    expect(score).toMatchObject({
      expected: { rootCause: redis, decision: 'escalate' },
      top1: false,
      top3: true,
      decision: 'escalate',
      decisionCorrect: true,
      toolCalls: 10,
      modelTokens: 0,
      wallMs: 12,
      ending: 'concluded',
    });
  });

  it('has null top-1/top-3 without an expected root cause, and null decisionCorrect without a decision', () => {
    const score = scoreScenario({
      name: 's',
      expect: undefined,
      severity: 'P3',
      report: reportWith(),
      decision: 'investigate',
      wallMs: 1,
    });
    expect(score).toMatchObject({ expected: null, top1: null, top3: null, decisionCorrect: null });
  });

  it('counts ignore/watch as right only when the investigation the decision ran claimed no root cause', () => {
    const quiet = scoreScenario({
      name: 'noise',
      expect: { decision: 'watch' },
      severity: 'P4',
      report: reportWith({ alternatives: [{ ...cart, confidence: 0.3 }] }),
      decision: 'watch',
      decisionReason: 'the investigation found nothing worth acting on',
      decisionReport: reportWith({ alternatives: [{ ...cart, confidence: 0.3 }] }),
      wallMs: 1,
    });
    expect(quiet).toMatchObject({
      decision: 'watch',
      decisionReason: 'the investigation found nothing worth acting on',
      decisionCorrect: true,
      top1: null,
    });
    const claimed = scoreScenario({
      name: 'noise',
      expect: { decision: 'watch' },
      severity: 'P4',
      report: reportWith(),
      decision: 'watch',
      decisionReport: reportWith({ conclusion: { ...cart, confidence: 0.7 } }),
      wallMs: 1,
    });
    expect(claimed.decisionCorrect).toBe(false);
    // Decided ignore, nothing was investigated: the scorer's own root-cause run claims nothing for it.
    const uninvestigated = scoreScenario({
      name: 'noise',
      expect: { decision: 'ignore' },
      severity: 'P4',
      report: reportWith({ conclusion: { ...cart, confidence: 0.7 } }),
      decision: 'ignore',
      wallMs: 1,
    });
    expect(uninvestigated).toMatchObject({ decisionCorrect: true, decisionReason: 'not investigated' });
  });
});

describe('summarizeScores', () => {
  it('computes accuracies, medians, overruns and calibration', () => {
    const runs = [
      {
        expect: { rootCause: redis, decision: 'escalate' as const },
        conclusion: { ...redis, confidence: 0.95 },
        toolCalls: 10,
      },
      {
        expect: { rootCause: redis },
        conclusion: { ...cart, confidence: 0.75 },
        alternatives: [{ ...redis, confidence: 0.2 }],
        toolCalls: 30,
      },
      { expect: { rootCause: db }, conclusion: { ...db, confidence: 0.6 }, toolCalls: 20 },
      { expect: { decision: 'ignore' as const }, conclusion: { ...cart, confidence: 0.55 }, toolCalls: 60 },
    ];
    const scored = runs.map((run, index) => {
      const report = reportWith({
        conclusion: run.conclusion,
        alternatives: run.alternatives ?? [],
        toolCalls: run.toolCalls,
      });
      return {
        score: scoreScenario({
          name: `s${index}`,
          expect: run.expect,
          severity: 'P3',
          report,
          decision: index === 0 ? ('escalate' as const) : ('investigate' as const),
          wallMs: index * 10,
        }),
        report,
      };
    });
    const summary = summarizeScores(scored);
    expect(summary).toEqual({
      count: 4,
      top1: 0.6667,
      top3: 1,
      decisionAccuracy: 0.5,
      medianToolCalls: 25,
      medianWallMs: 15,
      budgetOverruns: 1,
      escalationPrecision: 1,
      escalationRecall: 1,
      confusion: { escalate: { escalate: 1 }, ignore: { investigate: 1 } },
      calibration: [
        { bin: '0.5-0.7', count: 2, accuracy: 0.5 },
        { bin: '0.7-0.9', count: 1, accuracy: 0 },
        { bin: '0.9-1.0', count: 1, accuracy: 1 },
      ],
    });
  });

  it('reports nulls for an empty run', () => {
    expect(summarizeScores([])).toMatchObject({
      count: 0,
      top1: null,
      medianToolCalls: null,
      budgetOverruns: 0,
    });
  });
});

describe('helpers', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('overranBudget only when a limit is exceeded', () => {
    expect(overranBudget(reportWith({ toolCalls: 50 }))).toBe(false);
    expect(overranBudget(reportWith({ toolCalls: 51 }))).toBe(true);
    expect(overranBudget(reportWith({ wallTimeMs: 180_001 }))).toBe(true);
  });
});
