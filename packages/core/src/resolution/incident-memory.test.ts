import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityRef } from '../contracts/entity-ref';
import { InvalidInputError } from '../errors/aisre-error';
import type { InvestigatorOptions } from '../investigation/types';
import { createManualClock } from '../runtime/call-context';
import { createInMemoryApprovalHistory } from './approval-history';
import { defaultPolicy } from './default-policy';
import { captureIncident, type IncidentRecord } from './incident-capture';
import { createInMemoryIncidentMemory } from './incident-memory';
import { openFileIncidentMemory } from './incident-memory-file';
import {
  createFakeActuatorConnector,
  createFakeMetricsConnector,
  fixtureReport,
  minute,
  triggerAt,
} from './resolution.fixture';
import { createResolver } from './resolver';
import { createAutoApprovalGate } from './test-approval-gates';

const record = (id: string, entity: EntityRef, at: number): IncidentRecord => ({
  id,
  entity,
  fault: 'redis.memory-fragmentation',
  at,
  trigger: 'service:shop/frontend',
  proposed: ['redis.config-set'],
  remediations: ['redis.config-set'],
  outcome: 'improved',
});

describe('captureIncident', () => {
  it('records the 3 AM story: resolve, verify, capture, and feed the next investigation', async () => {
    const report = fixtureReport('redis.memory-fragmentation');
    const clock = createManualClock(triggerAt + 10 * minute);
    const metrics = createFakeMetricsConnector((at) => (at < triggerAt + 10 * minute ? 2400 : 800));
    const resolver = createResolver({
      connectors: [createFakeActuatorConnector().connector, metrics.connector],
      policy: defaultPolicy,
      environment: 'production',
      gate: createAutoApprovalGate({ approve: true, approver: 'alice', roles: ['on-call'] }),
      history: createInMemoryApprovalHistory(),
      clock,
    });
    const ended: string[] = [];
    resolver.events.on('verification:ended', ({ verification }) => ended.push(verification.outcome));
    const resolution = await resolver.resolve(report);
    clock.advance(20 * minute);
    const verification = await resolver.verify(report, {
      appliedAt: resolution.applied[0]?.appliedAt ?? 0,
      windowMs: 20 * minute,
    });
    expect(ended).toEqual(['improved']);
    const incident = captureIncident({ report, ...resolution, verification });
    expect(incident).toEqual({
      id: report.id,
      entity: 'redis:shop/cache',
      fault: 'redis.memory-fragmentation',
      at: triggerAt,
      trigger: 'redis:shop/cache',
      proposed: ['redis.config-set', 'cronjob.reschedule'],
      remediations: ['redis.config-set', 'cronjob.reschedule'],
      outcome: 'improved',
      verification: verification.summary,
    });
    const memory = createInMemoryIncidentMemory();
    if (incident) await memory.record(incident);
    const pastIncidents: InvestigatorOptions['pastIncidents'] = memory.pastIncidents;
    expect(pastIncidents?.(['redis:shop/cache', 'service:shop/api'])).toEqual([
      { entity: 'redis:shop/cache', fault: 'redis.memory-fragmentation', at: triggerAt },
    ]);
  });

  it('says when nothing was applied or verified, and skips a report without a conclusion', () => {
    const report = fixtureReport('deploy.bad-release');
    expect(captureIncident({ report, proposals: [], records: [] })?.outcome).toBe('not-remediated');
    const applied = {
      proposal: 'p',
      title: 't',
      action: { type: 'deployment.rollback', target: 'service:shop/api' as const, parameters: {} },
      environment: 'production',
      decision: 'require-approval' as const,
      reason: 'r',
      outcome: 'applied' as const,
      decidedAt: '2026-03-02T03:00:00.000Z',
      endedAt: '2026-03-02T03:00:00.000Z',
    };
    expect(captureIncident({ report, proposals: [], records: [applied] })?.outcome).toBe('not-verified');
    const { conclusion: _dropped, ...unconcluded } = report;
    expect(captureIncident({ report: unconcluded, proposals: [], records: [] })).toBeUndefined();
  });
});

describe('incident memories', () => {
  it('answers past incidents of the given entities, newest first, replacing by id', async () => {
    const memory = createInMemoryIncidentMemory([
      record('a', 'redis:shop/cache', 1),
      record('b', 'postgres:shop/db', 2),
    ]);
    await memory.record(record('c', 'redis:shop/cache', 3));
    await memory.record({ ...record('a', 'redis:shop/cache', 1), fault: 'redis.memory-pressure' });
    expect(memory.pastIncidents(['redis:shop/cache'])).toEqual([
      { entity: 'redis:shop/cache', fault: 'redis.memory-fragmentation', at: 3 },
      { entity: 'redis:shop/cache', fault: 'redis.memory-pressure', at: 1 },
    ]);
    expect(memory.pastIncidents([])).toEqual([]);
    expect(memory.incidents().map((incident) => incident.id)).toEqual(['a', 'b', 'c']);
  });

  describe('openFileIncidentMemory', () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'aisre-incidents-'));
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('persists records and loads them on the next open', async () => {
      const path = join(directory, 'incidents.json');
      const memory = await openFileIncidentMemory({ path });
      expect(memory.pastIncidents(['redis:shop/cache'])).toEqual([]);
      await memory.record(record('a', 'redis:shop/cache', 10));
      const reopened = await openFileIncidentMemory({ path });
      expect(reopened.pastIncidents(['redis:shop/cache'])).toEqual([
        { entity: 'redis:shop/cache', fault: 'redis.memory-fragmentation', at: 10 },
      ]);
      await expect(
        reopened.record({ ...record('b', 'redis:shop/cache', 1), outcome: 'great' as never }),
      ).rejects.toThrow(/outcome/);
    });

    it('reports a malformed file with a typed error naming the field', async () => {
      const path = join(directory, 'incidents.json');
      await writeFile(
        path,
        JSON.stringify({
          version: 1,
          incidents: [{ ...record('a', 'redis:shop/cache', 1), entity: 'cache' }],
        }),
      );
      const error = await openFileIncidentMemory({ path }).catch((caught: unknown) => caught);
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect((error as InvalidInputError).issues[0]?.path).toEqual(['incidents', 0, 'entity']);
    });
  });
});
