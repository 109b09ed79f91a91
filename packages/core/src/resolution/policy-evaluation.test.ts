import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../contracts/policy';
import type { RemediationProposal, RiskLevel } from '../contracts/remediation';
import { createInMemoryApprovalHistory } from './approval-history';
import { defaultPolicy } from './default-policy';
import { actionTypes, policyArbitrary, referenceDecision, riskLevels } from './policy.fixture';
import { evaluatePolicy, matchesActionPattern } from './policy-evaluation';

const proposal = (type: string, risk: RiskLevel = 'low'): RemediationProposal => ({
  id: `rem-${type}`,
  title: type,
  fault: 'test.fault',
  action: { type, target: 'service:shop/api', parameters: {} },
  risk,
  rollback: 'undo it',
  rationale: 'because',
  citations: [1],
});

const approvedBefore = (environment: string, actionType: string) =>
  createInMemoryApprovalHistory([
    {
      environment,
      actionType,
      target: 'service:shop/api',
      proposal: 'rem-earlier',
      approver: 'alice',
      at: '2026-03-01T00:00:00Z',
    },
  ]);

describe('matchesActionPattern', () => {
  it('matches whole segments, * one segment, and * alone everything', () => {
    expect(matchesActionPattern('redis.config-set', 'redis.config-set')).toBe(true);
    expect(matchesActionPattern('redis.*', 'redis.config-set')).toBe(true);
    expect(matchesActionPattern('*.config-set', 'postgres.config-set')).toBe(true);
    expect(matchesActionPattern('*.config-set', 'postgres.terminate-idle')).toBe(false);
    expect(matchesActionPattern('redis.*', 'redis')).toBe(false);
    expect(matchesActionPattern('redis.*', 'redis.config.set')).toBe(false);
    expect(matchesActionPattern('redis', 'redis.config-set')).toBe(false);
    expect(matchesActionPattern('red*', 'redis.config-set')).toBe(false);
    expect(matchesActionPattern('*', 'deployment.rollback')).toBe(true);
  });
});

describe('evaluatePolicy with the default policy', () => {
  it('development asks the first time and auto-applies an action type approved before', async () => {
    const first = await evaluatePolicy(
      defaultPolicy,
      'development',
      proposal('deployment.rollback', 'medium'),
    );
    expect(first).toMatchObject({ decision: 'require-approval', rule: 'development-ask' });
    const again = await evaluatePolicy(
      defaultPolicy,
      'development',
      proposal('deployment.rollback', 'medium'),
      approvedBefore('development', 'deployment.rollback'),
    );
    expect(again).toMatchObject({ decision: 'allow', rule: 'development-repeat-approved' });
    const elsewhere = await evaluatePolicy(
      defaultPolicy,
      'development',
      proposal('deployment.rollback'),
      approvedBefore('staging', 'deployment.rollback'),
    );
    expect(elsewhere.decision).toBe('require-approval');
  });

  it('staging lets limits and common configuration through with a team lead, and denies the rest', async () => {
    for (const type of [
      'deployment.set-resources',
      'deployment.scale',
      'redis.config-set',
      'cronjob.reschedule',
    ]) {
      expect(await evaluatePolicy(defaultPolicy, 'staging', proposal(type, 'medium'))).toMatchObject({
        decision: 'require-approval',
        approver: 'team-lead',
        rule: 'staging-limits-and-config',
      });
    }
    const rollback = await evaluatePolicy(defaultPolicy, 'staging', proposal('deployment.rollback'));
    expect(rollback.decision).toBe('deny');
    expect(rollback.rule).toBeUndefined();
    expect(rollback.reason).toMatch(/denied by default/);
  });

  it('production always asks on-call, even for an action approved before', async () => {
    const decision = await evaluatePolicy(
      defaultPolicy,
      'production',
      proposal('redis.config-set'),
      approvedBefore('production', 'redis.config-set'),
    );
    expect(decision).toMatchObject({ decision: 'require-approval', approver: 'on-call' });
  });

  it('denies an environment the policy does not name', async () => {
    const decision = await evaluatePolicy(defaultPolicy, 'qa', proposal('redis.config-set'));
    expect(decision).toMatchObject({ decision: 'deny' });
    expect(decision.reason).toMatch(/no environment "qa"/);
    expect((await evaluatePolicy(defaultPolicy, 'toString', proposal('a.b'))).decision).toBe('deny');
  });
});

describe('evaluatePolicy rules', () => {
  const policy: Policy = {
    version: 1,
    environments: {
      live: {
        production: true,
        rules: [
          { id: 'no-rollbacks', actions: ['deployment.rollback'], maxRisk: 'low', effect: 'deny' },
          { id: 'configs', actions: ['*.config-set'], maxRisk: 'medium', effect: 'allow' },
        ],
      },
      lab: {
        rules: [
          { id: 'low-configs', actions: ['*.config-set'], maxRisk: 'low', effect: 'allow' },
          { id: 'any', actions: ['*'], maxRisk: 'high', effect: 'require-approval', approver: 'lead' },
        ],
      },
    },
  };

  it('turns an allow into a required approval in production, and keeps a deny', async () => {
    expect(await evaluatePolicy(policy, 'live', proposal('redis.config-set', 'medium'))).toMatchObject({
      decision: 'require-approval',
      rule: 'configs',
      approver: 'on-call',
    });
    expect(await evaluatePolicy(policy, 'live', proposal('deployment.rollback', 'high'))).toMatchObject({
      decision: 'deny',
      rule: 'no-rollbacks',
    });
    expect((await evaluatePolicy(policy, 'live', proposal('redis.config-set', 'high'))).decision).toBe(
      'deny',
    );
  });

  it('takes the first rule that matches the type and covers the risk', async () => {
    expect(await evaluatePolicy(policy, 'lab', proposal('redis.config-set', 'low'))).toMatchObject({
      decision: 'allow',
      rule: 'low-configs',
    });
    expect(await evaluatePolicy(policy, 'lab', proposal('redis.config-set', 'medium'))).toMatchObject({
      decision: 'require-approval',
      rule: 'any',
      approver: 'lead',
    });
  });
});

describe('evaluatePolicy (property)', () => {
  it('agrees with the reference for random policies, environments, proposals and histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.constantFrom('dev', 'stage', 'prod', 'lab', 'other'),
        fc.constantFrom(...actionTypes),
        fc.constantFrom(...riskLevels),
        fc.uniqueArray(fc.constantFrom(...actionTypes), { maxLength: 3 }),
        async (policy, environment, type, risk, approved) => {
          const history = createInMemoryApprovalHistory(
            approved.map((actionType) => ({
              environment,
              actionType,
              target: 'service:shop/api' as const,
              proposal: 'rem-x',
              approver: 'alice',
              at: '2026-03-01T00:00:00Z',
            })),
          );
          const decision = await evaluatePolicy(policy, environment, proposal(type, risk), history);
          expect(decision.decision).toBe(
            referenceDecision(policy, environment, type, risk, new Set(approved)),
          );
          if (policy.environments[environment]?.production) expect(decision.decision).not.toBe('allow');
          if (decision.decision === 'require-approval' && policy.environments[environment]?.production) {
            expect(decision.approver).toBeTruthy();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
