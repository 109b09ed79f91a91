import { describe, expect, it } from 'vitest';
import { defaultBudgetsBySeverity } from '../budget/severity-budgets';
import type { Signal } from '../contracts/signal';
import { InvalidInputError } from '../errors/aisre-error';
import { learnedAdjustment } from './feedback-learning';
import { fingerprintOf } from './signal-fingerprint';
import {
  budgetForDecision,
  decide,
  defaultTriageThresholds,
  resolveDecisionBudgets,
  resolveTriageThresholds,
  shiftThresholds,
} from './triage-thresholds';
import type { PatternStatistics } from './types';

const signal: Signal = {
  id: 'a-1',
  source: 'alertmanager',
  kind: 'alert',
  entity: 'redis:shop/cache',
  severity: 'P3',
  at: '2026-03-02T03:00:00Z',
  summary: 'latency',
  labels: { alertname: 'RedisLatencyHigh', cluster: 'eu' },
  payload: {},
};

describe('thresholds and budgets', () => {
  it('decides by the most attention a score reaches', () => {
    const p3 = defaultTriageThresholds.P3;
    expect([0.1, 0.3, 0.6, 0.8].map((score) => decide(score, p3))).toEqual([
      'ignore',
      'watch',
      'investigate',
      'escalate',
    ]);
  });

  it('applies overrides and refuses out-of-order or unknown ones', () => {
    expect(resolveTriageThresholds({ P3: { escalate: 0.9 } }).P3).toEqual({
      watch: 0.3,
      investigate: 0.55,
      escalate: 0.9,
    });
    expect(() => resolveTriageThresholds({ P3: { watch: 0.7 } })).toThrow(InvalidInputError);
    expect(() => resolveTriageThresholds({ P3: { escalate: 2 } })).toThrow(/P3\.escalate/);
    expect(() => resolveDecisionBudgets({ watch: 'lots' as never })).toThrow(InvalidInputError);
  });

  it('gives no budget to watch and the severity budget to investigate and escalate', () => {
    const budgets = resolveDecisionBudgets();
    expect(budgetForDecision(budgets.watch, 'P2')).toBeNull();
    expect(budgetForDecision(budgets.investigate, 'P3')).toEqual(defaultBudgetsBySeverity.P3);
    expect(budgetForDecision(resolveDecisionBudgets({ investigate: 'P4' }).investigate, 'P2')).toEqual(
      defaultBudgetsBySeverity.P4,
    );
    expect(budgetForDecision(budgets.escalate, 'P2')).toEqual(defaultBudgetsBySeverity.P2);
    const custom = { wallTimeMs: 1000, toolCalls: 3, modelTokens: 0, costUsd: 0 };
    expect(budgetForDecision(resolveDecisionBudgets({ watch: custom }).watch, 'P5')).toEqual(custom);
  });

  it('shifts thresholds within bounds', () => {
    expect(shiftThresholds(defaultTriageThresholds.P1, -0.3)).toEqual({
      watch: 0.05,
      investigate: 0.05,
      escalate: 0.15,
    });
  });
});

describe('fingerprints', () => {
  it('ignore label order and delivery ids of alerts, but not of deploys', () => {
    const reordered = { ...signal, id: 'a-2', labels: { cluster: 'eu', alertname: 'RedisLatencyHigh' } };
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(signal));
    expect(fingerprintOf({ ...signal, labels: { alertname: 'Other' } })).not.toBe(fingerprintOf(signal));
    const deploy = { ...signal, kind: 'deploy' as const };
    expect(fingerprintOf({ ...deploy, id: 'd-2' })).not.toBe(fingerprintOf(deploy));
    expect(fingerprintOf({ ...signal, fingerprint: 'given' })).toBe('given');
  });
});

describe('learned adjustment', () => {
  const stats = (counts: Partial<PatternStatistics>): PatternStatistics => ({
    key: 'k',
    alertname: 'RedisLatencyHigh',
    entityKind: 'redis',
    entity: 'redis:shop/cache',
    useful: 0,
    noise: 0,
    missed: 0,
    updatedAt: '2026-03-02T03:00:00Z',
    ...counts,
  });

  it('suppresses only repeated noise with nothing useful, harder with more noise, and prefers entity statistics', () => {
    expect(learnedAdjustment(stats({ noise: 2 }), undefined).scoreShift).toBe(0);
    expect(learnedAdjustment(stats({ noise: 3 }), undefined).scoreShift).toBe(-0.2);
    expect(learnedAdjustment(stats({ noise: 5 }), undefined).scoreShift).toBe(-0.4);
    expect(learnedAdjustment(stats({ noise: 9 }), undefined).scoreShift).toBe(-0.6);
    expect(learnedAdjustment(stats({ noise: 5, useful: 1 }), undefined).scoreShift).toBe(0.05);
    expect(learnedAdjustment(stats({ noise: 5, missed: 1 }), undefined)).toMatchObject({
      scoreShift: 0,
      thresholdShift: -0.1,
    });
    expect(learnedAdjustment(undefined, stats({ noise: 3, entity: undefined })).scoreShift).toBe(-0.2);
    expect(learnedAdjustment(stats({ useful: 1 }), stats({ noise: 9 })).scoreShift).toBe(0.05);
  });
});
