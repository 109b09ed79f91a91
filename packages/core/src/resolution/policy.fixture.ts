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
    approver: fc.option(fc.constantFrom('lead', 'on-call', 'dev'), { nil: undefined }),
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

/** A deliberately different implementation: regexes for patterns, a linear scan, the production override last. */
export function referenceDecision(
  policy: Policy,
  environment: string,
  type: string,
  risk: RiskLevel,
  approvedTypes: ReadonlySet<string>,
): 'allow' | 'require-approval' | 'deny' {
  const environmentPolicy = Object.entries(policy.environments).find(([name]) => name === environment)?.[1];
  if (!environmentPolicy) return 'deny';
  const order = { low: 1, medium: 2, high: 3 };
  const toRegex = (pattern: string) =>
    pattern === '*' ? /^.*$/ : new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`);
  let decided: 'allow' | 'require-approval' | 'deny' = 'deny';
  for (const rule of environmentPolicy.rules) {
    const typeMatches = rule.actions.some((pattern) => toRegex(pattern).test(type));
    const riskCovered = rule.effect === 'deny' || order[risk] <= order[rule.maxRisk];
    const conditionHolds = !rule.onlyIfApprovedBefore || approvedTypes.has(type);
    if (typeMatches && riskCovered && conditionHolds) {
      decided = rule.effect;
      break;
    }
  }
  if (environmentPolicy.production && decided === 'allow') return 'require-approval';
  return decided;
}
