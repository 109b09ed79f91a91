import type { Policy } from '../contracts/policy';

function deepFreeze<Value>(value: Value): Value {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default remediation policy (see docs/policies.md):
 *
 * - `development`: an action type a human approved before in development is applied without asking; any other
 *   action asks for an approval (by anyone the gate accepts).
 * - `staging`: resource limits and common configuration (`deployment.set-resources`, `deployment.scale`,
 *   `*.config-set`, `cronjob.reschedule`) with a `team-lead`'s approval; everything else is denied.
 * - `production` (marked `production: true`): every action needs an explicit approval by `on-call`.
 *
 * Any other environment is denied by default.
 */
export const defaultPolicy: Policy = deepFreeze({
  version: 1,
  environments: {
    development: {
      rules: [
        {
          id: 'development-repeat-approved',
          actions: ['*'],
          maxRisk: 'high',
          effect: 'allow',
          onlyIfApprovedBefore: true,
        },
        { id: 'development-ask', actions: ['*'], maxRisk: 'high', effect: 'require-approval' },
      ],
    },
    staging: {
      rules: [
        {
          id: 'staging-limits-and-config',
          actions: ['deployment.set-resources', 'deployment.scale', '*.config-set', 'cronjob.reschedule'],
          maxRisk: 'high',
          effect: 'require-approval',
          approver: 'team-lead',
        },
      ],
    },
    production: {
      production: true,
      rules: [
        {
          id: 'production-on-call',
          actions: ['*'],
          maxRisk: 'high',
          effect: 'require-approval',
          approver: 'on-call',
        },
      ],
    },
  },
});
