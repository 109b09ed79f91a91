import { type Policy, policySchema } from '../contracts/policy';
import { type InputIssue, InvalidInputError } from '../errors/aisre-error';
import { formatInputIssues, parseWith } from '../errors/zod-issues';

const what = 'core: policy';

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `${what} is not valid JSON (${(error as Error).message}); write it as JSON, or parse YAML yourself (e.g. with the \`yaml\` package) and pass the object`,
      { issues: [{ path: [], message: 'not valid JSON' }], cause: error },
    );
  }
}

/** Checks what the schema cannot: rule ids unique within the policy, `onlyIfApprovedBefore` only on `allow`. */
function semanticIssues(policy: Policy): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Map<string, string>();
  for (const [environment, environmentPolicy] of Object.entries(policy.environments)) {
    environmentPolicy.rules.forEach((rule, index) => {
      const path = ['environments', environment, 'rules', index];
      const first = seen.get(rule.id);
      if (first !== undefined) {
        issues.push({
          path: [...path, 'id'],
          message: `duplicate rule id "${rule.id}" (first used in ${first})`,
        });
      } else seen.set(rule.id, `environments.${environment}`);
      if (rule.onlyIfApprovedBefore && rule.effect !== 'allow') {
        issues.push({
          path: [...path, 'onlyIfApprovedBefore'],
          message: `only an allow rule can have onlyIfApprovedBefore (this one is ${rule.effect})`,
        });
      }
    });
  }
  return issues;
}

/**
 * Parses and validates a remediation policy: JSON text or an already parsed object. YAML is not parsed here
 * (`@aisre/core` does not depend on a YAML parser): parse it first (`parse` of the `yaml` package) and pass the
 * object. Defaults are filled in (`maxRisk: 'low'`).
 *
 * @param input - JSON text, or a value parsed from JSON or YAML
 * @throws {@link InvalidInputError} whose message and `issues` name every offending field
 *   (`environments.staging.rules[0].effect: …`).
 */
export function parsePolicy(input: unknown): Policy {
  const value = typeof input === 'string' ? parseJsonText(input) : input;
  const policy = parseWith(policySchema, value, what) as Policy;
  const issues = semanticIssues(policy);
  if (issues.length > 0) {
    throw new InvalidInputError(`${what} is invalid: ${formatInputIssues(issues)}`, { issues });
  }
  return policy;
}
