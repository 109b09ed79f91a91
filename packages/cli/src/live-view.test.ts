import { createInvestigationEmitter, type Hypothesis } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createLiveView, renderLiveView } from './live-view';
import { followWithProgressLines } from './progress-lines';
import { reportWith } from './test-reports';

function hypothesis(id: string, posterior: number, status: Hypothesis['status'] = 'testing'): Hypothesis {
  const [entity = 'redis:shop/cache', fault = 'degraded'] = id.split('#');
  return {
    id,
    entity: entity as Hypothesis['entity'],
    fault,
    statement: id,
    prior: 0.1,
    posterior,
    status,
    generator: 'graph',
  };
}

const escapeCharacter = String.fromCharCode(27);
const ansiStyle = new RegExp(`${escapeCharacter}\\[[0-9;]*m`, 'g');
const rewind = new RegExp(`${escapeCharacter}\\[\\d+F${escapeCharacter}\\[J`);

const limits = { wallTimeMs: 180_000, toolCalls: 50, modelTokens: 0, costUsd: 0 };
const trigger = reportWith().trigger;

function emitRun(events: ReturnType<typeof createInvestigationEmitter>) {
  events.emit('investigation:started', { id: 'inv', trigger, limits });
  events.emit('scope:built', { id: 'inv', entities: ['redis:shop/cache'], changes: 2 });
  events.emit('hypothesis:added', {
    id: 'inv',
    hypothesis: hypothesis('redis:shop/cache#redis.memory-fragmentation', 0.3, 'open'),
  });
  events.emit('hypothesis:added', {
    id: 'inv',
    hypothesis: hypothesis('service:shop/cart#deploy.bad-release', 0.2, 'open'),
  });
  events.emit('check:started', {
    id: 'inv',
    step: 1,
    tool: 'metrics.range',
    hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
  });
  events.emit('budget:charged', { id: 'inv', used: { ...limits, wallTimeMs: 0, toolCalls: 1 }, limits });
  events.emit('check:ended', {
    id: 'inv',
    step: {
      id: 1,
      tool: 'metrics.range',
      provider: 'mock',
      input: {},
      startedMs: 0,
      durationMs: 1,
      outputDigest: 'a'.repeat(64),
    },
  });
  events.emit('check:ended', {
    id: 'inv',
    step: {
      id: 2,
      tool: 'logs.search',
      provider: 'mock',
      input: {},
      startedMs: 0,
      durationMs: 1,
      outputDigest: 'b'.repeat(64),
      error: { code: 'connector', message: 'down' },
    },
  });
  events.emit('evidence:added', {
    id: 'inv',
    evidence: {
      id: 1,
      hypothesis: 'redis:shop/cache#redis.memory-fragmentation',
      check: 'c',
      verdict: 'supports',
      weight: 1,
      summary: 'ratio 1.1 → 1.89',
      excerpt: null,
      step: 1,
    },
  });
  events.emit('hypothesis:updated', {
    id: 'inv',
    hypothesis: hypothesis('redis:shop/cache#redis.memory-fragmentation', 0.8, 'supported'),
  });
  events.emit('hypothesis:updated', {
    id: 'inv',
    hypothesis: hypothesis('service:shop/cart#deploy.bad-release', 0.81, 'testing'),
  });
  events.emit('hypothesis:updated', {
    id: 'inv',
    hypothesis: hypothesis('service:shop/cart#deploy.bad-release', 0.02, 'refuted'),
  });
  events.emit('investigation:ended', {
    id: 'inv',
    report: reportWith({
      conclusion: { entity: 'redis:shop/cache', fault: 'redis.memory-fragmentation', confidence: 0.8 },
    }),
  });
}

describe('renderLiveView', () => {
  it('shows hypotheses as bars, most likely first, the tool-call budget and the current check', () => {
    const lines = renderLiveView(
      {
        title: 'investigating RedisLatencyHigh on redis:shop/cache (P3)',
        hypotheses: new Map([
          ['a', hypothesis('service:shop/cart#deploy.bad-release', 0.1, 'refuted')],
          ['b', hypothesis('redis:shop/cache#redis.memory-fragmentation', 0.75)],
        ]),
        limits,
        used: { ...limits, toolCalls: 25 },
        check: { step: 7, tool: 'metrics.range' },
        checks: { ended: 6, failed: 1 },
        evidence: 4,
        ending: undefined,
      },
      200,
      false,
    );
    expect(lines[0]).toBe('aisre investigating RedisLatencyHigh on redis:shop/cache (P3)');
    expect(lines[1]).toBe(
      `  ${'█'.repeat(15)}${'░'.repeat(5)}  75%  testing   redis.memory-fragmentation on redis:shop/cache`,
    );
    expect(lines[2]).toContain('refuted   deploy.bad-release on service:shop/cart');
    expect(lines[3]).toBe(
      `  tool calls ${'█'.repeat(10)}${'░'.repeat(10)} 25/50  evidence 4  failed checks 1`,
    );
    expect(lines[4]).toBe('  checking #7 metrics.range');
  });

  it('never draws a line wider than the terminal', () => {
    const lines = renderLiveView(
      {
        title: 'x'.repeat(300),
        hypotheses: new Map([['b', hypothesis(`redis:shop/${'c'.repeat(200)}#redis.evictions`, 0.5)]]),
        limits: undefined,
        used: undefined,
        check: undefined,
        checks: { ended: 0, failed: 0 },
        evidence: 0,
        ending: undefined,
      },
      40,
      true,
    );
    for (const line of lines) expect(line.replace(ansiStyle, '').length).toBeLessThan(40);
  });
});

describe('createLiveView', () => {
  it('redraws in place and ends with the ending and the cursor shown', () => {
    let written = '';
    let time = 0;
    const view = createLiveView({
      write: (text) => (written += text),
      columns: 120,
      now: () => (time += 100),
    });
    const events = createInvestigationEmitter();
    view.attach(events);
    emitRun(events);
    expect(written.startsWith('\x1b[?25l')).toBe(true);
    expect(written).toMatch(rewind);
    expect(written.endsWith('\x1b[?25h')).toBe(true);
    expect(written).toContain('concluded');
  });
});

describe('followWithProgressLines', () => {
  it('writes one plain line per event worth showing', () => {
    const lines: string[] = [];
    const events = createInvestigationEmitter();
    followWithProgressLines(events, (text) => lines.push(text));
    emitRun(events);
    expect(lines.join('')).not.toContain('\x1b');
    expect(lines).toEqual([
      'investigating RedisLatencyHigh on redis:shop/cache (P3), budget 50 tool calls and 180 s\n',
      'scope: 1 entities, 2 recent changes\n',
      '+ redis.memory-fragmentation on redis:shop/cache (prior 10%)\n',
      '+ deploy.bad-release on service:shop/cart (prior 10%)\n',
      '! step 2 logs.search failed: down\n',
      '[1] supports redis.memory-fragmentation on redis:shop/cache: ratio 1.1 → 1.89\n',
      '~ redis.memory-fragmentation on redis:shop/cache: supported (80%)\n',
      '~ deploy.bad-release on service:shop/cart: refuted (2%)\n',
      'ended concluded after 10 tool calls: confident\n',
    ]);
  });
});
