import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultRun, type LiveLab, labEnvironment, openLiveLab } from './live-lab';

// The live end-to-end test (pnpm test:live starts the lab): real faults in the lab's Redis and PostgreSQL,
// Alertmanager's webhook to the SDK's receiver, awareness, an investigation through the real connectors, a
// policy-gated fix, and the resolved notification once the fault is removed.
const lines: string[] = [];
let lab: LiveLab;

beforeAll(async () => {
  const env = labEnvironment();
  lab = await openLiveLab({ env, log: (line) => lines.push(`${new Date().toISOString()} ${line}`) });
  // Normal telemetry to compare the fault with.
  await new Promise((resolve) => setTimeout(resolve, 30_000));
});

afterAll(async () => {
  await lab?.close();
  console.log(lines.join('\n'));
});

function timings(run: FaultRun): string {
  const { injectedAt, firingAt, reportAt, removedAt, resolvedAt } = run.timings;
  return `${run.fault}: fault → webhook ${firingAt - injectedAt} ms, webhook → report ${reportAt - firingAt} ms, removed → resolved ${resolvedAt - removedAt} ms`;
}

describe('the live lab', () => {
  it('Redis filled past maxmemory: escalated, memory pressure found, the limit raised with approval, resolved', async () => {
    const run = await lab.run('redis-memory');
    lines.push(timings(run));
    expect(run.firing.entity).toBe('redis:lab/cache');
    expect(['investigate', 'escalate']).toContain(run.response.triage.decision);
    expect(run.response.report?.conclusion).toMatchObject({
      entity: 'redis:lab/cache',
      fault: 'redis.memory-pressure',
    });
    expect(run.response.decision.decision).toBe('escalate');
    expect(run.escalations.length).toBeGreaterThan(0);
    const applied = run.resolution?.applied.map((change) => change.proposal.action.parameters.parameter);
    expect(applied).toEqual(['maxmemory']);
    expect(
      run.resolution?.records.some((record) => record.decision !== 'allow' && record.outcome !== 'applied'),
    ).toBe(true);
    expect(run.resolved.status).toBe('resolved');
    expect(run.verification?.outcome).toBe('improved');
  });

  it('PostgreSQL connections held idle in a transaction: saturation found, resolved once the sessions end', async () => {
    const run = await lab.run('postgres-connections');
    lines.push(timings(run));
    expect(run.firing.entity).toBe('postgres:lab/db');
    expect(run.response.triage.decision).toBe('investigate');
    // A P3 with no limit ahead: the confirmed fault goes to the team for working hours, nobody is paged.
    expect(run.response.decision).toMatchObject({ decision: 'escalate', urgency: 'working-hours' });
    expect(run.response.report?.conclusion).toMatchObject({
      entity: 'postgres:lab/db',
      fault: 'db.connection-pool-saturation',
    });
    expect(run.resolution?.applied).toEqual([]);
    expect(run.resolved.status).toBe('resolved');
  });
});
