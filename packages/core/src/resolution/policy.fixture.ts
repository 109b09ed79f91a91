// Policy generators and a reference decision for the property tests. Not exported from the package.
import fc from 'fast-check';
import type { Policy, PolicyRule } from '../contracts/policy';
import type { RiskLevel } from '../contracts/remediation';

export const actionTypes = [
  'redis.config-set',
  'postgres.config-set',
  'deployment.rollback',
  'deployment.scale',
  'cronjob.reschedule',
];
const patterns = [
  ...actionTypes,
  '*',
  'redis.*',
  '*.config-set',
  'deployment.*',
  'postgres.*',
  'cronjob.*',
  'client.*',
  'volume.expand',
  'nothing.here',
];
export const riskLevels: RiskLevel[] = ['low', 'medium', 'high'];

const ruleArbitrary: fc.Arbitrary<PolicyRule> = fc
  .record({
    actions: fc.uniqueArray(fc.constantFrom(...patterns), { minLength: 1, maxLength: 3 }),
    maxRisk: fc.constantFrom(...riskLevels),
    effect: fc.constantFrom('allow' as const, 'require-approval' as const, 'deny' as const),
    approver: fc.option(
      fc.oneof(
        fc.constantFrom('lead', 'on-call', 'dev'),
        fc.uniqueArray(fc.constantFrom('lead', 'on-call', 'dev'), { minLength: 1, maxLength: 2 }),
      ),
      { nil: undefined },
    ),
    onlyIfApprovedBefore: fc.boolean(),
  })
  .map(({ approver, onlyIfApprovedBefore, ...rule }) => ({
    ...rule,
    id: 'placeholder',
    ...(approver ? { approver } : {}),
    ...(onlyIfApprovedBefore && rule.effect === 'allow' ? { onlyIfApprovedBefore: true } : {}),
  }));

export const policyArbitrary: fc.Arbitrary<Policy> = fc
  .dictionary(
    fc.constantFrom('dev', 'stage', 'prod', 'lab'),
    fc.record({ production: fc.boolean(), rules: fc.array(ruleArbitrary, { maxLength: 5 }) }),
    { maxKeys: 4 },
  )
  .map((environments) => {
    let counter = 0;
    const named: Policy['environments'] = {};
    for (const [name, environment] of Object.entries(environments)) {
      named[name] = {
        ...(environment.production ? { production: true } : {}),
        rules: environment.rules.map((rule) => ({ ...rule, id: `rule-${counter++}` })),
      };
    }
    return { version: 1, environments: named };
  });

/** The rule that decides, by a deliberately different implementation: regexes for patterns, a linear scan. */
function referenceRule(
  policy: Policy,
  environment: string,
  type: string,
  risk: RiskLevel,
  approvedTypes: ReadonlySet<string>,
): { production: boolean; rule: PolicyRule | undefined } | undefined {
  const environmentPolicy = Object.entries(policy.environments).find(([name]) => name === environment)?.[1];
  if (!environmentPolicy) return undefined;
  const order = { low: 1, medium: 2, high: 3 };
  const toRegex = (pattern: string) =>
    pattern === '*' ? /^.*$/ : new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`);
  const rule = environmentPolicy.rules.find(
    (candidate) =>
      candidate.actions.some((pattern) => toRegex(pattern).test(type)) &&
      (candidate.effect === 'deny' || order[risk] <= order[candidate.maxRisk]) &&
      (!candidate.onlyIfApprovedBefore || approvedTypes.has(type)),
  );
  return { production: environmentPolicy.production === true, rule };
}

/** The reference decision: the deciding rule's effect, default deny, the production override last. */
export function referenceDecision(
  policy: Policy,
  environment: string,
  type: string,
  risk: RiskLevel,
  approvedTypes: ReadonlySet<string>,
): 'allow' | 'require-approval' | 'deny' {
  const found = referenceRule(policy, environment, type, risk, approvedTypes);
  const decided = found?.rule?.effect ?? 'deny';
  if (found?.production && decided === 'allow') return 'require-approval';
  return decided;
}

/**
 * The roles an approval of a `require-approval` decision must come with (one of them): the deciding rule's, or
 * `on-call` in a production environment whose rule names none; none otherwise.
 */
export function referenceRoles(
  policy: Policy,
  environment: string,
  type: string,
  risk: RiskLevel,
  approvedTypes: ReadonlySet<string>,
): string[] {
  const found = referenceRule(policy, environment, type, risk, approvedTypes);
  const named = found?.rule?.approver;
  const roles = named === undefined ? [] : Array.isArray(named) ? named : [named];
  if (roles.length === 0 && found?.production) return ['on-call'];
  return roles;
}
