import { PassThrough } from 'node:stream';
import { type ApprovalRequest, CancelledError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createTerminalApprovalGate } from './terminal-approval-gate';

const request: ApprovalRequest = {
  id: 'inv-1/proposal-1',
  environment: 'staging',
  proposal: {
    id: 'proposal-1',
    title: 'Raise maxmemory of redis:lab/cache to 96mb',
    fault: 'redis.memory-pressure',
    action: {
      type: 'redis.config-set',
      target: 'redis:lab/cache',
      parameters: { parameter: 'maxmemory', value: '96mb' },
    },
    risk: 'low',
    rollback: {
      type: 'redis.config-set',
      target: 'redis:lab/cache',
      parameters: { parameter: 'maxmemory', value: '64mb' },
    },
    rationale: 'Used memory is at its limit and keys are evicted.',
    citations: [2],
  },
  approver: 'team-lead',
  roles: ['team-lead'],
  rule: 'staging-limits',
  reason: 'staging changes to limits need a team lead',
  report: {
    id: 'inv-1',
    trigger: {
      id: 's',
      source: 'test',
      kind: 'alert',
      entity: 'redis:lab/cache',
      severity: 'P3',
      at: '2026-12-07T10:00:00Z',
      summary: 'memory high',
      labels: {},
      payload: {},
    },
  },
  evidence: [
    {
      id: 2,
      hypothesis: 'h',
      check: 'c',
      verdict: 'supports',
      weight: 2,
      summary: 'used memory at 100 % of maxmemory',
      excerpt: null,
      step: 3,
    },
  ],
  requestedAt: '2026-12-07T10:00:00Z',
  expiresAt: '2026-12-07T10:15:00Z',
};

function gateWith(lines: string[]) {
  const input = new PassThrough();
  let shown = '';
  const gate = createTerminalApprovalGate({
    input,
    write: (text) => {
      shown += text;
    },
    approver: 'ana',
    roles: ['team-lead'],
  });
  for (const line of lines) input.write(`${line}\n`);
  return { gate, input, shown: () => shown };
}

describe('createTerminalApprovalGate', () => {
  it('shows the change, its risk, rollback, rule and evidence, and approves on yes', async () => {
    const { gate, shown } = gateWith(['Yes']);
    const decision = await gate.request(request, { signal: new AbortController().signal });
    expect(decision).toEqual({ approved: true, approver: 'ana', roles: ['team-lead'] });
    expect(shown()).toContain('Approval needed in staging from team-lead: Raise maxmemory');
    expect(shown()).toContain(
      'change:   redis.config-set on redis:lab/cache (parameter=maxmemory, value=96mb)',
    );
    expect(shown()).toContain('rollback: redis.config-set on redis:lab/cache');
    expect(shown()).toContain('policy:   staging-limits: staging changes to limits need a team lead');
    expect(shown()).toContain('[2] supports: used memory at 100 % of maxmemory');
  });

  it('refuses on anything else, and when the input ends', async () => {
    const { gate, input } = gateWith(['', 'no', 'yess']);
    for (let index = 0; index < 3; index += 1) {
      const decision = await gate.request(request, { signal: new AbortController().signal });
      expect(decision.approved).toBe(false);
    }
    input.end();
    const last = await gate.request(request, { signal: new AbortController().signal });
    expect(last).toMatchObject({ approved: false, reason: 'no answer: the input ended' });
  });

  it('rejects with a CancelledError when the request times out while it waits, and answers the next one', async () => {
    const { gate, input } = gateWith([]);
    const controller = new AbortController();
    const pending = gate.request(request, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    const next = gate.request(request, { signal: new AbortController().signal });
    input.write('y\n');
    expect((await next).approved).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    await expect(gate.request(request, { signal: aborted.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
