import { describe, expect, it } from 'vitest';
import type { Report } from '../contracts/report';
import { reviseDecisionAfterInvestigation } from './decision-revision';

const cause = {
  entity: 'redis:shop/cache' as const,
  fault: 'redis.memory-fragmentation',
  statement: 's',
  citations: [1],
};

function report(overrides: Partial<Report>): Report {
  return {
    version: 1,
    id: 'r',
    trigger: {
      id: 't',
      source: 's',
      kind: 'alert',
      entity: 'redis:shop/cache',
      severity: 'P3',
      at: '2026-03-02T02:40:00Z',
      summary: 's',
      labels: {},
      payload: {},
    },
    startedAt: '2026-03-02T02:40:00Z',
    endedAt: '2026-03-02T02:40:00Z',
    ending: { kind: 'needs-human', reason: 'r' },
    alternatives: [],
    unknownRemainder: 0.05,
    evidence: [],
    steps: [],
    explored: [],
    unchecked: [],
    budget: {
      limits: { wallTimeMs: 1, toolCalls: 1, modelTokens: 0, costUsd: 0 },
      used: { wallTimeMs: 0, toolCalls: 0, modelTokens: 0, costUsd: 0 },
    },
    proposals: [],
    ...overrides,
  };
}

describe('reviseDecisionAfterInvestigation', () => {
  it('keeps a decision the investigation supports', () => {
    expect(
      reviseDecisionAfterInvestigation(
        'escalate',
        report({ ending: { kind: 'concluded', reason: 'r' }, conclusion: { ...cause, confidence: 0.93 } }),
      ).decision,
    ).toBe('escalate');
    expect(
      reviseDecisionAfterInvestigation(
        'investigate',
        report({ alternatives: [{ ...cause, confidence: 0.6 }] }),
      ),
    ).toMatchObject({ decision: 'escalate', urgency: 'working-hours' });
  });

  it('goes back to watch when the investigation found nothing worth acting on', () => {
    expect(
      reviseDecisionAfterInvestigation('escalate', report({ alternatives: [{ ...cause, confidence: 0.06 }] }))
        .decision,
    ).toBe('watch');
    expect(
      reviseDecisionAfterInvestigation(
        'investigate',
        report({ ending: { kind: 'concluded', reason: 'nothing is wrong' } }),
      ).decision,
    ).toBe('watch');
  });

  it('escalates the investigate of any severity once a real fault is found, paging only a P1 or P2 or the urgent', () => {
    const found = (severity: 'P2' | 'P3') =>
      report({
        trigger: { ...report({}).trigger, severity },
        alternatives: [{ ...cause, confidence: 0.55 }],
      });
    const revised = (severity: 'P2' | 'P3', urgent = false) => {
      const { decision, urgency } = reviseDecisionAfterInvestigation('investigate', found(severity), {
        urgent,
        corroborated: true,
      });
      return [decision, urgency];
    };
    expect(revised('P2')).toEqual(['escalate', 'page']);
    expect(revised('P3')).toEqual(['escalate', 'working-hours']);
    expect(revised('P3', true)).toEqual(['escalate', 'page']);
  });

  it('keeps an urgent escalation whose trouble is plain to see, a corroborated investigate, and nothing else', () => {
    const nothing = report({ alternatives: [{ ...cause, confidence: 0.05 }] });
    const symptom = (state: 'sustained' | 'fresh') => ({
      entity: 'redis:shop/cache' as const,
      metric: 'redis_latency_percentiles_usec',
      state,
      score: 8,
      ratio: 2.5,
      abnormalForMs: 600_000,
      episodes: 0,
    });
    const seen = { urgent: true, corroborated: true, symptom: symptom('sustained') };
    const forecast = {
      entity: 'redis:shop/cache' as const,
      resource: 'redis-memory',
      metric: 'redis_memory_used_bytes',
      current: 8,
      limit: 10,
      utilisation: 0.8,
      breach: 'outage' as const,
      growthPerHour: 1,
      consistency: 0.9,
      model: 'time' as const,
      hoursToLimit: 2,
    };
    expect(reviseDecisionAfterInvestigation('escalate', nothing, seen).decision).toBe('escalate');
    expect(
      reviseDecisionAfterInvestigation('escalate', nothing, { ...seen, symptom: symptom('fresh') }).decision,
    ).toBe('watch');
    expect(
      reviseDecisionAfterInvestigation('escalate', nothing, { ...seen, symptom: symptom('fresh'), forecast })
        .decision,
    ).toBe('escalate');
    expect(reviseDecisionAfterInvestigation('escalate', nothing, { ...seen, urgent: false }).decision).toBe(
      'watch',
    );
    expect(reviseDecisionAfterInvestigation('investigate', nothing, seen).decision).toBe('investigate');
    expect(
      reviseDecisionAfterInvestigation('investigate', nothing, { ...seen, corroborated: false }).decision,
    ).toBe('watch');
  });

  it('leaves decisions that started no investigation alone', () => {
    expect(
      reviseDecisionAfterInvestigation('ignore', report({ conclusion: { ...cause, confidence: 0.99 } }))
        .decision,
    ).toBe('ignore');
    expect(reviseDecisionAfterInvestigation('watch', report({})).decision).toBe('watch');
  });
});
