import { type AnyTool, createBudget, createCallContext, type ToolContext } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createReplayConnector } from './replay-connector';
import type { ReplayRecording } from './types';

const minute = 60_000;
const start = Date.parse('2026-03-02T01:00:00Z');
const cart = 'service:shop/cart' as const;
const frontend = 'service:shop/frontend' as const;
const recording: ReplayRecording = {
  series: [
    {
      metric: 'http_server_request_duration_seconds',
      entity: cart,
      labels: { quantile: '0.99' },
      type: 'summary',
      unit: 'seconds',
      help: 'latency',
      points: Array.from({ length: 30 }, (_, index): [number, number | null] => [
        start + index * minute,
        index === 3 ? null : 0.1 * (index + 1),
      ]),
    },
    {
      metric: 'http_server_requests_total',
      entity: frontend,
      labels: { status: '5xx' },
      type: 'counter',
      unit: 'requests/s',
      help: 'errors',
      points: [[start, 0]],
    },
  ],
  logs: [
    {
      at: new Date(start + 8 * minute).toISOString(),
      entity: cart,
      level: 'error',
      message: 'pool exhausted',
      attributes: {},
    },
    {
      at: new Date(start + 9 * minute).toISOString(),
      entity: cart,
      level: 'info',
      message: 'pool ok',
      attributes: {},
    },
    {
      at: new Date(start + 25 * minute).toISOString(),
      entity: cart,
      level: 'error',
      message: 'pool exhausted again',
      attributes: {},
    },
  ],
  topology: {
    entities: [
      { ref: cart, attributes: { team: 'checkout' } },
      { ref: frontend, attributes: {} },
    ],
    relations: [{ from: frontend, to: cart, kind: 'calls', attributes: {} }],
  },
};

function context(): ToolContext {
  const base = createCallContext();
  return {
    ...base,
    budget: createBudget({ wallTimeMs: 60_000, toolCalls: 10, modelTokens: 0, costUsd: 0 }, base.clock),
  };
}

function run(tools: AnyTool[], name: string, input: unknown) {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const parsed = tool.input.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.message);
  return tool.run(parsed.data, context());
}

describe('replay tools', () => {
  it('offers what the recording has: logs and topology switch their tools on', () => {
    const full = createReplayConnector({ recording, now: start + 10 * minute });
    expect(full.tools.map((tool) => tool.name)).toEqual([
      'list_metrics',
      'query_metric',
      'search_logs',
      'describe_entity',
    ]);
    const bare = createReplayConnector({ recording: { series: recording.series } });
    expect(bare.tools.map((tool) => tool.name)).toEqual(['list_metrics', 'query_metric']);
  });

  it('reads a series as of the clock, over the lookback, and sees more once the clock moves', async () => {
    const connector = createReplayConnector({ recording, now: start + 10 * minute });
    const before = await run(connector.tools, 'query_metric', {
      metric: 'http_server_request_duration_seconds',
      entity: cart,
      lookbackMinutes: 5,
    });
    expect(before.text).toContain('first 0.6, last 1.1');
    expect(before.text).toContain(`${cart} [seconds]`);
    const data = before.data as { points: [string, number | null][] }[];
    expect(data[0]?.points.at(-1)).toEqual([new Date(start + 10 * minute).toISOString(), 1.1]);
    connector.advanceTo(start + 20 * minute);
    const after = await run(connector.tools, 'query_metric', {
      metric: 'http_server_request_duration_seconds',
    });
    expect(after.text).toContain('last 2.1');
    expect(after.text).toContain('(1 missing)');
  });

  it('lists metrics by entity and name, and says so when nothing matches', async () => {
    const { tools } = createReplayConnector({ recording, now: start + 10 * minute });
    const all = await run(tools, 'list_metrics', {});
    expect(all.text.split('\n')).toHaveLength(2);
    const requests = await run(tools, 'list_metrics', { contains: 'requests' });
    expect(requests.text).toBe(`${frontend} http_server_requests_total{status="5xx"} counter [requests/s]`);
    expect((await run(tools, 'list_metrics', { entity: 'service:shop/none' })).text).toBe(
      'no recorded metrics match',
    );
  });

  it('searches logs up to the clock only', async () => {
    const { tools } = createReplayConnector({ recording, now: start + 10 * minute });
    const found = await run(tools, 'search_logs', { text: 'POOL', minLevel: 'error' });
    expect(found.text).toContain('pool exhausted');
    expect(found.text).not.toContain('again');
    expect(found.text).not.toContain('pool ok');
  });

  it('describes an entity from the recorded topology', async () => {
    const { tools } = createReplayConnector({ recording, now: start + 10 * minute });
    const described = await run(tools, 'describe_entity', { entity: cart });
    expect(described.text).toBe(`${cart}: team=checkout\ndepends on: nothing\ndepended on by: ${frontend}`);
    expect((await run(tools, 'describe_entity', { entity: 'service:shop/none' })).data).toEqual({
      found: false,
    });
  });

  it('refuses malformed inputs by schema and honours cancellation', async () => {
    const { tools } = createReplayConnector({ recording, now: start + 10 * minute });
    const query = tools.find((tool) => tool.name === 'query_metric') as AnyTool;
    expect(query.input.safeParse({ metric: 'x', lookbackMinutes: -5 }).success).toBe(false);
    expect(query.input.safeParse({ metric: 'x', entity: 'not a ref' }).success).toBe(false);
    expect(query.input.safeParse({ metric: 'x', sql: 'drop table' }).success).toBe(false);
    const controller = new AbortController();
    controller.abort();
    await expect(query.run({ metric: 'x' }, { ...context(), signal: controller.signal })).rejects.toThrow(
      /connector-replay: tool query_metric/,
    );
  });
});
