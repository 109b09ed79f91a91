import { z } from 'zod';
import { type RiskLevel, riskLevelSchema } from './remediation';

/** What a policy rule decides for the actions it matches. */
export type PolicyEffect = 'allow' | 'require-approval' | 'deny';

/** One rule of an environment's policy. Rules are data: they are validated, never executed. */
export interface PolicyRule {
  /** Unique id within the policy, cited in audits and denials. */
  id: string;
  /** Action types it matches; `*` matches a segment (`redis.*`, `*.config-set`, `*`). */
  actions: string[];
  /** The highest risk it covers (default `low`). */
  maxRisk: RiskLevel;
  /** What it decides. */
  effect: PolicyEffect;
  /**
   * For `require-approval` (and every rule of a production environment): the role the approver must hold
   * (`team-lead`, `on-call`), or several roles, any one of which will do. The resolver checks the roles the
   * approval comes with (see `ApprovalDecision.roles`); absent: anyone the gate accepts may approve.
   */
  approver?: string | string[];
  /** For `allow`: only when an action of the same type was approved before in this environment. */
  onlyIfApprovedBefore?: boolean;
}

/** Zod schema of a {@link PolicyRule}. */
export const policyRuleSchema: z.ZodType<PolicyRule> = z.strictObject({
  id: z.string().min(1),
  actions: z
    .array(
      z
        .string()
        .regex(/^(\*|[a-z0-9-]+)(\.(\*|[a-z0-9-]+))*$/, 'expected an action pattern like redis.* or *'),
    )
    .min(1),
  maxRisk: riskLevelSchema.default('low'),
  effect: z.enum(['allow', 'require-approval', 'deny']),
  approver: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  onlyIfApprovedBefore: z.boolean().optional(),
});

/** The policy of one environment: rules in order, first match decides; no match denies. */
export interface EnvironmentPolicy {
  /** Rules, first match wins. */
  rules: PolicyRule[];
}

/**
 * The remediation policy: per environment, default deny. Whatever the rules say, an environment marked
 * `production` always asks for an explicit approval.
 */
export interface Policy {
  /** Format version. */
  version: 1;
  /** Environments by name (`development`, `staging`, `production`). */
  environments: Record<string, EnvironmentPolicy & { production?: boolean }>;
}

/** Zod schema of a {@link Policy}. */
export const policySchema: z.ZodType<Policy> = z.strictObject({
  version: z.literal(1),
  environments: z.record(
    z.string().min(1),
    z.strictObject({ production: z.boolean().optional(), rules: z.array(policyRuleSchema) }),
  ),
});
