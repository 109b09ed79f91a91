import { createCallContext, createManualClock, InvalidInputError } from '@aisre/core';
import { describeConnectorConformance } from '@aisre/core/testing';
import { describe, expect, it } from 'vitest';
import { createShopTelemetryConnector } from './shop-telemetry-connector';

const window = { start: Date.parse('2026-05-12T12:20:00Z'), end: Date.parse('2026-05-12T14:20:00Z') };

describeConnectorConformance({
  name: 'shop-telemetry',
  create: () => createShopTelemetryConnector(),
  window,
  entity: 'postgres:shop/orders-db',
});

describe('shop-telemetry connector', () => {
  const context = createCallContext({ clock: createManualClock(Date.parse('2026-05-12T14:00:00Z')) });

  it('never returns points or changes after its clock', async () => {
    const connector = createShopTelemetryConnector();
    const [series] =
      (await connector.capabilities.metrics?.range(
        { metric: 'pg_stat_statements_mean_exec_time_seconds', ...window },
        context,
      )) ?? [];
    expect(series?.points.at(-1)?.[0]).toBe(Date.parse('2026-05-12T14:00:00Z'));
    const changes = (await connector.capabilities.changes?.list(window, context)) ?? [];
    expect(changes.map((change) => change.id)).toEqual(['chg-1041']);
  });

  it('rejects a metric CSV with an unknown column', () => {
    expect(() => createShopTelemetryConnector({ metricsCsv: 'time,cpu\n2026-05-12T12:20:00Z,1' })).toThrow(
      InvalidInputError,
    );
  });
});
