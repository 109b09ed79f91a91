import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { budgetLimitsSchema } from './budget';
import { isoTimeSchema, jsonValueSchema, timeWindowSchema } from './common';
import {
  metricListQuerySchema,
  spanQuerySchema,
  topologySnapshotSchema,
  windowQuerySchema,
} from './connector';
import { evidenceSchema } from './evidence';
import { hypothesisSchema } from './hypothesis';
import { modelMessageSchema, modelUsageSchema } from './language-model';
import { policySchema } from './policy';
import { actuationResultSchema, remediationActionSchema, remediationProposalSchema } from './remediation';
import { reportSchema } from './report';
import { signalSchema } from './signal';
import { stepSchema } from './step';
import {
  callStatsSchema,
  changeEventSchema,
  logQuerySchema,
  logRecordSchema,
  metricDescriptorSchema,
  metricRangeQuerySchema,
  metricSeriesSchema,
  spanSchema,
} from './telemetry';

const signal = {
  id: 'alert-1',
  source: 'alertmanager',
  kind: 'alert',
  entity: 'redis:shop/recommendation-cache',
  severity: 'P3',
  at: '2026-03-02T02:40:00Z',
  summary: 'RedisLatencyHigh',
  labels: { alertname: 'RedisLatencyHigh' },
  payload: { value: 2.3 },
};
const action = {
  type: 'redis.config-set',
  target: 'redis:shop/recommendation-cache',
  parameters: { parameter: 'activedefrag', value: 'yes' },
};
const proposal = {
  id: 'p1',
  title: 'Enable active defragmentation',
  fault: 'redis.memory-fragmentation',
  action,
  risk: 'low',
  rollback: { ...action, parameters: { parameter: 'activedefrag', value: 'no' } },
  rationale: 'fragmentation ratio 1.89 [2]',
  citations: [2],
};
const evidence = {
  id: 1,
  hypothesis: 'h1',
  check: 'metric-anomaly:redis_mem_fragmentation_ratio',
  verdict: 'supports',
  weight: 1.6,
  summary: 'fragmentation ratio rose from 1.1 to 1.89',
  excerpt: [
    [0, 1.1],
    [1, 1.89],
  ],
  step: 1,
};
const step = {
  id: 1,
  tool: 'metrics.range',
  provider: 'mock',
  input: { metric: 'redis_mem_fragmentation_ratio' },
  startedMs: 0,
  durationMs: 3,
  outputDigest: 'a'.repeat(64),
};
const ranked = {
  entity: 'redis:shop/recommendation-cache',
  fault: 'redis.memory-fragmentation',
  confidence: 0.93,
  statement: 's',
  citations: [1],
};
const report = {
  version: 1,
  id: 'inv-1',
  trigger: signal,
  startedAt: '2026-03-02T02:40:00Z',
  endedAt: '2026-03-02T02:40:01Z',
  ending: { kind: 'concluded', reason: 'confidence 0.93 above 0.9' },
  conclusion: ranked,
  alternatives: [],
  unknownRemainder: 0.02,
  evidence: [evidence],
  steps: [step],
  explored: [
    {
      hypothesis: 'h1',
      entity: ranked.entity,
      fault: ranked.fault,
      status: 'concluded',
      posterior: 0.93,
      reason: 'r',
    },
  ],
  unchecked: [{ what: 'logs', why: 'no logs capability' }],
  budget: {
    limits: { wallTimeMs: 1000, toolCalls: 10, modelTokens: 0, costUsd: 0 },
    used: { wallTimeMs: 10, toolCalls: 1, modelTokens: 0, costUsd: 0 },
  },
  proposals: [proposal],
};

const cases: [string, z.ZodType, unknown[], unknown[]][] = [
  [
    'windowQuery',
    windowQuerySchema,
    [
      { start: 0, end: 10 },
      { entity: 'service:a/b', start: 5, end: 5 },
    ],
    [
      { start: 10, end: 0 },
      { start: 0, end: 1, entity: 'b' },
    ],
  ],
  [
    'spanQuery',
    spanQuerySchema,
    [{ start: 0, end: 10, limit: 5 }],
    [
      { start: 0, end: 10, limit: 0 },
      { start: 3, end: 1 },
    ],
  ],
  [
    'logQuery',
    logQuerySchema,
    [{ start: 0, end: 10, text: 'OOM', minLevel: 'warn' }],
    [
      { start: 0, end: 10, minLevel: 'loud' },
      { start: 2, end: 1 },
    ],
  ],
  ['metricListQuery', metricListQuerySchema, [{}, { entity: 'redis:a/b' }], [{ entity: 'redis' }]],
  [
    'metricRangeQuery',
    metricRangeQuerySchema,
    [{ metric: 'm', start: 0, end: 10 }],
    [
      { metric: '', start: 0, end: 10 },
      { metric: 'm', start: 10, end: 0 },
    ],
  ],
  [
    'isoTime',
    isoTimeSchema,
    ['2026-03-02T02:40:00Z', '2026-03-02T02:40:00.123+01:00'],
    ['2026-03-02', 'yesterday', 5],
  ],
  ['jsonValue', jsonValueSchema, [1, 'a', null, [true, { a: [1] }]], [undefined, () => 1, new Map()]],
  ['timeWindow', timeWindowSchema, [{ start: 0, end: 10 }], [{ start: 10, end: 0 }, { start: 0 }]],
  [
    'budgetLimits',
    budgetLimitsSchema,
    [{ wallTimeMs: 1, toolCalls: 1, modelTokens: 0, costUsd: 0 }],
    [
      { wallTimeMs: 1, toolCalls: 1.5, modelTokens: 0, costUsd: 0 },
      { wallTimeMs: 1, toolCalls: 1, modelTokens: 0, costUsd: 0, extra: 1 },
    ],
  ],
  [
    'signal',
    signalSchema,
    [signal, { ...signal, status: 'resolved', labels: undefined, payload: undefined }],
    [
      { ...signal, kind: 'page' },
      { ...signal, severity: 'P0' },
      { ...signal, entity: 'redis' },
      { ...signal, at: 'now' },
    ],
  ],
  [
    'metricDescriptor',
    metricDescriptorSchema,
    [
      {
        name: 'redis_memory_used_bytes',
        entity: 'redis:shop/c',
        type: 'gauge',
        unit: 'bytes',
        labels: {},
        help: 'h',
      },
    ],
    [
      { name: '', entity: 'redis:shop/c', type: 'gauge', unit: 'bytes', labels: {}, help: 'h' },
      { name: 'x', entity: 'redis:shop/c', type: 'meter', unit: '', labels: {}, help: '' },
    ],
  ],
  [
    'metricSeries',
    metricSeriesSchema,
    [
      {
        metric: 'm',
        entity: 'service:a/b',
        labels: {},
        unit: 'ratio',
        points: [
          [0, 1],
          [1, null],
        ],
      },
    ],
    [{ metric: 'm', entity: 'service:a/b', labels: {}, unit: 'ratio', points: [[0]] }],
  ],
  [
    'logRecord',
    logRecordSchema,
    [{ at: '2026-03-02T02:40:00Z', entity: 'service:a/b', level: 'error', message: 'm', attributes: {} }],
    [{ at: '2026-03-02T02:40:00Z', entity: 'service:a/b', level: 'critical', message: 'm', attributes: {} }],
  ],
  [
    'span',
    spanSchema,
    [
      {
        traceId: 't',
        spanId: 's',
        entity: 'service:a/b',
        name: 'GET',
        kind: 'server',
        start: '2026-03-02T02:40:00Z',
        durationMs: 3,
        status: 'ok',
        attributes: {},
      },
    ],
    [
      {
        traceId: 't',
        spanId: 's',
        entity: 'service:a/b',
        name: 'GET',
        kind: 'server',
        start: '2026-03-02T02:40:00Z',
        durationMs: -3,
        status: 'ok',
        attributes: {},
      },
    ],
  ],
  [
    'callStats',
    callStatsSchema,
    [{ from: 'service:a/b', to: 'redis:a/c', rate: 3, errorRatio: 0.1, p50Ms: 1, p95Ms: 2, p99Ms: 3 }],
    [{ from: 'service:a/b', to: 'redis:a/c', rate: 3, errorRatio: 1.5, p50Ms: 1, p95Ms: 2, p99Ms: 3 }],
  ],
  [
    'changeEvent',
    changeEventSchema,
    [
      {
        id: 'c',
        entity: 'service:a/b',
        kind: 'deploy',
        at: '2026-03-02T02:40:00Z',
        summary: 'v2',
        attributes: { to: 'v2' },
      },
    ],
    [
      {
        id: 'c',
        entity: 'service:a/b',
        kind: 'upgrade',
        at: '2026-03-02T02:40:00Z',
        summary: 'v2',
        attributes: {},
      },
    ],
  ],
  [
    'topologySnapshot',
    topologySnapshotSchema,
    [
      {
        observedAt: '2026-03-02T02:40:00Z',
        entities: [{ ref: 'service:a/b', attributes: {} }],
        relations: [],
        kubernetesObjects: [],
      },
    ],
    [{ observedAt: 'x', entities: [{ ref: 'service:a/b' }], relations: [], kubernetesObjects: [] }],
  ],
  [
    'hypothesis',
    hypothesisSchema,
    [
      {
        id: 'h',
        entity: 'redis:a/b',
        fault: 'degraded',
        statement: 's',
        prior: 0.2,
        posterior: 0.5,
        status: 'open',
        generator: 'graph',
      },
    ],
    [
      {
        id: 'h',
        entity: 'redis:a/b',
        fault: 'degraded',
        statement: 's',
        prior: 1.2,
        posterior: 0.5,
        status: 'open',
        generator: 'graph',
      },
      {
        id: 'h',
        entity: 'redis:a/b',
        fault: 'degraded',
        statement: 's',
        prior: 0.2,
        posterior: 0.5,
        status: 'maybe',
        generator: 'graph',
      },
    ],
  ],
  [
    'evidence',
    evidenceSchema,
    [evidence, { ...evidence, verdict: 'unavailable', weight: 0 }],
    [
      { ...evidence, id: 0 },
      { ...evidence, verdict: 'proves' },
      { ...evidence, weight: Number.POSITIVE_INFINITY },
    ],
  ],
  [
    'step',
    stepSchema,
    [step, { ...step, error: { code: 'connector', message: 'down' } }],
    [
      { ...step, outputDigest: 'xyz' },
      { ...step, id: 0 },
    ],
  ],
  [
    'remediationAction',
    remediationActionSchema,
    [action],
    [
      { ...action, type: 'restart' },
      { ...action, target: 'cache' },
    ],
  ],
  [
    'remediationProposal',
    remediationProposalSchema,
    [proposal, { ...proposal, rollback: 'revert the config map' }],
    [
      { ...proposal, risk: 'none' },
      { ...proposal, citations: [0] },
    ],
  ],
  [
    'actuationResult',
    actuationResultSchema,
    [{ applied: false, dryRun: true, summary: 's', details: {} }],
    [{ applied: 'yes', dryRun: true, summary: 's', details: {} }],
  ],
  [
    'report',
    reportSchema,
    [
      report,
      { ...report, conclusion: undefined, ending: { kind: 'budget-exhausted', reason: 'tool calls spent' } },
    ],
    [
      { ...report, version: 2 },
      { ...report, ending: { kind: 'gave-up', reason: 'r' } },
      { ...report, ending: { kind: 'concluded', reason: '' } },
    ],
  ],
  [
    'modelMessage',
    modelMessageSchema,
    [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '', toolCalls: [{ id: '1', name: 't', input: {} }] },
      { role: 'tool', toolCallId: '1', toolName: 't', content: 'r' },
    ],
    [
      { role: 'system', content: 'x' },
      { role: 'tool', content: 'r' },
    ],
  ],
  [
    'modelUsage',
    modelUsageSchema,
    [{ inputTokens: 1, outputTokens: 2, costUsd: 0.1 }],
    [{ inputTokens: -1, outputTokens: 2 }],
  ],
  [
    'policy',
    policySchema,
    [
      {
        version: 1,
        environments: {
          production: {
            production: true,
            rules: [{ id: 'r', actions: ['redis.*'], effect: 'require-approval', approver: 'on-call' }],
          },
        },
      },
    ],
    [
      { version: 1, environments: { dev: { rules: [{ id: 'r', actions: ['redis.*'], effect: 'maybe' }] } } },
      {
        version: 1,
        environments: { dev: { rules: [{ id: 'r', actions: ['Redis Stuff'], effect: 'allow' }] } },
      },
      { version: 1, environments: { dev: { rules: [], extra: true } } },
    ],
  ],
];

describe('contract schemas', () => {
  for (const [name, schema, valid, invalid] of cases) {
    it(`${name}: accepts valid examples`, () => {
      for (const value of valid) expect(schema.safeParse(value).error).toBeUndefined();
    });
    it(`${name}: rejects invalid examples`, () => {
      for (const value of invalid) expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    });
  }

  it('policy rules default to low risk', () => {
    const parsed = policySchema.parse({
      version: 1,
      environments: { dev: { rules: [{ id: 'r', actions: ['*'], effect: 'allow' }] } },
    });
    expect(parsed.environments.dev?.rules[0]?.maxRisk).toBe('low');
  });
});
