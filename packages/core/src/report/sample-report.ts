import type { Report } from '../contracts/report';

const digest = (letter: string) => letter.repeat(64);

/**
 * A hand-built, valid report of a small Redis incident, for the renderers' tests: a conclusion, two
 * alternatives, evidence citing steps (one of them failed), explored and ruled-out paths, an unchecked
 * item, a budget and a proposal.
 */
export function sampleReport(): Report {
  return {
    version: 1,
    id: 'inv-redis-3am',
    trigger: {
      id: 'alert-redis-latency',
      source: 'mock',
      kind: 'alert',
      entity: 'redis:shop/cache',
      severity: 'P3',
      at: '2026-03-02T02:40:00Z',
      summary: 'Redis command latency above 20 ms',
      labels: { severity: 'warning', alertname: 'RedisLatencyHigh' },
      payload: { value: 23.4, threshold: 20 },
    },
    startedAt: '2026-03-02T02:40:00Z',
    endedAt: '2026-03-02T02:40:12.500Z',
    ending: {
      kind: 'concluded',
      reason: 'memory fragmentation is at 91% and 80 points ahead of the next cause',
    },
    conclusion: {
      entity: 'redis:shop/cache',
      fault: 'redis.memory-fragmentation',
      confidence: 0.912,
      statement: 'Redis memory fragmentation on redis:shop/cache slows every command.',
      citations: [3, 1],
    },
    alternatives: [
      {
        entity: 'service:shop/frontend',
        fault: 'deploy.bad-release',
        confidence: 0.05,
        statement: 'The frontend deploy at 02:10 introduced a regression.',
        citations: [2],
      },
      {
        entity: 'redis:shop/cache',
        fault: 'redis.evictions',
        confidence: 0.004,
        statement: 'Redis evicts keys under memory pressure.',
        citations: [],
      },
    ],
    unknownRemainder: 0.034,
    evidence: [
      {
        id: 1,
        hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
        check: 'metric-anomaly:redis_mem_fragmentation_ratio',
        verdict: 'supports',
        weight: 1.39,
        summary: 'Fragmentation ratio rose from 1.1 to 1.89, 40 minutes before the alert.',
        excerpt: [
          [1772413200000, 1.1],
          [1772415000000, 1.42],
          [1772416800000, 1.89],
        ],
        step: 3,
      },
      {
        id: 2,
        hypothesis: 'service:shop/frontend#deploy.bad-release',
        check: 'change-proximity:deploy',
        verdict: 'refutes',
        weight: -1.2,
        summary: 'The frontend deploy came 30 minutes after the cache degraded.',
        excerpt: { at: '2026-03-02T02:10:00Z', version: 'v42' },
        step: 1,
      },
      {
        id: 3,
        hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
        check: 'metric-anomaly:redis_command_duration_seconds',
        verdict: 'supports',
        weight: 0.8,
        summary: 'Command latency rose with fragmentation.',
        excerpt: { baseline: 0.0012, current: 0.0234 },
        step: 4,
      },
      {
        id: 4,
        hypothesis: 'redis:shop/cache#redis.evictions',
        check: 'logs:evicted',
        verdict: 'unavailable',
        weight: 0,
        summary: 'The log search failed.',
        excerpt: null,
        step: 2,
      },
    ],
    steps: [
      {
        id: 1,
        tool: 'changes.list',
        provider: 'mock',
        input: { start: 1772409600000, end: 1772419200000 },
        startedMs: 0,
        durationMs: 4,
        outputDigest: digest('a'),
        output: [],
      },
      {
        id: 2,
        tool: 'logs.search',
        provider: 'mock',
        input: { entity: 'redis:shop/cache', text: 'evicted', start: 1772409600000, end: 1772419200000 },
        startedMs: 4,
        durationMs: 20000,
        outputDigest: digest('b'),
        error: { code: 'timeout', message: 'connector-mock: logs.search timed out after 20 s' },
        hypothesis: 'redis:shop/cache#redis.evictions',
      },
      {
        id: 3,
        tool: 'metrics.range',
        provider: 'mock',
        input: {
          metric: 'redis_mem_fragmentation_ratio',
          entity: 'redis:shop/cache',
          start: 1772409600000,
          end: 1772419200000,
        },
        startedMs: 5,
        durationMs: 6,
        outputDigest: digest('c'),
        hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
      },
      {
        id: 4,
        tool: 'tool:redis_info',
        provider: 'mock',
        input: { entity: 'redis:shop/cache', section: 'commandstats' },
        startedMs: 11,
        durationMs: 3,
        outputDigest: digest('d'),
        hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
      },
    ],
    explored: [
      {
        hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
        entity: 'redis:shop/cache',
        fault: 'redis.memory-fragmentation',
        status: 'concluded',
        posterior: 0.912,
        reason: 'supported by [1] and [3]',
      },
      {
        hypothesis: 'service:shop/frontend#deploy.bad-release',
        entity: 'service:shop/frontend',
        fault: 'deploy.bad-release',
        status: 'refuted',
        posterior: 0.05,
        reason: 'the deploy came after the symptom [2]',
      },
      {
        hypothesis: 'redis:shop/cache#redis.evictions',
        entity: 'redis:shop/cache',
        fault: 'redis.evictions',
        status: 'pruned',
        posterior: 0.004,
        reason: 'a sibling explains the symptom',
      },
    ],
    unchecked: [
      { what: 'Redis eviction logs of redis:shop/cache', why: 'the log search timed out', step: 2 },
      { what: 'traces of service:shop/recommendation', why: 'no connector has the traces capability' },
    ],
    budget: {
      limits: { wallTimeMs: 180000, toolCalls: 50, modelTokens: 120000, costUsd: 1 },
      used: { wallTimeMs: 12500, toolCalls: 4, modelTokens: 0, costUsd: 0 },
    },
    proposals: [
      {
        id: 'proposal-1',
        title: 'Enable active defragmentation',
        fault: 'redis.memory-fragmentation',
        action: {
          type: 'redis.config-set',
          target: 'redis:shop/cache',
          parameters: { parameter: 'activedefrag', value: 'yes' },
        },
        risk: 'low',
        rollback: {
          type: 'redis.config-set',
          target: 'redis:shop/cache',
          parameters: { parameter: 'activedefrag', value: 'no' },
        },
        rationale: 'Fragmentation is 1.89 and rising.',
        citations: [1],
      },
    ],
  };
}
