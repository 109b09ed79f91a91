import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAwareness,
  createCallContext,
  createManualClock,
  InvalidInputError,
  type Signal,
} from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertmanagerReceiver } from './alertmanager-receiver';
import type { AlertmanagerReceiver, AlertmanagerReceiverOptions } from './types';
import { fixture } from './wire-fixtures.fixture';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function mount(options: AlertmanagerReceiverOptions = {}) {
  const received: Signal[] = [];
  const warnings: string[] = [];
  const receiver = createAlertmanagerReceiver({
    onSignal: (signal) => void received.push(signal),
    logger: { debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} },
    clock: createManualClock(1_796_655_100_000),
    ...options,
  });
  server = createServer((request, response) => void receiver.handle(request, response));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alertmanager`;
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { receiver, received, warnings, post, url };
}

describe('createAlertmanagerReceiver', () => {
  it('passes each new alert on once: firing, re-delivery (not passed on), resolved', async () => {
    const { received, post } = await mount();
    expect(await post(fixture('webhook_firing_RedisMemoryHigh'))).toEqual({
      status: 200,
      body: { accepted: 1, duplicates: 0, problems: [] },
    });
    expect(await post(fixture('webhook_firing_RedisMemoryHigh'))).toEqual({
      status: 200,
      body: { accepted: 0, duplicates: 1, problems: [] },
    });
    expect((await post(fixture('webhook_resolved_RedisMemoryHigh'))).body.accepted).toBe(1);
    expect(received.map((signal) => [signal.entity, signal.status, signal.fingerprint])).toEqual([
      ['redis:lab/cache', 'firing', 'aa2b316a4c604cc8'],
      ['redis:lab/cache', 'resolved', 'aa2b316a4c604cc8'],
    ]);
  });

  it('answers 400 with the typed error for a malformed alert, and still receives the good ones', async () => {
    const { received, post } = await mount();
    const payload = fixture('webhook_firing_PostgresConnectionsHigh') as {
      alerts: Record<string, unknown>[];
    };
    payload.alerts = [{ ...payload.alerts[0], labels: 'oops' }, ...payload.alerts];
    const { status, body } = await post(payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      accepted: 1,
      duplicates: 0,
      error: {
        code: 'invalid-input',
        name: 'InvalidInputError',
        issues: [{ path: ['alerts', 0], message: expect.stringMatching(/^alerts\[0\]: labels: /) }],
      },
    });
    expect((body.error as { message: string }).message).toMatch(
      /^connector-prometheus: 1 alerts of the payload are invalid \(the other 1 were received\)/,
    );
    expect(received.map((signal) => signal.entity)).toEqual(['postgres:lab/db']);
  });

  it('answers 400 for a body that is not JSON or not a payload, 405 for GET, 413 when too large', async () => {
    const { post, url } = await mount({ maxBodyBytes: 4096 });
    expect((await post('{"version": "4", "alerts": [')).status).toBe(400);
    const wrong = await post({ version: '4' });
    expect(wrong.status).toBe(400);
    expect((wrong.body.error as { message: string }).message).toMatch(/alerts: /);
    const get = await fetch(url);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await post({ version: '4', alerts: [], padding: 'x'.repeat(5000) })).status).toBe(413);
  });

  it('checks the bearer token when one is set', async () => {
    const { post, received } = await mount({ bearerToken: 'hook-token' });
    expect((await post(fixture('webhook_firing_RedisMemoryHigh'))).status).toBe(401);
    expect(
      (await post(fixture('webhook_firing_RedisMemoryHigh'), { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect(
      (await post(fixture('webhook_firing_RedisMemoryHigh'), { authorization: 'Bearer hook-token' })).status,
    ).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('answers 200 and logs when onSignal fails', async () => {
    const { post, warnings } = await mount({
      onSignal: () => {
        throw new Error('host down');
      },
    });
    expect((await post(fixture('webhook_firing_RedisMemoryHigh'))).status).toBe(200);
    expect(warnings[0]).toMatch(
      /onSignal failed for alertmanager:aa2b316a4c604cc8:1796655061321:firing: Error: host down/,
    );
  });

  it('delivers to subscribers until they stop, and lists what it received', async () => {
    const receiver = createAlertmanagerReceiver();
    const seen: string[] = [];
    const controller = new AbortController();
    receiver.subscribe((signal) => void seen.push(signal.id), { signal: controller.signal });
    await receiver.receive(fixture('webhook_firing_RedisMemoryHigh'));
    controller.abort();
    await receiver.receive(fixture('webhook_firing_PostgresConnectionsHigh'));
    expect(seen).toEqual(['alertmanager:aa2b316a4c604cc8:1796655061321:firing']);
    await receiver.receive(fixture('webhook_resolved_RedisMemoryHigh'));
    const signals = receiver.connector().capabilities.signals;
    const context = createCallContext({ clock: createManualClock(1_796_655_100_000) });
    const window = (start: string, end: string) => ({ start: Date.parse(start), end: Date.parse(end) });
    const during = await signals?.list(window('2026-12-07T14:51:10Z', '2026-12-07T14:51:20Z'), context);
    expect(during?.map((signal) => `${signal.entity} ${signal.status}`)).toEqual([
      'redis:lab/cache firing',
      'redis:lab/cache resolved',
      'postgres:lab/db firing',
    ]);
    const later = await signals?.list(window('2026-12-07T14:52:00Z', '2026-12-07T14:53:00Z'), context);
    expect(later?.map((signal) => `${signal.entity} ${signal.status}`)).toEqual([
      'redis:lab/cache firing',
      'postgres:lab/db firing',
    ]);
    const redisOnly = await signals?.list(
      { ...window('2026-12-07T14:51:10Z', '2026-12-07T14:51:20Z'), entity: 'redis:lab/cache' },
      context,
    );
    expect(redisOnly).toHaveLength(2);
  });

  it('feeds awareness: the firing alert opens a situation, its resolution resolves it', async () => {
    const clock = createManualClock(Date.parse('2026-12-07T14:51:02Z'));
    const awareness = createAwareness({ connectors: [], clock });
    const receiver: AlertmanagerReceiver = createAlertmanagerReceiver({
      onSignal: async (signal) => void (await awareness.ingest(signal)),
    });
    const results: string[] = [];
    awareness.events.on(
      'situation:opened',
      ({ situation }) => void results.push(`opened ${situation.status}`),
    );
    awareness.events.on(
      'situation:updated',
      ({ situation }) => void results.push(`updated ${situation.status}`),
    );
    await receiver.receive(fixture('webhook_firing_RedisMemoryHigh'));
    await receiver.receive(fixture('webhook_firing_RedisMemoryHigh'));
    clock.set(Date.parse('2026-12-07T14:51:28Z'));
    await receiver.receive(fixture('webhook_resolved_RedisMemoryHigh'));
    expect(results).toEqual(['opened open', 'updated resolved']);
  });

  it('rejects malformed options', () => {
    expect(() => createAlertmanagerReceiver({ memory: 0 })).toThrow(InvalidInputError);
    expect(() => createAlertmanagerReceiver({ onSignal: 'call me' as never })).toThrow(
      /onSignal: expected a function/,
    );
  });
});

describeConnectorConformance({
  name: 'alertmanager receiver',
  create: async () => {
    const receiver = createAlertmanagerReceiver();
    await receiver.receive(fixture('webhook_firing_RedisMemoryHigh'));
    await receiver.receive(fixture('webhook_resolved_RedisMemoryHigh'));
    return receiver.connector();
  },
  window: { start: Date.parse('2026-12-07T14:50:00Z'), end: Date.parse('2026-12-07T14:52:00Z') },
  entity: 'redis:lab/cache',
});
