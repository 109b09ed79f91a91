import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { defaultPolicy } from './default-policy';
import { parsePolicy } from './policy-parsing';

function failure(input: unknown): InvalidInputError {
  try {
    parsePolicy(input);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected parsePolicy to throw');
}

const withRule = (rule: Record<string, unknown>) => ({
  version: 1,
  environments: { staging: { rules: [rule] } },
});

describe('parsePolicy', () => {
  it('accepts JSON text and objects, and fills in maxRisk', () => {
    const text = JSON.stringify(withRule({ id: 'r', actions: ['redis.*'], effect: 'allow' }));
    const policy = parsePolicy(text);
    expect(policy.environments.staging?.rules[0]).toEqual({
      id: 'r',
      actions: ['redis.*'],
      effect: 'allow',
      maxRisk: 'low',
    });
    expect(parsePolicy(JSON.parse(text))).toEqual(policy);
  });

  it('accepts the default policy as it is', () => {
    expect(parsePolicy(defaultPolicy)).toEqual(defaultPolicy);
    expect(parsePolicy(JSON.stringify(defaultPolicy))).toEqual(defaultPolicy);
  });

  it('names the offending field', () => {
    const effect = failure(withRule({ id: 'r', actions: ['redis.*'], effect: 'maybe' }));
    expect(effect.code).toBe('invalid-input');
    expect(effect.issues[0]?.path).toEqual(['environments', 'staging', 'rules', 0, 'effect']);
    expect(effect.message).toMatch(/^core: policy is invalid: environments\.staging\.rules\[0\]\.effect/);

    const pattern = failure(withRule({ id: 'r', actions: ['Redis Config'], effect: 'deny' }));
    expect(pattern.issues[0]?.path).toEqual(['environments', 'staging', 'rules', 0, 'actions', 0]);

    const risk = failure(withRule({ id: 'r', actions: ['*'], effect: 'deny', maxRisk: 'extreme' }));
    expect(risk.issues[0]?.path).toEqual(['environments', 'staging', 'rules', 0, 'maxRisk']);

    const unknownKey = failure(withRule({ id: 'r', actions: ['*'], effect: 'deny', when: 'always' }));
    expect(unknownKey.message).toMatch(/environments\.staging\.rules\[0\]/);

    const version = failure({ version: 2, environments: {} });
    expect(version.issues[0]?.path).toEqual(['version']);

    const production = failure({ version: 1, environments: { prod: { production: 'yes', rules: [] } } });
    expect(production.issues[0]?.path).toEqual(['environments', 'prod', 'production']);

    for (const approver of [[], [''], 7]) {
      const roles = failure(withRule({ id: 'r', actions: ['*'], effect: 'require-approval', approver }));
      expect(roles.issues[0]?.path.slice(0, 5)).toEqual(['environments', 'staging', 'rules', 0, 'approver']);
    }
  });

  it('takes one approver role or several, any one of which will do', () => {
    const rule = {
      id: 'r',
      actions: ['*.config-set'],
      effect: 'require-approval',
      approver: ['team-lead', 'dba'],
    };
    expect(parsePolicy(withRule(rule)).environments.staging?.rules[0]?.approver).toEqual([
      'team-lead',
      'dba',
    ]);
  });

  it('rejects duplicate rule ids and onlyIfApprovedBefore outside an allow rule', () => {
    const duplicate = failure({
      version: 1,
      environments: {
        a: { rules: [{ id: 'same', actions: ['*'], effect: 'deny' }] },
        b: { rules: [{ id: 'same', actions: ['*'], effect: 'deny' }] },
      },
    });
    expect(duplicate.issues[0]?.path).toEqual(['environments', 'b', 'rules', 0, 'id']);
    const condition = failure(
      withRule({ id: 'r', actions: ['*'], effect: 'require-approval', onlyIfApprovedBefore: true }),
    );
    expect(condition.issues[0]?.path).toEqual([
      'environments',
      'staging',
      'rules',
      0,
      'onlyIfApprovedBefore',
    ]);
  });

  it('tells YAML users to parse first', () => {
    const yaml = failure('version: 1\nenvironments:\n  staging:\n    rules: []\n');
    expect(yaml.message).toMatch(/not valid JSON.*parse YAML yourself/);
    expect(failure(42).issues[0]?.path).toEqual([]);
  });
});
