import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from './approval-gate';
import { requestApproval } from './approval-request';
import { createManualTimer, fixtureReport } from './resolution.fixture';
import { createAutoApprovalGate, createScriptedApprovalGate } from './test-approval-gates';

const report = fixtureReport('deploy.bad-release');
const request: ApprovalRequest = {
  id: 'inv/rem-1',
  environment: 'production',
  proposal: {
    id: 'rem-1',
    title: 'Roll back',
    fault: 'deploy.bad-release',
    action: {
      type: 'deployment.rollback',
      target: 'service:shop/api',
      parameters: { toRevision: 'previous' },
    },
    risk: 'medium',
    rollback: 'redeploy',
    rationale: 'it broke',
    citations: [1],
  },
  approver: 'on-call',
  reason: 'production always asks',
  report: { id: report.id, trigger: report.trigger },
  evidence: [],
  requestedAt: '2026-03-02T03:00:00.000Z',
  expiresAt: '2026-03-02T03:15:00.000Z',
};

const wait = (timer = createManualTimer(), signal = new AbortController().signal) => ({
  timeoutMs: 1000,
  timer,
  signal,
});

describe('approval gates for tests', () => {
  it('the auto gate answers the same every time and records requests', async () => {
    const gate = createAutoApprovalGate({ approve: true, approver: 'alice', reason: 'ok' });
    expect(await gate.request(request, { signal: new AbortController().signal })).toEqual({
      approved: true,
      approver: 'alice',
      reason: 'ok',
    });
    expect(gate.requests).toEqual([request]);
  });

  it('the scripted gate answers by call index and says no when the script runs out', async () => {
    const gate = createScriptedApprovalGate([
      { approved: true, approver: 'alice' },
      (asked) => ({ approved: false, approver: 'bob', reason: `not ${asked.proposal.action.type}` }),
    ]);
    const signal = new AbortController().signal;
    expect((await gate.request(request, { signal })).approved).toBe(true);
    expect(await gate.request(request, { signal })).toMatchObject({ approved: false, approver: 'bob' });
    expect(await gate.request(request, { signal })).toMatchObject({
      approved: false,
      approver: 'scripted-gate',
    });
    expect(gate.requests).toHaveLength(3);
  });
});

describe('requestApproval', () => {
  it('returns the answer', async () => {
    const gate = createAutoApprovalGate({ approve: false, approver: 'carol' });
    expect(await requestApproval(gate, request, wait())).toEqual({
      kind: 'rejected',
      decision: { approved: false, approver: 'carol' },
    });
  });

  it('is unauthorized when a yes comes from someone holding none of the roles the request names', async () => {
    const asking = { ...request, roles: ['on-call', 'sre'] };
    const held = (roles?: string[]) =>
      createAutoApprovalGate({ approve: true, approver: 'dan', ...(roles ? { roles } : {}) });
    expect(await requestApproval(held(['sre']), asking, wait())).toMatchObject({ kind: 'approved' });
    expect(await requestApproval(held(['developer']), asking, wait())).toEqual({
      kind: 'unauthorized',
      decision: { approved: true, approver: 'dan', roles: ['developer'] },
      required: ['on-call', 'sre'],
    });
    expect(await requestApproval(held(), asking, wait())).toMatchObject({ kind: 'unauthorized' });
    // A no is a no, whoever says it; a request that names no roles accepts anyone.
    const no = createAutoApprovalGate({ approve: false, approver: 'dan' });
    expect(await requestApproval(no, asking, wait())).toMatchObject({ kind: 'rejected' });
    expect(await requestApproval(held(), request, wait())).toMatchObject({ kind: 'approved' });
    const malformed = createScriptedApprovalGate([
      () => ({ approved: true, approver: 'dan', roles: 'sre' }) as never,
    ]);
    expect(await requestApproval(malformed, asking, wait())).toMatchObject({ kind: 'failed' });
  });

  it('times out when the timer fires first and ignores a late answer', async () => {
    const timer = createManualTimer();
    let seen: AbortSignal | undefined;
    const gate = createScriptedApprovalGate([
      async (_request, { signal }) => {
        seen = signal;
        timer.advance(1000);
        return { approved: true, approver: 'too-late' };
      },
    ]);
    expect(await requestApproval(gate, request, wait(timer))).toEqual({ kind: 'timed-out' });
    expect(seen?.aborted).toBe(true);
    expect(timer.pending()).toBe(0);
  });

  it('times out a gate that never answers, and is cancelled by the caller', async () => {
    const timer = createManualTimer();
    const never = createScriptedApprovalGate(['never', 'never']);
    const pending = requestApproval(never, request, wait(timer));
    timer.advance(999);
    timer.advance(1);
    expect(await pending).toEqual({ kind: 'timed-out' });

    const controller = new AbortController();
    const cancelled = requestApproval(never, request, wait(timer, controller.signal));
    controller.abort();
    expect(await cancelled).toEqual({ kind: 'cancelled' });
    expect(timer.pending()).toBe(0);
  });

  it('turns a throwing gate and a malformed answer into typed failures', async () => {
    const throwing = createScriptedApprovalGate([
      () => {
        throw new Error('chat service down');
      },
    ]);
    const thrown = await requestApproval(throwing, request, wait());
    expect(thrown.kind).toBe('failed');
    if (thrown.kind === 'failed') expect(thrown.error.message).toMatch(/chat service down/);

    const malformed = createScriptedApprovalGate([() => ({ approved: 'yes' }) as never]);
    const answer = await requestApproval(malformed, request, wait());
    expect(answer.kind).toBe('failed');
    if (answer.kind === 'failed') {
      expect(answer.error.code).toBe('invalid-input');
      expect(answer.error.message).toMatch(/approved/);
    }
  });
});
