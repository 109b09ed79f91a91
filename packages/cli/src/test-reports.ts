import type { EntityRef, RankedCause, Report, Severity } from '@aisre/core';

/** A candidate for {@link reportWith}: entity, fault and confidence. */
export interface TestCause {
  /** The entity. */
  entity: EntityRef;
  /** The fault. */
  fault: string;
  /** The confidence. */
  confidence: number;
}

function ranked(cause: TestCause): RankedCause {
  return { ...cause, statement: `${cause.fault} on ${cause.entity}`, citations: [] };
}

/**
 * Builds a minimal valid report for the CLI's tests: the conclusion and alternatives given, a P3 alert on
 * `redis:shop/cache` unless told otherwise, and a budget of 50 tool calls of which `toolCalls` were used.
 *
 * @param parts - what the test cares about
 */
export function reportWith(
  parts: {
    conclusion?: TestCause;
    alternatives?: TestCause[];
    severity?: Severity;
    toolCalls?: number;
    wallTimeMs?: number;
  } = {},
): Report {
  return {
    version: 1,
    id: 'inv-test',
    trigger: {
      id: 'alert-1',
      source: 'test',
      kind: 'alert',
      entity: 'redis:shop/cache',
      severity: parts.severity ?? 'P3',
      at: '2026-03-02T02:40:00Z',
      summary: 'RedisLatencyHigh',
      labels: {},
      payload: {},
    },
    startedAt: '2026-03-02T02:40:00Z',
    endedAt: '2026-03-02T02:40:01Z',
    ending: parts.conclusion
      ? { kind: 'concluded', reason: 'confident' }
      : { kind: 'budget-exhausted', reason: 'spent' },
    ...(parts.conclusion ? { conclusion: ranked(parts.conclusion) } : {}),
    alternatives: (parts.alternatives ?? []).map(ranked),
    unknownRemainder: 0.05,
    evidence: [],
    steps: [],
    explored: [],
    unchecked: [],
    budget: {
      limits: { wallTimeMs: 180_000, toolCalls: 50, modelTokens: 0, costUsd: 0 },
      used: {
        wallTimeMs: parts.wallTimeMs ?? 1000,
        toolCalls: parts.toolCalls ?? 10,
        modelTokens: 0,
        costUsd: 0,
      },
    },
    proposals: [],
  };
}
