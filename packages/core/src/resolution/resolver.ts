import type { Policy } from '../contracts/policy';
import type { RemediationProposal } from '../contracts/remediation';
import { type Report, reportSchema } from '../contracts/report';
import { type AisreError, CancelledError, InvalidInputError, PolicyDeniedError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { silentLogger } from '../runtime/call-context';
import { applyThroughActuator } from './action-application';
import type { ApprovalOutcome, ApprovalRequest } from './approval-gate';
import { requestApproval } from './approval-request';
import { evaluatePolicy, type PolicyDecision } from './policy-evaluation';
import { parsePolicy } from './policy-parsing';
import { createRemediationCatalogue, proposeRemediations } from './remediation-catalogue';
import { verifyRemediation } from './remediation-verification';
import { errorRecord, toAisreError } from './resolution-errors';
import { createResolutionEmitter } from './resolution-events';
import { systemTimer } from './timer';
import type {
  AppliedRemediation,
  ApprovalRecord,
  ResolutionRecord,
  ResolutionResult,
  Resolver,
  ResolverOptions,
} from './types';

const defaultApprovalTimeoutMs = 15 * 60_000;
const defaultActionTimeoutMs = 2 * 60_000;

function positiveDuration(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(`core: resolver option ${field} must be a positive number of milliseconds`, {
      issues: [{ path: [field], message: 'expected a positive finite number' }],
    });
  }
  return value;
}

/**
 * Creates a resolver for one environment: it proposes changes from the remediation catalogue, decides each
 * by the policy (default deny; production always asks), asks the host's approval gate when required,
 * applies what is allowed or approved through the connectors' actuators (dry run first), and records every
 * decision in an audit trail.
 *
 * @param options - connectors, policy, environment, gate, approval history, clock, events, catalogue, timeouts
 * @throws {@link InvalidInputError} when the policy is malformed (naming the field), the environment is not in
 *   it, or a timeout is not a positive number.
 */
export function createResolver(options: ResolverOptions): Resolver {
  const policy = parsePolicy(options.policy);
  if (!Object.hasOwn(policy.environments, options.environment)) {
    const known = Object.keys(policy.environments).join(', ') || 'none';
    throw new InvalidInputError(
      `core: the policy has no environment "${options.environment}" (it has: ${known}); name one of them or add it to the policy`,
      { issues: [{ path: ['environment'], message: `not in the policy: ${options.environment}` }] },
    );
  }
  const settings: RunSettings = {
    ...options,
    policy,
    events: options.events ?? createResolutionEmitter(),
    catalogue: options.catalogue ?? createRemediationCatalogue(),
    approvalTimeoutMs: positiveDuration(
      options.approvalTimeoutMs,
      defaultApprovalTimeoutMs,
      'approvalTimeoutMs',
    ),
    actionTimeoutMs: positiveDuration(options.actionTimeoutMs, defaultActionTimeoutMs, 'actionTimeoutMs'),
    timer: options.timer ?? systemTimer,
    logger: options.logger ?? silentLogger,
  };
  return {
    events: settings.events,
    environment: options.environment,
    resolve: (report, resolveOptions = {}) =>
      new ResolutionRun(settings, report, resolveOptions.signal ?? new AbortController().signal).run(),
    async verify(report, verifyOptions) {
      const verification = await verifyRemediation({
        connectors: options.connectors,
        report,
        clock: options.clock,
        logger: settings.logger,
        ...verifyOptions,
      });
      settings.events.emit('verification:ended', { report: report.id, verification });
      return verification;
    },
  };
}

type RunSettings = Required<Omit<ResolverOptions, 'policy'>> & { policy: Policy };

type OpenRecord = Pick<
  ResolutionRecord,
  'proposal' | 'title' | 'action' | 'environment' | 'decision' | 'rule' | 'reason' | 'decidedAt'
>;

class ResolutionRun {
  readonly #settings: RunSettings;
  readonly #input: Report;
  readonly #signal: AbortSignal;
  readonly #applied: AppliedRemediation[] = [];
  #report!: Report;

  constructor(settings: RunSettings, report: Report, signal: AbortSignal) {
    this.#settings = settings;
    this.#input = report;
    this.#signal = signal;
  }

  #now(): string {
    return new Date(this.#settings.clock.now()).toISOString();
  }

  async run(): Promise<ResolutionResult> {
    this.#report = parseWith(reportSchema, this.#input, 'core: resolution report') as Report;
    const proposals = proposeRemediations(this.#report, this.#settings.catalogue);
    for (const proposal of proposals) {
      this.#settings.events.emit('proposal:created', { report: this.#report.id, proposal });
    }
    const records: ResolutionRecord[] = [];
    for (const proposal of proposals) records.push(await this.#resolveOne(proposal));
    return {
      reportId: this.#report.id,
      environment: this.#settings.environment,
      proposals,
      records,
      applied: this.#applied,
    };
  }

  async #decide(proposal: RemediationProposal): Promise<PolicyDecision> {
    try {
      return await evaluatePolicy(
        this.#settings.policy,
        this.#settings.environment,
        proposal,
        this.#settings.history,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { decision: 'deny', reason: `core: the policy could not be evaluated (${message}): denied` };
    }
  }

  #close(open: OpenRecord, rest: Omit<ResolutionRecord, keyof OpenRecord | 'endedAt'>): ResolutionRecord {
    return { ...open, ...rest, endedAt: this.#now() };
  }

  #denied(open: OpenRecord, message: string): AisreError {
    return new PolicyDeniedError(this.#settings.environment, message, open.rule ? { rule: open.rule } : {});
  }

  async #resolveOne(proposal: RemediationProposal): Promise<ResolutionRecord> {
    const { environment, events } = this.#settings;
    const decision = await this.#decide(proposal);
    events.emit('policy:decided', { report: this.#report.id, environment, proposal, decision });
    const open: OpenRecord = {
      proposal: proposal.id,
      title: proposal.title,
      action: proposal.action,
      environment,
      decision: decision.decision,
      ...(decision.rule ? { rule: decision.rule } : {}),
      reason: decision.reason,
      decidedAt: this.#now(),
    };
    if (decision.decision === 'deny') {
      const error = this.#denied(
        open,
        `core: ${proposal.action.type} on ${proposal.action.target}: ${decision.reason}`,
      );
      return this.#close(open, { outcome: 'denied', error: errorRecord(error) });
    }
    let approval: ApprovalRecord | undefined;
    if (decision.decision === 'require-approval') {
      const asked = await this.#askApproval(proposal, decision, open);
      if ('record' in asked) return asked.record;
      approval = asked.approval;
    }
    return this.#apply(proposal, open, approval);
  }

  async #askApproval(
    proposal: RemediationProposal,
    decision: PolicyDecision,
    open: OpenRecord,
  ): Promise<{ approval: ApprovalRecord } | { record: ResolutionRecord }> {
    const { environment, events, gate, approvalTimeoutMs, timer, clock } = this.#settings;
    const report = this.#report;
    const requestedMs = clock.now();
    const request: ApprovalRequest = {
      id: `${report.id}/${proposal.id}`,
      environment,
      proposal,
      ...(decision.approver ? { approver: decision.approver } : {}),
      ...(decision.roles ? { roles: [...decision.roles] } : {}),
      ...(decision.rule ? { rule: decision.rule } : {}),
      reason: decision.reason,
      report: {
        id: report.id,
        trigger: report.trigger,
        ...(report.conclusion ? { conclusion: report.conclusion } : {}),
      },
      evidence: report.evidence.filter((evidence) => proposal.citations.includes(evidence.id)),
      requestedAt: new Date(requestedMs).toISOString(),
      expiresAt: new Date(requestedMs + approvalTimeoutMs).toISOString(),
    };
    events.emit('approval:requested', { report: report.id, request });
    const outcome = await requestApproval(gate, structuredClone(request), {
      timeoutMs: approvalTimeoutMs,
      timer,
      signal: this.#signal,
    });
    events.emit('approval:decided', { report: report.id, request, outcome });
    const approval: ApprovalRecord = {
      ...(decision.approver ? { role: decision.approver } : {}),
      ...(decision.roles ? { roles: [...decision.roles] } : {}),
      outcome: outcome.kind,
      ...('decision' in outcome ? { approver: outcome.decision.approver } : {}),
      ...('decision' in outcome && outcome.decision.roles !== undefined
        ? { approverRoles: [...outcome.decision.roles] }
        : {}),
      ...('decision' in outcome && outcome.decision.reason !== undefined
        ? { reason: outcome.decision.reason }
        : {}),
      requestedAt: request.requestedAt,
      decidedAt: this.#now(),
    };
    if (outcome.kind === 'approved') {
      await this.#remember(proposal, outcome.decision.approver, approval.decidedAt);
      return { approval };
    }
    const error = this.#approvalError(proposal, outcome, open);
    const record = this.#close(open, {
      approval,
      outcome: outcome.kind === 'unauthorized' ? 'denied' : outcome.kind,
      error: errorRecord(error),
    });
    return { record };
  }

  #approvalError(proposal: RemediationProposal, outcome: ApprovalOutcome, open: OpenRecord): AisreError {
    const what = `${proposal.action.type} on ${proposal.action.target}`;
    switch (outcome.kind) {
      case 'unauthorized': {
        const held = outcome.decision.roles?.length ? outcome.decision.roles.join(', ') : 'no role';
        return this.#denied(
          open,
          `core: ${outcome.decision.approver} approved ${what} but holds ${held}; ${open.rule ? `rule "${open.rule}"` : 'the policy'} needs ${outcome.required.join(' or ')}: nothing was applied (the gate must give the approver's roles)`,
        );
      }
      case 'rejected':
        return this.#denied(
          open,
          `core: ${outcome.decision.approver} rejected ${what}${outcome.decision.reason ? `: ${outcome.decision.reason}` : ''}`,
        );
      case 'timed-out':
        return this.#denied(
          open,
          `core: no approval of ${what} within ${this.#settings.approvalTimeoutMs} ms: nothing was applied`,
        );
      case 'cancelled':
        return new CancelledError(`core: the resolution was cancelled while ${what} waited for approval`);
      case 'failed':
        return outcome.error;
      default:
        return this.#denied(open, `core: ${what} was not approved`);
    }
  }

  async #remember(proposal: RemediationProposal, approver: string, at: string): Promise<void> {
    try {
      await this.#settings.history.record({
        environment: this.#settings.environment,
        actionType: proposal.action.type,
        target: proposal.action.target,
        proposal: proposal.id,
        approver,
        at,
      });
    } catch (error) {
      this.#settings.logger.warn('core: could not record the approval in the history', {
        proposal: proposal.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async #apply(
    proposal: RemediationProposal,
    open: OpenRecord,
    approval: ApprovalRecord | undefined,
  ): Promise<ResolutionRecord> {
    const approved = approval
      ? { approval, ...(approval.approver ? { approver: approval.approver } : {}) }
      : {};
    if (this.#signal.aborted) {
      const error = new CancelledError(
        `core: the resolution was cancelled before ${proposal.action.type} was applied`,
      );
      return this.#close(open, { ...approved, outcome: 'cancelled', error: errorRecord(error) });
    }
    const { connectors, actionTimeoutMs, timer, logger, clock, events } = this.#settings;
    const attempt = await applyThroughActuator(proposal.action, {
      connectors,
      timeoutMs: actionTimeoutMs,
      timer,
      signal: this.#signal,
      logger,
      clock,
    });
    if (attempt.kind === 'failed') {
      const error = toAisreError(attempt.error, 'core: apply failed');
      const record = this.#close(open, {
        ...approved,
        outcome: error.code === 'cancelled' ? 'cancelled' : 'failed',
        ...(attempt.connector ? { connector: attempt.connector } : {}),
        ...(attempt.dryRun ? { dryRun: attempt.dryRun } : {}),
        error: errorRecord(error),
      });
      events.emit('action:failed', { report: this.#report.id, proposal, error, record });
      return record;
    }
    const appliedMs = clock.now();
    const record = this.#close(open, {
      ...approved,
      outcome: attempt.kind,
      connector: attempt.connector,
      dryRun: attempt.dryRun,
      result: attempt.result,
      ...(attempt.kind === 'applied' ? { appliedAt: new Date(appliedMs).toISOString() } : {}),
    });
    if (attempt.kind === 'applied') {
      this.#applied.push({
        proposal,
        connector: attempt.connector,
        result: attempt.result,
        appliedAt: appliedMs,
      });
      events.emit('action:applied', {
        report: this.#report.id,
        proposal,
        connector: attempt.connector,
        result: attempt.result,
        record,
      });
    }
    return record;
  }
}
