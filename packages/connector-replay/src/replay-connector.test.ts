import { createCallContext, InvalidInputError } from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { describe, expect, it } from 'vitest';
import { createReplayConnector } from './replay-connector';
import type { ReplayRecording } from './types';

const minute = 60_000;
const start = Date.parse('2026-03-02T01:00:00Z');
const recording: ReplayRecording = {
  series: [
    {
      metric: 'http_server_request_duration_seconds',
      entity: 'service:shop/cart',
      labels: { quantile: '0.99' },
      type: 'summary',
      unit: 'seconds',
      help: 'latency',
      points: Array.from({ length: 10 }, (_, index): [number, number | null] => [
        start + index * minute,
        index === 3 ? null : 0.1 * (index + 1),
      ]),
    },
  ],
  calls: [
    {
      from: 'service:shop/frontend',
      to: 'service:shop/cart',
      points: Array.from({ length: 10 }, (_, index) => ({
        at: start + index * minute,
        rate: 5,
        errorRatio: 0,
        p50Ms: 10,
        p95Ms: 20 + index,
        p99Ms: 30,
      })),
    },
  ],
  logs: [
    {
      at: new Date(start + 8 * minute).toISOString(),
      entity: 'service:shop/cart',
      level: 'error',
      message: 'boom',
      attributes: {},
    },
  ],
  changes: [
    {
      id: 'd1',
      entity: 'service:shop/cart',
      kind: 'deploy',
      at: new Date(start + 2 * minute).toISOString(),
      summary: 'v2',
      attributes: {},
    },
  ],
  topology: {
    entities: [
      { ref: 'service:shop/cart', attributes: {} },
      { ref: 'service:shop/frontend', attributes: {} },
    ],
    relations: [{ from: 'service:shop/frontend', to: 'service:shop/cart', kind: 'calls', attributes: {} }],
  },
};

describeConnectorConformance({
  name: 'replay',
  create: () => createReplayConnector({ recording, now: start + 9 * minute }),
  window: { start, end: start + 9 * minute },
  entity: 'service:shop/cart',
});

describe('as-of clock', () => {
  const context = createCallContext();
  const query = { metric: 'http_server_request_duration_seconds', start, end: start + 60 * minute };

  it('never serves data recorded after now, and advanceTo reveals it', async () => {
    const connector = createReplayConnector({ recording, now: start + 4 * minute });
    const [series] = (await connector.capabilities.metrics?.range(query, context)) ?? [];
    expect(series?.points.map(([at]) => at)).toEqual([0, 1, 2, 3, 4].map((index) => start + index * minute));
    expect(series?.points[3]).toEqual([start + 3 * minute, null]);
    expect(await connector.capabilities.logs?.search({ start, end: start + 60 * minute }, context)).toEqual(
      [],
    );
    connector.advanceTo(start + 9 * minute);
    const [later] = (await connector.capabilities.metrics?.range(query, context)) ?? [];
    expect(later?.points).toHaveLength(10);
    expect(
      await connector.capabilities.logs?.search({ start, end: start + 60 * minute }, context),
    ).toHaveLength(1);
  });

  it('only moves forward', () => {
    const connector = createReplayConnector({ recording, now: start + 4 * minute });
    expect(() => connector.advanceTo(start)).toThrow(InvalidInputError);
    expect(() => connector.advanceTo(Number.NaN)).toThrow(/only moves forward/);
    expect(connector.now()).toBe(start + 4 * minute);
  });

  it('defaults to the last recorded time and aggregates call series over the window', async () => {
    const connector = createReplayConnector({ recording });
    expect(connector.now()).toBe(start + 9 * minute);
    const stats = await connector.capabilities.traces?.callStats(
      { start: start + 7 * minute, end: start + 60 * minute },
      context,
    );
    expect(stats).toEqual([
      {
        from: 'service:shop/frontend',
        to: 'service:shop/cart',
        rate: 5,
        errorRatio: 0,
        p50Ms: 10,
        p95Ms: 28,
        p99Ms: 30,
      },
    ]);
  });

  it('does not share state with the recording it was given', async () => {
    const copy = structuredClone(recording);
    const connector = createReplayConnector({ recording: copy });
    (copy.series[0]?.points[0] as [number, number | null])[1] = 99;
    const [series] = (await connector.capabilities.metrics?.range(query, context)) ?? [];
    expect(series?.points[0]?.[1]).toBeCloseTo(0.1);
  });
});
