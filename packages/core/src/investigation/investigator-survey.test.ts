import { describe, expect, it } from 'vitest';
import type { Connector } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Signal } from '../contracts/signal';
import type { MetricSeries } from '../contracts/telemetry';
import { ConnectorError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { createInvestigator, replayInvestigation } from './investigator';

// A metrics-only system (no traces): site → pay → updater → table, and site → lb, a remote endpoint
// (a load balancer) that fronts pay. Every entity reports its latency and its requests; a fault slows
// one entity down and the slowdown travels up to its callers in proportion to how often they call it.

const start = Date.parse('2026-03-02T01:00:00Z');
const step = 30_000;
const now = start + 120 * 60_000;
const faultAt = start + 100 * 60_000;

const site = 'service:shop/site' as const;
const pay = 'service:shop/pay' as const;
const updater = 'function:shop/updater' as const;
const table = 'database:shop/table' as const;
const balancer = 'external:shop/pay-lb' as const;
const calls: [EntityRef, EntityRef][] = [
  [site, pay],
  [site, balancer],
  [pay, updater],
  [updater, table],
];
/** Requests per second, and each entity's own latency in seconds. */
const rates: Record<string, number> = { [site]: 50, [pay]: 10, [balancer]: 10, [updater]: 10, [table]: 12 };
const own: Record<string, number> = {
  [site]: 0.05,
  [pay]: 0.1,
  [balancer]: 0.005,
  [updater]: 0.05,
  [table]: 0.01,
};

function jitter(key: string, at: number): number {
  let hash = 0x9e3779b9;
  for (const char of `${key}@${at}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  hash ^= hash >>> 15;
  return 1 + ((hash >>> 0) / 0xffffffff - 0.5) * 0.04;
}

/** A system whose `slow` entity (if any) takes 0.3 s longer from `faultAt`. */
function chainSystem(slow: EntityRef | undefined): Connector {
  const latency = (entity: EntityRef, at: number): number => {
    const extra = slow === entity && at >= faultAt ? 0.3 : 0;
    // The site reaches pay through the balancer: its two edges are one call, counted once.
    const downstream = calls
      .filter(([from, to]) => from === entity && !(from === site && to === pay))
      .reduce(
        (sum, [, to]) => sum + ((rates[to] as number) / (rates[entity] as number)) * latency(to, at),
        0,
      );
    // The balancer's latency is the pay service's, as its callers see it.
    if (entity === balancer) return (own[entity] as number) + latency(pay, at);
    return ((own[entity] as number) + extra + downstream) * jitter(entity, at);
  };
  const entities = Object.keys(rates) as EntityRef[];
  const times: number[] = [];
  for (let at = start; at <= now; at += step) times.push(at);
  const all: MetricSeries[] = entities.flatMap((entity): MetricSeries[] => [
    {
      metric: 'http_server_request_duration_seconds',
      entity,
      labels: { quantile: '0.99' },
      unit: 'seconds',
      points: times.map((at): [number, number] => [at, latency(entity, at)]),
    },
    {
      metric: 'http_server_requests_total',
      entity,
      labels: { status: '2xx' },
      unit: 'requests/s',
      points: times.map((at): [number, number] => [
        at,
        (rates[entity] as number) * jitter(`${entity}rps`, at),
      ]),
    },
  ]);
  return {
    name: 'chain',
    tools: [],
    capabilities: {
      metrics: {
        async list() {
          return [];
        },
        async range(query) {
          return all
            .filter(
              (one) =>
                one.metric === query.metric &&
                (!query.entity || one.entity === query.entity) &&
                Object.entries(query.labels ?? {}).every(([name, value]) => one.labels[name] === value),
            )
            .map((one) => ({
              ...one,
              points: one.points.filter(([at]) => at >= query.start && at <= query.end),
            }));
        },
      },
      topology: {
        async scan() {
          return {
            observedAt: new Date(now).toISOString(),
            entities: entities.map((ref) => ({ ref, attributes: {} })),
            relations: calls.map(([from, to]) => ({ from, to, kind: 'calls', attributes: {} })),
            kubernetesObjects: [],
          };
        },
      },
    },
  };
}

const trigger: Signal = {
  id: 'alert-site',
  source: 'test',
  kind: 'alert',
  entity: site,
  severity: 'P3',
  at: new Date(now).toISOString(),
  summary: 'site p99 latency is high',
  labels: { alertname: 'SiteLatencyHigh' },
  payload: {},
};

async function investigate(slow: EntityRef | undefined, concurrency = 4) {
  const investigator = createInvestigator({
    connectors: [chainSystem(slow)],
    clock: createManualClock(now),
    concurrency,
  });
  return investigator.investigate(trigger);
}

function entityMass(report: Awaited<ReturnType<typeof investigate>>): [EntityRef, number][] {
  const mass = new Map<EntityRef, number>();
  for (const path of report.explored)
    if (path.status !== 'supported') mass.set(path.entity, (mass.get(path.entity) ?? 0) + path.posterior);
  return [...mass].sort((a, b) => b[1] - a[1]);
}

describe('investigator without traces', () => {
  it('surveys every entity once and localizes the slowdown where it starts, two hops down', async () => {
    const report = await investigate(updater);
    expect(entityMass(report)[0]?.[0]).toBe(updater);
    // Reads of the callers' client-side series name no entity either: they carry a `peer` label.
    const surveys = report.steps.filter((step) => {
      const input = step.input as { entity?: string; labels?: { peer?: string } };
      return step.tool === 'metrics.range' && !input.entity && !input.labels?.peer;
    });
    expect(surveys).toHaveLength(2);
    const evidence = report.evidence.find(
      (item) => item.check === 'propagation' && item.hypothesis === `${updater}#degraded`,
    );
    expect(evidence?.verdict).toBe('supports');
    expect(evidence?.summary).toContain('its own');
    expect(surveys.map((step) => step.id)).toContain(evidence?.step);
    const gateway = report.evidence.find(
      (item) => item.check === 'propagation' && item.hypothesis === `${pay}#degraded`,
    );
    expect(gateway?.verdict).toBe('refutes');
  });

  it('reads the remote endpoint in front of a slow service as an observation of it', async () => {
    const report = await investigate(pay);
    const ranking = entityMass(report).map(([entity]) => entity);
    expect(ranking[0]).toBe(pay);
    expect(ranking.indexOf(balancer)).toBeGreaterThan(0);
    const front = report.evidence.find(
      (item) => item.check === 'propagation' && item.hypothesis === `${balancer}#degraded`,
    );
    expect(front?.summary).toContain(`reflects ${pay}`);
  });

  it('claims no root cause when nothing changed', async () => {
    const report = await investigate(undefined);
    expect(report.conclusion).toBeUndefined();
    for (const [, mass] of entityMass(report)) expect(mass).toBeLessThan(0.5);
  });

  it('gives the same report at any concurrency and replays offline to it', async () => {
    const report = await investigate(updater, 1);
    expect(await investigate(updater, 16)).toEqual(report);
    // The same capabilities, none of which answers: a replay must not call them.
    const offline = async (): Promise<never> => {
      throw new Error('offline');
    };
    const connector: Connector = {
      ...chainSystem(updater),
      capabilities: { metrics: { list: offline, range: offline }, topology: { scan: offline } },
    };
    expect(await replayInvestigation(report, { connectors: [connector] })).toEqual(report);
  });

  it('goes on without the survey when a connector cannot answer it, and says what it could not check', async () => {
    const system = chainSystem(updater);
    const metrics = system.capabilities.metrics;
    if (!metrics) throw new Error('no metrics');
    const picky: Connector = {
      ...system,
      capabilities: {
        ...system.capabilities,
        metrics: {
          list: metrics.list,
          range: async (query, context) => {
            if (!query.entity) throw new ConnectorError('chain', 'chain: a range query needs an entity');
            return metrics.range(query, context);
          },
        },
      },
    };
    const report = await createInvestigator({
      connectors: [picky],
      clock: createManualClock(now),
    }).investigate(trigger);
    expect(report.ending.kind).not.toBe('failed');
    expect(report.evidence.some((item) => item.check === 'propagation')).toBe(false);
    expect(report.unchecked.map((item) => item.what)).toContain(
      'http_server_request_duration_seconds of every entity',
    );
    expect(report.unchecked.find((item) => item.what.endsWith('of every entity'))?.why).toMatch(
      /needs an entity/,
    );
  });
});
