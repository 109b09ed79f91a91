import { describe, expect, it } from 'vitest';
import type { Connector } from '../contracts/connector';
import { reportSchema } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import { createManualClock } from '../runtime/call-context';
import { createInvestigator, replayInvestigation } from './investigator';
import { createTestSystem, type Fault, minute, start, testRefs } from './test-system.fixture';

const now = start + 100 * minute;
const trigger = (entity = testRefs.frontend, alertname = 'FrontendLatencyHigh'): Signal => ({
  id: 'alert-1',
  source: 'test',
  kind: 'alert',
  entity,
  severity: 'P3',
  at: new Date(now).toISOString(),
  summary: `${alertname} on ${entity}`,
  labels: { alertname },
  payload: {},
});

async function investigate(
  fault: Fault,
  extra: Partial<Parameters<typeof createTestSystem>[0]> = {},
  concurrency = 4,
) {
  const connector = createTestSystem({ fault, now, ...extra });
  const investigator = createInvestigator({
    connectors: [connector],
    clock: createManualClock(now),
    concurrency,
  });
  return investigator.investigate(trigger());
}

describe('investigator', () => {
  it('finds a connection-pool saturation two hops down', async () => {
    const report = await investigate('pool');
    expect(reportSchema.parse(report)).toBeTruthy();
    expect(report.ending.kind).toBe('concluded');
    expect(report.conclusion).toMatchObject({ entity: testRefs.db, fault: 'db.connection-pool-saturation' });
    expect(report.conclusion?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(report.budget.used.toolCalls).toBeLessThanOrEqual(15);
  });

  it('finds redis fragmentation', async () => {
    const report = await investigate('fragmentation');
    expect(report.conclusion).toMatchObject({ entity: testRefs.cache, fault: 'redis.memory-fragmentation' });
  });

  it('finds a bad release on the service that was deployed, not the bystander deploy', async () => {
    const report = await investigate('bad-release');
    expect(report.conclusion).toMatchObject({ entity: testRefs.api, fault: 'deploy.bad-release' });
  });

  it('claims no root cause when nothing is wrong', async () => {
    const report = await investigate('none');
    expect(report.conclusion).toBeUndefined();
    for (const alternative of report.alternatives) expect(alternative.confidence).toBeLessThan(0.5);
  });

  it('cites steps that exist, in a numbered chain', async () => {
    const report = await investigate('pool');
    const stepIds = new Set(report.steps.map((step) => step.id));
    report.evidence.forEach((evidence, index) => {
      expect(evidence.id).toBe(index + 1);
      expect(stepIds.has(evidence.step)).toBe(true);
    });
    for (const citation of report.conclusion?.citations ?? [])
      expect(report.evidence[citation - 1]).toBeDefined();
  });

  it('gives the same report at concurrency 1 and 16', async () => {
    const one = await investigate('pool', {}, 1);
    const sixteen = await investigate('pool', {}, 16);
    expect(sixteen).toEqual(one);
  });

  it('replays a recorded investigation offline to an identical report', async () => {
    const connector = createTestSystem({ fault: 'fragmentation', now });
    const options = { connectors: [connector], clock: createManualClock(now) };
    const report = await createInvestigator(options).investigate(trigger());
    const offline = createTestSystem({
      fault: 'fragmentation',
      now,
      failing: { metrics: 'throw', traces: 'throw', changes: 'throw', topology: 'throw', logs: 'throw' },
    });
    const replayed = await replayInvestigation(report, { connectors: [offline] });
    expect(replayed).toEqual(report);
  });

  it('never exceeds the tool-call budget and says so when it ends on it', async () => {
    for (const toolCalls of [0, 1, 3, 6]) {
      const connector = createTestSystem({ fault: 'pool', now });
      const investigator = createInvestigator({
        connectors: [connector],
        clock: createManualClock(now),
        budget: { toolCalls },
      });
      const report = await investigator.investigate(trigger());
      expect(report.budget.used.toolCalls).toBeLessThanOrEqual(toolCalls);
      expect(report.steps.length).toBeLessThanOrEqual(toolCalls);
      expect(report.ending.reason.length).toBeGreaterThan(0);
      if (toolCalls <= 3) expect(report.ending.kind).toBe('budget-exhausted');
    }
  });

  it.each(['throw', 'malformed'] as const)(
    'turns a connector that %ss into failed steps, not a crash',
    async (failing) => {
      const report = await investigate('pool', { failing: { metrics: failing } });
      expect(reportSchema.parse(report)).toBeTruthy();
      const failed = report.steps.filter((step) => step.error);
      expect(failed.length).toBeGreaterThan(0);
      expect(report.unchecked.length).toBeGreaterThan(0);
      expect(report.evidence.some((evidence) => evidence.verdict === 'unavailable')).toBe(true);
    },
  );

  it('records a hanging check as timed out and goes on', async () => {
    const connector = createTestSystem({ fault: 'pool', now, failing: { logs: 'hang' } });
    const investigator = createInvestigator({
      connectors: [connector],
      clock: createManualClock(now),
      checkTimeoutMs: 50,
    });
    const report = await investigator.investigate(trigger());
    expect(report.steps.some((step) => step.error?.code === 'timeout')).toBe(true);
    expect(report.conclusion?.entity).toBe(testRefs.db);
  });

  it('ends cancelled when aborted, keeping what it gathered', async () => {
    const controller = new AbortController();
    const connector = createTestSystem({ fault: 'pool', now });
    const investigator = createInvestigator({ connectors: [connector], clock: createManualClock(now) });
    let steps = 0;
    investigator.events.on('check:ended', () => {
      steps++;
      if (steps === 3) controller.abort();
    });
    const report = await investigator.investigate(trigger(), { signal: controller.signal });
    expect(report.ending.kind).toBe('cancelled');
    expect(report.steps.length).toBeGreaterThanOrEqual(3);
  });

  it('emits typed events for every stage', async () => {
    const connector = createTestSystem({ fault: 'pool', now });
    const investigator = createInvestigator({ connectors: [connector], clock: createManualClock(now) });
    const seen = new Set<string>();
    for (const name of [
      'investigation:started',
      'scope:built',
      'hypothesis:added',
      'hypothesis:updated',
      'check:started',
      'check:ended',
      'evidence:added',
      'investigation:ended',
    ] as const) {
      investigator.events.on(name, () => seen.add(name));
    }
    await investigator.investigate(trigger());
    expect(seen.size).toBe(8);
  });
});

describe('learning from past incidents', () => {
  it('concludes the second occurrence of an incident with fewer tool calls', async () => {
    const first = await investigate('fragmentation');
    const connector = createTestSystem({ fault: 'fragmentation', now });
    const remembered = createInvestigator({
      connectors: [connector],
      clock: createManualClock(now),
      pastIncidents: () => [
        { entity: testRefs.cache, fault: 'redis.memory-fragmentation', at: now - 86_400_000 },
      ],
    });
    const second = await remembered.investigate(trigger());
    expect(second.conclusion).toMatchObject({ entity: testRefs.cache, fault: 'redis.memory-fragmentation' });
    expect(second.budget.used.toolCalls).toBeLessThan(first.budget.used.toolCalls);
  });
});

describe('the recent window', () => {
  it('reads a symptom seconds old over a recent window matched to the alert rules, and rejects a bad one', async () => {
    // A Redis filled to its limit 8 s before the alert and evicting under its write traffic since, scraped
    // every second for 5 minutes.
    const alertAt = start + 5 * minute;
    const faultAt = alertAt - 8_000;
    const entity = 'redis:lab/cache';
    const limit = 64 * 1024 * 1024;
    const value = (metric: string, at: number): number | undefined => {
      const filled = at >= faultAt;
      const wobble = ((at / 1000) % 7) * 1000;
      if (metric === 'redis_memory_used_bytes') return filled ? limit - 50_000 + wobble : 1_200_000 + wobble;
      if (metric === 'redis_memory_max_bytes') return limit;
      if (metric === 'redis_evicted_keys_total') return filled ? (at < faultAt + 3_000 ? 20_000 : 400) : 0;
      if (metric === 'redis_mem_fragmentation_ratio') return 1.1 + wobble / 1e6;
      return undefined;
    };
    const connector: Connector = {
      name: 'lab',
      tools: [],
      capabilities: {
        topology: {
          scan: async () => ({
            observedAt: new Date(start).toISOString(),
            entities: [{ ref: entity, attributes: {} }],
            relations: [],
            kubernetesObjects: [],
          }),
        },
        metrics: {
          list: async () => [],
          range: async (query) => {
            if (query.entity !== undefined && query.entity !== entity) return [];
            const points: [number, number | null][] = [];
            for (let at = Math.max(query.start, start); at <= query.end; at += 1000) {
              const reading = value(query.metric, at);
              if (reading === undefined) return [];
              points.push([at, reading]);
            }
            return [{ metric: query.metric, entity, labels: {}, unit: '', points }];
          },
        },
      },
    };
    const alert: Signal = {
      id: 'alert-redis',
      source: 'test',
      kind: 'alert',
      entity,
      severity: 'P1',
      at: new Date(alertAt).toISOString(),
      summary: 'Redis memory at 100 % of maxmemory',
      labels: { alertname: 'RedisMemoryHigh', symptom_metric: 'redis_memory_used_bytes' },
      payload: {},
    };
    const read = (recentWindowMs?: number) =>
      createInvestigator({
        connectors: [connector],
        clock: createManualClock(alertAt),
        lookbackMs: 5 * minute,
        ...(recentWindowMs === undefined ? {} : { recentWindowMs }),
      }).investigate(alert);
    const matched = await read(10_000);
    expect(matched.conclusion).toMatchObject({ entity, fault: 'redis.memory-pressure' });
    const calm = await read();
    expect(calm.conclusion?.fault).not.toBe('redis.memory-pressure');
    expect(() => createInvestigator({ connectors: [connector], recentWindowMs: 0 })).toThrow(
      /recentWindowMs/,
    );
  });
});
