import type { EnvironmentPolicy, Policy, PolicyEffect, PolicyRule } from '../contracts/policy';
import type { RemediationProposal, RiskLevel } from '../contracts/remediation';
import type { ApprovalHistory } from './approval-history';

/** What the policy of an environment decides for one proposal, and why. */
export interface PolicyDecision {
  /** `allow`: apply without asking; `require-approval`: ask the gate first; `deny`: never apply. */
  decision: PolicyEffect;
  /** The id of the rule that decided; absent when nothing matched (the default deny). */
  rule?: string;
  /** Why, in a sentence, for the audit trail and the approver. */
  reason: string;
  /** For `require-approval`: the role that must approve, in words (`team-lead`, `team-lead or sre`). */
  approver?: string;
  /**
   * For `require-approval`: the roles of which the approver must hold at least one; absent: anyone the gate
   * accepts may approve. The resolver checks them against the roles the approval comes with.
   */
  roles?: string[];
}

/** The role asked in a production environment when the deciding rule names none. */
export const productionApprover = 'on-call';

const riskRank: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2 };

/**
 * The roles a rule's `approver` names, as a list (absent: none).
 *
 * @param approver - a role, or several of which any one will do
 */
export function approverRoles(approver: string | readonly string[] | undefined): string[] | undefined {
  if (approver === undefined) return undefined;
  const roles = [...new Set(typeof approver === 'string' ? [approver] : approver)];
  return roles.length > 0 ? roles : undefined;
}

/** The roles of a decision in words: `team-lead`, `team-lead or sre`. */
function inWords(roles: readonly string[]): string {
  return roles.length <= 2 ? roles.join(' or ') : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
}

/** The `approver` and `roles` fields of a decision asking the given roles (none: both absent). */
function askingRoles(roles: readonly string[] | undefined): Pick<PolicyDecision, 'approver' | 'roles'> {
  return roles && roles.length > 0 ? { approver: inWords(roles), roles: [...roles] } : {};
}

/** True when risk `risk` is at most `maximum` (`low` < `medium` < `high`). */
export function riskWithin(risk: RiskLevel, maximum: RiskLevel): boolean {
  return riskRank[risk] <= riskRank[maximum];
}

/**
 * True when a dotted action type matches a rule's pattern. Segments are compared one by one and `*` matches
 * exactly one whole segment (`redis.*` matches `redis.config-set`, `*.config-set` matches
 * `postgres.config-set`); the pattern `*` alone matches every action type.
 *
 * @param pattern - a pattern of {@link PolicyRule.actions}
 * @param actionType - the action type, e.g. `redis.config-set`
 */
export function matchesActionPattern(pattern: string, actionType: string): boolean {
  if (pattern === '*') return true;
  const wanted = pattern.split('.');
  const actual = actionType.split('.');
  if (wanted.length !== actual.length) return false;
  return wanted.every((segment, index) => segment === '*' || segment === actual[index]);
}

function ruleMatchesAction(rule: PolicyRule, proposal: RemediationProposal): boolean {
  if (!rule.actions.some((pattern) => matchesActionPattern(pattern, proposal.action.type))) return false;
  // A deny covers every risk: denying an action at low risk but letting it through at high risk is never meant.
  return rule.effect === 'deny' || riskWithin(proposal.risk, rule.maxRisk ?? 'low');
}

async function decideByRules(
  environment: string,
  policy: EnvironmentPolicy,
  proposal: RemediationProposal,
  history: ApprovalHistory | undefined,
): Promise<PolicyDecision> {
  const { type } = proposal.action;
  for (const rule of policy.rules) {
    if (!ruleMatchesAction(rule, proposal)) continue;
    const roles = askingRoles(approverRoles(rule.approver));
    if (rule.effect === 'deny')
      return { decision: 'deny', rule: rule.id, reason: `rule "${rule.id}" denies ${type}` };
    if (rule.effect === 'require-approval') {
      return {
        decision: 'require-approval',
        rule: rule.id,
        reason: `rule "${rule.id}" lets ${type} at ${proposal.risk} risk through with an approval${roles.approver ? ` by ${roles.approver}` : ''}`,
        ...roles,
      };
    }
    if (rule.onlyIfApprovedBefore) {
      // The condition does not hold: the rule does not match, and the next rule decides.
      if (!(await history?.wasApproved(environment, type))) continue;
      return {
        decision: 'allow',
        rule: rule.id,
        reason: `rule "${rule.id}" allows ${type}: an action of this type was approved before in "${environment}"`,
        ...roles,
      };
    }
    return {
      decision: 'allow',
      rule: rule.id,
      reason: `rule "${rule.id}" allows ${type} at ${proposal.risk} risk`,
      ...roles,
    };
  }
  return {
    decision: 'deny',
    reason: `no rule of "${environment}" covers ${type} at ${proposal.risk} risk: denied by default`,
  };
}

/**
 * Decides what the policy of `environment` says about a proposal. Rules are tried in order and the first
 * that matches decides: a rule matches when one of its action patterns matches the action type and the
 * proposal's risk is at most the rule's `maxRisk` (a `deny` rule matches at every risk). An `allow` rule with
 * `onlyIfApprovedBefore` only matches when `history` shows an approved action of the same type in the same
 * environment. No matching rule, or no policy for the environment, denies.
 *
 * An environment marked `production: true` always requires an explicit approval: an `allow` becomes
 * `require-approval`, and every approval there must come from a holder of the rule's roles, else of
 * {@link productionApprover}; a `deny` stays a deny.
 *
 * @param policy - the policy (validate untrusted input with {@link parsePolicy} first)
 * @param environment - the environment the change is meant for
 * @param proposal - the proposed change
 * @param history - past approvals, for `onlyIfApprovedBefore` (absent: none are known)
 */
export async function evaluatePolicy(
  policy: Policy,
  environment: string,
  proposal: RemediationProposal,
  history?: ApprovalHistory,
): Promise<PolicyDecision> {
  const environmentPolicy = Object.hasOwn(policy.environments, environment)
    ? policy.environments[environment]
    : undefined;
  if (!environmentPolicy) {
    return { decision: 'deny', reason: `the policy has no environment "${environment}": denied by default` };
  }
  const decided = await decideByRules(environment, environmentPolicy, proposal, history);
  if (environmentPolicy.production !== true || decided.decision === 'deny') return decided;
  const reason =
    decided.decision === 'allow'
      ? `"${environment}" is a production environment: every change needs an explicit approval (${decided.reason})`
      : decided.reason;
  return {
    decision: 'require-approval',
    ...(decided.rule ? { rule: decided.rule } : {}),
    reason,
    ...askingRoles(decided.roles ?? [productionApprover]),
  };
}
