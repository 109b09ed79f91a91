import { describe, expect, it } from 'vitest';
import type { Policy } from '../contracts/policy';
import { InvalidInputError } from '../errors/aisre-error';
import { createInvestigator } from '../investigation/investigator';
import {
  createTestSystem,
  frontendLatencyAlert,
  start,
  minute as testMinute,
  testRefs,
} from '../investigation/test-system.fixture';
import { createManualClock } from '../runtime/call-context';
import { createInMemoryApprovalHistory } from './approval-history';
import { defaultPolicy } from './default-policy';
import {
  createFakeActuatorConnector,
  createManualTimer,
  fixtureReport,
  triggerAt,
} from './resolution.fixture';
import { createResolver } from './resolver';
import { createAutoApprovalGate, createScriptedApprovalGate } from './test-approval-gates';
import type { ResolverOptions } from './types';

function setup(overrides: Partial<ResolverOptions> = {}, actuator = createFakeActuatorConnector()) {
  const gate = createAutoApprovalGate({ approve: true, approver: 'alice', roles: ['on-call', 'team-lead'] });
  const history = createInMemoryApprovalHistory();
  const timer = createManualTimer();
  const options: ResolverOptions = {
    connectors: [actuator.connector],
    policy: defaultPolicy,
    environment: 'production',
    gate,
    history,
    clock: createManualClock(triggerAt + 10 * 60_000),
    timer,
    ...overrides,
  };
  return { resolver: createResolver(options), actuator, gate, history, timer };
}

describe('createResolver', () => {
  it('rejects a malformed policy or an environment the policy lacks', () => {
    expect(() => setup({ environment: 'qa' })).toThrow(/no environment "qa"/);
    try {
      setup({
        policy: { version: 1, environments: { production: { rules: [{ id: 'x' }] } } } as unknown as Policy,
      });
      expect.unreachable();
    } catch (error) {
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect((error as InvalidInputError).issues[0]?.path.slice(0, 4)).toEqual([
        'environments',
        'production',
        'rules',
        0,
      ]);
    }
    expect(() => setup({ approvalTimeoutMs: 0 })).toThrow(/approvalTimeoutMs/);
  });
});

describe('resolve', () => {
  it('production: asks on-call for every proposal, applies approved ones (dry run first) and audits them', async () => {
    const { resolver, actuator, gate } = setup();
    const seen: string[] = [];
    for (const name of [
      'proposal:created',
      'policy:decided',
      'approval:requested',
      'approval:decided',
      'action:applied',
    ] as const) {
      resolver.events.on(name, () => seen.push(name));
    }
    const result = await resolver.resolve(fixtureReport('redis.memory-fragmentation'));
    expect(result.proposals).toHaveLength(2);
    expect(gate.requests.map((request) => request.approver)).toEqual(['on-call', 'on-call']);
    expect(gate.requests[0]?.evidence.map((evidence) => evidence.id)).toEqual([1, 3]);
    expect(actuator.calls.map((call) => [call.action.type, call.dryRun])).toEqual([
      ['redis.config-set', true],
      ['redis.config-set', false],
      ['cronjob.reschedule', true],
      ['cronjob.reschedule', false],
    ]);
    expect(result.applied.map((applied) => applied.proposal.id)).toEqual(result.proposals.map((p) => p.id));
    expect(result.applied[0]?.appliedAt).toBe(triggerAt + 10 * 60_000);
    expect(result.records[0]).toMatchObject({
      proposal: result.proposals[0]?.id,
      environment: 'production',
      decision: 'require-approval',
      rule: 'production-on-call',
      approver: 'alice',
      approval: {
        role: 'on-call',
        roles: ['on-call'],
        outcome: 'approved',
        approver: 'alice',
        approverRoles: ['on-call', 'team-lead'],
      },
      outcome: 'applied',
      connector: 'fake',
      dryRun: { dryRun: true, applied: false },
      result: { applied: true },
      decidedAt: '2026-03-02T03:10:00.000Z',
      appliedAt: '2026-03-02T03:10:00.000Z',
    });
    expect(seen.slice(0, 4)).toEqual([
      'proposal:created',
      'proposal:created',
      'policy:decided',
      'approval:requested',
    ]);
    expect(seen.filter((name) => name === 'action:applied')).toHaveLength(2);
  });

  it('production: a rejection applies nothing and records a policy-denied error', async () => {
    const { resolver, actuator } = setup({
      gate: createAutoApprovalGate({ approve: false, approver: 'bob', reason: 'not at 3 AM' }),
    });
    const result = await resolver.resolve(fixtureReport('deploy.bad-release'));
    expect(actuator.calls).toEqual([]);
    expect(result.applied).toEqual([]);
    expect(result.records[0]).toMatchObject({
      outcome: 'rejected',
      approval: { outcome: 'rejected', approver: 'bob', reason: 'not at 3 AM' },
      error: { code: 'policy-denied' },
    });
    expect(result.records[0]?.error?.message).toMatch(/bob rejected deployment\.rollback/);
  });

  it('a timed-out approval applies nothing, even when the answer arrives later', async () => {
    const timer = createManualTimer();
    const gate = createScriptedApprovalGate([
      async () => {
        timer.advance(15 * 60_000);
        return { approved: true, approver: 'late' };
      },
      'never',
    ]);
    const { resolver, actuator } = setup({ gate, timer, approvalTimeoutMs: 15 * 60_000 });
    const pending = resolver.resolve(fixtureReport('redis.memory-fragmentation'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    timer.advance(15 * 60_000);
    const result = await pending;
    expect(result.records.map((record) => record.outcome)).toEqual(['timed-out', 'timed-out']);
    expect(result.records[0]?.error).toMatchObject({ code: 'policy-denied' });
    expect(actuator.calls).toEqual([]);
  });

  it('development: asks the first time, then applies the same action type without asking', async () => {
    const { resolver, actuator, gate, history } = setup({ environment: 'development' });
    const first = await resolver.resolve(fixtureReport('deploy.bad-release'));
    expect(first.records[0]).toMatchObject({
      decision: 'require-approval',
      rule: 'development-ask',
      outcome: 'applied',
    });
    expect(await history.wasApproved('development', 'deployment.rollback')).toBe(true);
    const second = await resolver.resolve(fixtureReport('deploy.bad-release'));
    expect(second.records[0]).toMatchObject({
      decision: 'allow',
      rule: 'development-repeat-approved',
      outcome: 'applied',
    });
    expect(second.records[0]?.approval).toBeUndefined();
    expect(gate.requests).toHaveLength(1);
    expect(actuator.applied()).toHaveLength(2);
  });

  it('staging: configuration with a team lead, anything else denied by default', async () => {
    const { resolver, actuator, gate } = setup({ environment: 'staging' });
    const pool = await resolver.resolve(fixtureReport('db.connection-pool-saturation'));
    expect(pool.records.map((record) => [record.action.type, record.decision, record.outcome])).toEqual([
      ['postgres.terminate-idle', 'deny', 'denied'],
      ['postgres.config-set', 'require-approval', 'applied'],
    ]);
    expect(pool.records[0]?.error).toMatchObject({ code: 'policy-denied' });
    expect(gate.requests.map((request) => request.approver)).toEqual(['team-lead']);
    expect(gate.requests[0]?.roles).toEqual(['team-lead']);
    expect(actuator.applied().map((call) => call.action.type)).toEqual(['postgres.config-set']);
  });

  it('refuses an approval from someone without the role the rule names: denied, audited, nothing applied', async () => {
    const cases: { roles?: string[]; held: string }[] = [
      { roles: ['developer'], held: 'developer' },
      { roles: [], held: 'no role' },
      { held: 'no role' }, // a gate that does not say: the resolver cannot check, so it refuses
    ];
    for (const { roles, held } of cases) {
      const gate = createAutoApprovalGate({
        approve: true,
        approver: 'dave',
        ...(roles === undefined ? {} : { roles }),
      });
      const { resolver, actuator, history } = setup({ environment: 'staging', gate });
      const decided: string[] = [];
      resolver.events.on('approval:decided', ({ outcome }) => decided.push(outcome.kind));
      const result = await resolver.resolve(fixtureReport('db.connection-pool-saturation'));
      const record = result.records[1];
      expect(record).toMatchObject({
        action: { type: 'postgres.config-set' },
        decision: 'require-approval',
        rule: 'staging-limits-and-config',
        outcome: 'denied',
        approval: {
          role: 'team-lead',
          roles: ['team-lead'],
          outcome: 'unauthorized',
          approver: 'dave',
          ...(roles === undefined ? {} : { approverRoles: roles }),
        },
        error: { code: 'policy-denied' },
      });
      expect(record?.approver).toBeUndefined();
      expect(record?.error?.message).toContain(
        `dave approved postgres.config-set on postgres:shop/db but holds ${held}; rule "staging-limits-and-config" needs team-lead`,
      );
      expect(decided).toEqual(['unauthorized']);
      expect(actuator.calls).toEqual([]);
      expect(result.applied).toEqual([]);
      expect(await history.list()).toEqual([]); // an unauthorised yes never counts as approved before
    }
  });

  it('accepts any one of several roles a rule names, and production asks on-call when its rule names none', async () => {
    const policy: Policy = {
      version: 1,
      environments: {
        staging: {
          rules: [
            {
              id: 'config-by-lead-or-dba',
              actions: ['*.config-set'],
              maxRisk: 'high',
              effect: 'require-approval',
              approver: ['team-lead', 'dba'],
            },
          ],
        },
        production: {
          production: true,
          rules: [{ id: 'anything', actions: ['*'], maxRisk: 'high', effect: 'allow' }],
        },
      },
    };
    const dba = createAutoApprovalGate({ approve: true, approver: 'erin', roles: ['dba'] });
    const staging = setup({ policy, environment: 'staging', gate: dba });
    const pool = await staging.resolver.resolve(fixtureReport('db.connection-pool-saturation'));
    expect(dba.requests[0]).toMatchObject({ approver: 'team-lead or dba', roles: ['team-lead', 'dba'] });
    expect(pool.records.map((record) => record.outcome)).toEqual(['denied', 'applied']);

    const production = setup({ policy, environment: 'production', gate: dba });
    const rollback = await production.resolver.resolve(fixtureReport('deploy.bad-release'));
    expect(dba.requests.at(-1)).toMatchObject({ approver: 'on-call', roles: ['on-call'] });
    expect(rollback.records[0]).toMatchObject({ outcome: 'denied', approval: { outcome: 'unauthorized' } });
    expect(production.actuator.calls).toEqual([]);
  });

  it('records actuator failures as typed errors and never rejects', async () => {
    const cases = [
      { options: { fail: 'dry-run' as const }, calls: 1, code: 'connector' },
      { options: { fail: 'apply' as const }, calls: 2, code: 'connector' },
      { options: { malformed: true }, calls: 2, code: 'invalid-input' },
      { options: { supports: () => false }, calls: 0, code: 'not-found' },
    ];
    for (const testCase of cases) {
      const actuator = createFakeActuatorConnector(testCase.options);
      const { resolver } = setup({}, actuator);
      const failures: string[] = [];
      resolver.events.on('action:failed', ({ error }) => failures.push(error.code));
      const result = await resolver.resolve(fixtureReport('deploy.bad-release'));
      expect(result.records[0]).toMatchObject({ outcome: 'failed', error: { code: testCase.code } });
      expect(result.applied).toEqual([]);
      expect(actuator.calls).toHaveLength(testCase.calls);
      expect(failures).toEqual([testCase.code]);
    }
  });

  it('records an apply that hangs past actionTimeoutMs as a timeout that may have changed the system', async () => {
    const timer = createManualTimer();
    const actuator = createFakeActuatorConnector({ hang: true });
    const { resolver } = setup({ timer, actionTimeoutMs: 1000 }, actuator);
    const pending = resolver.resolve(fixtureReport('deploy.bad-release'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    timer.advance(1000);
    const result = await pending;
    expect(result.records[0]).toMatchObject({ outcome: 'failed', error: { code: 'timeout' } });
    expect(result.records[0]?.error?.message).toMatch(/may have been made/);
  });

  it('uses the first connector whose actuator supports the action', async () => {
    const redisOnly = createFakeActuatorConnector({
      name: 'redis',
      supports: (action) => action.type.startsWith('redis.'),
    });
    const everything = createFakeActuatorConnector({ name: 'kubernetes' });
    const { resolver } = setup({ connectors: [redisOnly.connector, everything.connector] });
    const result = await resolver.resolve(fixtureReport('redis.memory-fragmentation'));
    expect(result.records.map((record) => record.connector)).toEqual(['redis', 'kubernetes']);
  });

  it('applies nothing once cancelled', async () => {
    const controller = new AbortController();
    const gate = createScriptedApprovalGate([
      () => {
        controller.abort();
        return { approved: true, approver: 'alice', roles: ['on-call'] };
      },
    ]);
    const { resolver, actuator } = setup({ gate });
    const result = await resolver.resolve(fixtureReport('redis.memory-fragmentation'), {
      signal: controller.signal,
    });
    expect(result.records.map((record) => record.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(actuator.calls).toEqual([]);
  });

  it('proposes nothing for a report without a conclusion, and validates the report', async () => {
    const { resolver, gate } = setup();
    const { conclusion: _dropped, ...report } = fixtureReport('deploy.bad-release');
    const result = await resolver.resolve({
      ...report,
      ending: { kind: 'budget-exhausted', reason: 'spent' },
    });
    expect(result).toMatchObject({ proposals: [], records: [], applied: [] });
    expect(gate.requests).toEqual([]);
    await expect(resolver.resolve({ ...report, version: 2 } as never)).rejects.toThrow(
      /core: resolution report is invalid: version/,
    );
  });

  it('end to end: the investigator concludes fragmentation and production applies the approved fix', async () => {
    const now = start + 100 * testMinute;
    const investigator = createInvestigator({
      connectors: [createTestSystem({ fault: 'fragmentation', now })],
      clock: createManualClock(now),
    });
    const report = await investigator.investigate(frontendLatencyAlert(now));
    expect(report.conclusion?.fault).toBe('redis.memory-fragmentation');
    const { resolver, actuator } = setup();
    const result = await resolver.resolve(report);
    expect(result.proposals[0]?.citations.length).toBeGreaterThan(0);
    expect(actuator.applied()[0]?.action).toEqual({
      type: 'redis.config-set',
      target: testRefs.cache,
      parameters: { parameter: 'activedefrag', value: 'yes' },
    });
  });
});
