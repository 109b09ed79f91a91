// The resolution invariants, as properties over random policies, environments, proposals, gate answers and
// actuator behaviour: no action is applied unless the policy allows it for that environment; production always
// asks; a denied, refused, failed or timed-out approval applies nothing, and neither does a yes from someone who
// holds none of the roles the deciding rule names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RemediationAction } from '../contracts/remediation';
import { InvalidInputError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { createInMemoryApprovalHistory } from './approval-history';
import type { BuiltInRemediationFault } from './built-in-remediations';
import { builtInRemediations } from './built-in-remediations';
import { policyArbitrary, referenceDecision, referenceRoles } from './policy.fixture';
import {
  createFakeActuatorConnector,
  createManualTimer,
  fixtureReport,
  triggerAt,
} from './resolution.fixture';
import { createResolver } from './resolver';
import { createScriptedApprovalGate, type ScriptedApprovalAnswer } from './test-approval-gates';

type Answer = 'approve' | 'reject' | 'never' | 'late' | 'throw' | 'malformed';
/** An answer and the roles the answering person holds (absent: the gate does not say). */
type ScriptedAnswer = { answer: Answer; roles: string[] | undefined };
const roleNames = ['lead', 'on-call', 'dev'];

const timeoutMs = 1000;
const faults = Object.keys(builtInRemediations) as BuiltInRemediationFault[];
const sameAction = (a: RemediationAction, b: RemediationAction) => JSON.stringify(a) === JSON.stringify(b);

function scripted(
  { answer, roles }: ScriptedAnswer,
  timer: ReturnType<typeof createManualTimer>,
): ScriptedApprovalAnswer {
  switch (answer) {
    case 'approve':
      return { approved: true, approver: 'alice', ...(roles ? { roles } : {}) };
    case 'reject':
      return { approved: false, approver: 'bob' };
    case 'late':
      return () => {
        timer.advance(timeoutMs);
        return { approved: true, approver: 'late-larry', ...(roles ? { roles } : {}) };
      };
    case 'never':
      return (_request, { signal }) => {
        timer.advance(timeoutMs);
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      };
    case 'throw':
      return () => {
        throw new Error('gate down');
      };
    case 'malformed':
      return () => ({ approved: 'yes' }) as never;
  }
}

describe('resolution invariants (property)', () => {
  it('applies only what the policy allows for the environment; production always asks; no approval, no change', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.constantFrom('dev', 'stage', 'prod', 'lab'),
        fc.constantFrom(...faults),
        fc.boolean(),
        fc.array(
          fc.record({
            answer: fc.constantFrom<Answer>(
              'approve',
              'approve',
              'reject',
              'never',
              'late',
              'throw',
              'malformed',
            ),
            roles: fc.option(fc.subarray(roleNames), { nil: undefined }),
          }),
          { maxLength: 8 },
        ),
        fc.constantFrom('ok' as const, 'dry-run' as const, 'apply' as const),
        fc.subarray([
          'redis.config-set',
          'deployment.rollback',
          'deployment.scale',
          'cronjob.reschedule',
          'postgres.terminate-idle',
        ]),
        async (policy, environment, fault, bare, answers, actuatorMode, approvedBefore) => {
          const timer = createManualTimer();
          const gate = createScriptedApprovalGate(answers.map((answer) => scripted(answer, timer)));
          const actuator = createFakeActuatorConnector(actuatorMode === 'ok' ? {} : { fail: actuatorMode });
          const history = createInMemoryApprovalHistory(
            approvedBefore.map((actionType) => ({
              environment,
              actionType,
              target: 'service:shop/api' as const,
              proposal: 'rem-earlier',
              approver: 'alice',
              at: '2026-03-01T00:00:00Z',
            })),
          );
          const options = {
            connectors: [actuator.connector],
            policy,
            environment,
            gate,
            history,
            clock: createManualClock(triggerAt),
            timer,
            approvalTimeoutMs: timeoutMs,
          };
          if (!Object.hasOwn(policy.environments, environment)) {
            expect(() => createResolver(options)).toThrow(InvalidInputError);
            return;
          }
          const production = policy.environments[environment]?.production === true;
          const result = await createResolver(options).resolve(fixtureReport(fault, { bare }));

          const approvedTypes = new Set<string>(approvedBefore);
          let asked = 0;
          let realApplies = 0;
          expect(result.records).toHaveLength(result.proposals.length);
          result.records.forEach((record, index) => {
            const proposal = result.proposals[index];
            if (!proposal) throw new Error('a record without a proposal');
            const calls = actuator.calls.filter((call) => sameAction(call.action, proposal.action));
            const expected = referenceDecision(
              policy,
              environment,
              proposal.action.type,
              proposal.risk,
              approvedTypes,
            );
            expect(record.decision).toBe(expected);
            if (production) expect(record.decision).not.toBe('allow');
            let permitted = expected === 'allow';
            if (expected === 'require-approval') {
              // Production (and every required approval) asks the gate, for this very proposal.
              expect(gate.requests[asked]?.proposal.id).toBe(proposal.id);
              const { answer, roles: held = [] } = answers[asked] ?? { answer: 'reject', roles: [] };
              asked++;
              const required = referenceRoles(
                policy,
                environment,
                proposal.action.type,
                proposal.risk,
                approvedTypes,
              );
              expect(gate.requests[asked - 1]?.roles ?? []).toEqual(required);
              const authorized = required.length === 0 || required.some((role) => held.includes(role));
              permitted = answer === 'approve' && authorized;
              if (production) expect(required.length).toBeGreaterThan(0);
              if (permitted) approvedTypes.add(proposal.action.type);
              else {
                expect(['rejected', 'timed-out', 'failed', 'denied']).toContain(record.outcome);
                if (answer === 'late' || answer === 'never') expect(record.outcome).toBe('timed-out');
                if (answer === 'approve') {
                  // A yes without a required role: denied, audited as unauthorized, never remembered.
                  expect(record).toMatchObject({ outcome: 'denied', approval: { outcome: 'unauthorized' } });
                }
              }
            }
            if (!permitted) {
              expect(calls).toEqual([]);
              expect(record.outcome).not.toBe('applied');
              return;
            }
            expect(record.outcome).toBe(actuatorMode === 'ok' ? 'applied' : 'failed');
            if (actuatorMode !== 'dry-run') realApplies++;
            expect(calls.map((call) => call.dryRun)).toEqual(
              actuatorMode === 'dry-run' ? [true] : [true, false],
            );
          });
          expect(gate.requests).toHaveLength(asked);
          expect(actuator.applied()).toHaveLength(realApplies);
          expect(result.applied.map((applied) => applied.proposal.id)).toEqual(
            result.records.filter((record) => record.outcome === 'applied').map((record) => record.proposal),
          );
        },
      ),
      { numRuns: 250 },
    );
  });
});
