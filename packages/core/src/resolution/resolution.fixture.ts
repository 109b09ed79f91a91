// Test support for the resolution tests: hand-built reports, a fake actuator connector that records every
// call, a fake metrics connector and a manual timer. Not exported from the package.
import type { JsonValue } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { ActuationResult, RemediationAction } from '../contracts/remediation';
import type { Report } from '../contracts/report';
import type { Step } from '../contracts/step';
import type { MetricSeries } from '../contracts/telemetry';
import { ConnectorError } from '../errors/aisre-error';
import type { Timer } from './timer';

export const triggerAt = Date.parse('2026-03-02T03:00:00Z');
export const minute = 60_000;

/** The root-cause entity each built-in fault is concluded on in the fixtures. */
export const faultEntities: Record<string, EntityRef> = {
  'redis.memory-fragmentation': 'redis:shop/cache',
  'redis.memory-pressure': 'redis:shop/cache',
  'db.connection-pool-saturation': 'postgres:shop/db',
  'db.slow-queries': 'postgres:shop/db',
  'deploy.bad-release': 'service:shop/api',
  'config.bad-change': 'service:shop/api',
  'cpu.saturation': 'service:shop/api',
  'memory.leak': 'service:shop/api',
  'disk.full': 'postgres:shop/db',
  'network.latency': 'service:shop/api',
  'dependency.timeout': 'external:shop/payments',
  'cronjob.resource-contention': 'cronjob:shop/backup',
};

const digest = (letter: string) => letter.repeat(64);

function step(id: number, tool: string, output: JsonValue): Step {
  return {
    id,
    tool,
    provider: 'test',
    input: {},
    startedMs: id,
    durationMs: 1,
    outputDigest: digest('a'),
    output,
  };
}

const series = (entity: EntityRef, metric: string, value: number, labels: Record<string, string> = {}) => ({
  metric,
  entity,
  labels,
  unit: 'bytes',
  points: [
    [triggerAt - 10 * minute, value * 0.9],
    [triggerAt, value],
  ],
});

/** Options of {@link fixtureReport}. */
export interface FixtureReportOptions {
  /** Leave out the topology, metric and change steps (sizing falls back to its rules). */
  bare?: boolean;
  /** Extra evidence excerpts or text to inject (e.g. a hostile log line). */
  hostileLogLine?: string;
}

/** A valid concluded report for a fault, with topology, metrics and changes the catalogue can size from. */
export function fixtureReport(fault: string, options: FixtureReportOptions = {}): Report {
  const entity = faultEntities[fault] ?? 'service:shop/api';
  const steps: Step[] = options.bare
    ? [step(1, 'logs.search', [])]
    : [
        step(1, 'topology.scan', {
          observedAt: new Date(triggerAt).toISOString(),
          entities: [
            {
              ref: 'service:shop/api',
              attributes: { replicas: 3, memoryLimitBytes: 512 * 1024 ** 2, cpuLimitCores: 1 },
            },
            { ref: 'redis:shop/cache', attributes: { maxMemoryMb: 16_384, maxmemoryPolicy: 'volatile-lru' } },
            { ref: 'postgres:shop/db', attributes: { maxConnections: 100, volumeSizeGi: 100 } },
            { ref: 'cronjob:shop/backup', attributes: { schedule: '0 3 * * *' } },
            { ref: 'external:shop/payments', attributes: {} },
          ],
          relations: [
            { from: 'service:shop/api', to: 'redis:shop/cache', kind: 'depends-on', attributes: {} },
            { from: 'service:shop/api', to: 'postgres:shop/db', kind: 'depends-on', attributes: {} },
            { from: 'service:shop/api', to: 'external:shop/payments', kind: 'depends-on', attributes: {} },
            { from: 'cronjob:shop/backup', to: 'redis:shop/cache', kind: 'depends-on', attributes: {} },
          ],
          kubernetesObjects: [],
        }),
        step(2, 'metrics.range', [
          series('postgres:shop/db', 'pg_stat_activity_count', 31, { state: 'idle in transaction' }),
        ]),
        step(3, 'changes.list', [
          {
            id: 'deploy-7',
            entity: 'service:shop/api',
            kind: 'deploy',
            at: new Date(triggerAt - 20 * minute).toISOString(),
            summary: 'api v41 → v42',
            attributes: { from: 'v41', to: 'v42' },
          },
          {
            id: 'config-3',
            entity: 'service:shop/api',
            kind: 'config',
            at: new Date(triggerAt - 15 * minute).toISOString(),
            summary: 'FEATURE_FLAGS changed',
            attributes: { key: 'FEATURE_FLAGS' },
          },
        ]),
      ];
  const hypothesis = `${entity}#${fault}`;
  return {
    version: 1,
    id: `inv-${fault.replace(/\./g, '-')}`,
    trigger: {
      id: 'alert-1',
      source: 'test',
      kind: 'alert',
      entity,
      severity: 'P2',
      at: new Date(triggerAt).toISOString(),
      summary: `trouble on ${entity}`,
      labels: { alertname: 'Trouble' },
      payload: {},
    },
    startedAt: new Date(triggerAt).toISOString(),
    endedAt: new Date(triggerAt + 5_000).toISOString(),
    ending: { kind: 'concluded', reason: 'one cause is confident and clearly ahead' },
    conclusion: { entity, fault, confidence: 0.93, statement: `${fault} on ${entity}`, citations: [3, 1, 2] },
    alternatives: [],
    unknownRemainder: 0.02,
    evidence: [
      {
        id: 1,
        hypothesis,
        check: 'metric|self|x|m|',
        verdict: 'supports',
        weight: 1.2,
        summary: 'it moved',
        excerpt: null,
        step: 1,
      },
      {
        id: 2,
        hypothesis,
        check: 'metric|self|x|n|',
        verdict: 'refutes',
        weight: -0.2,
        summary: 'this did not',
        excerpt: null,
        step: 1,
      },
      {
        id: 3,
        hypothesis,
        check: 'logs|x',
        verdict: 'supports',
        weight: 0.8,
        summary: 'log lines',
        excerpt: options.hostileLogLine ? [{ message: options.hostileLogLine }] : null,
        step: 1,
      },
    ],
    steps,
    explored: [],
    unchecked: [],
    budget: {
      limits: { wallTimeMs: 60_000, toolCalls: 50, modelTokens: 0, costUsd: 0 },
      used: { wallTimeMs: 5_000, toolCalls: 3, modelTokens: 0, costUsd: 0 },
    },
    proposals: [],
  };
}

/** One call a fake actuator received. */
export interface ActuatorCall {
  action: RemediationAction;
  dryRun: boolean;
}

/** How a fake actuator behaves. */
export interface FakeActuatorOptions {
  name?: string;
  /** Which action types it supports (default: all). */
  supports?: (action: RemediationAction) => boolean;
  /** Fail the dry run or the apply by throwing a ConnectorError. */
  fail?: 'dry-run' | 'apply';
  /** Never answer the apply (until aborted). */
  hang?: boolean;
  /** Return something that is not an ActuationResult from the apply. */
  malformed?: boolean;
}

/** A connector with only an actuator, recording every call; `applied()` lists the real (non-dry-run) ones. */
export function createFakeActuatorConnector(options: FakeActuatorOptions = {}) {
  const calls: ActuatorCall[] = [];
  const name = options.name ?? 'fake';
  const connector: Connector = {
    name,
    tools: [],
    capabilities: {
      actuator: {
        supports: (action) => options.supports?.(action) ?? true,
        async apply(action, { dryRun }, context): Promise<ActuationResult> {
          calls.push({ action: structuredClone(action), dryRun });
          if (options.fail === (dryRun ? 'dry-run' : 'apply')) {
            throw new ConnectorError(name, `${name}: ${action.type} refused`);
          }
          if (!dryRun && options.hang) {
            await new Promise((_resolve, reject) =>
              context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }),
            );
          }
          if (!dryRun && options.malformed) return { nope: true } as unknown as ActuationResult;
          return {
            applied: !dryRun,
            dryRun,
            summary: `${dryRun ? 'would apply' : 'applied'} ${action.type}`,
            details: { parameters: action.parameters },
          };
        },
      },
    },
  };
  return { connector, calls, applied: () => calls.filter((call) => !call.dryRun) };
}

/** A connector serving one metric series per query from a function of time. */
export function createFakeMetricsConnector(
  value: (at: number) => number | null,
  options: { stepMs?: number; unit?: string; fail?: boolean; entity?: EntityRef } = {},
) {
  const queries: unknown[] = [];
  const connector: Connector = {
    name: 'fake-metrics',
    tools: [],
    capabilities: {
      metrics: {
        list: async () => [],
        async range(query) {
          queries.push(structuredClone(query));
          if (options.fail) throw new ConnectorError('fake-metrics', 'fake-metrics: down');
          const stepMs = options.stepMs ?? 30_000;
          const points: MetricSeries['points'] = [];
          for (let at = Math.ceil(query.start / stepMs) * stepMs; at <= query.end; at += stepMs) {
            points.push([at, value(at)]);
          }
          return [
            {
              metric: query.metric,
              entity: options.entity ?? query.entity ?? 'service:shop/caller',
              labels: query.labels ?? {},
              unit: options.unit ?? 'usec',
              points,
            },
          ];
        },
      },
    },
  };
  return { connector, queries };
}

/** A timer that only fires when advanced. */
export function createManualTimer(): Timer & { advance(milliseconds: number): void; pending(): number } {
  let now = 0;
  let sequence = 0;
  const tasks = new Map<number, { at: number; callback: () => void }>();
  return {
    schedule(milliseconds, callback) {
      const id = sequence++;
      tasks.set(id, { at: now + milliseconds, callback });
      return () => tasks.delete(id);
    },
    advance(milliseconds) {
      now += milliseconds;
      for (const [id, task] of [...tasks].sort((a, b) => a[1].at - b[1].at)) {
        if (task.at > now) continue;
        tasks.delete(id);
        task.callback();
      }
    },
    pending: () => tasks.size,
  };
}
