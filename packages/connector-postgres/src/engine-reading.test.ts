// The investigation engine reads a direct connection the way it reads the mock and postgres_exporter: two
// hours of readings sampled from recorded rows (quiet, then saturated), and the built-in engine, without a
// model, names the saturation from this connector alone.
import { createInvestigator, type Signal } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { recordedSituation } from './fixtures/recorded-rows';
import { replayEntity as entity, replayedConnector, replayNow } from './fixtures/replayed-connector';

const stepMs = 30_000;

async function sampledHistory(saturatedFor: number) {
  const replayed = replayedConnector('quiet');
  const { connector, replay, clock, context } = replayed;
  const quiet = recordedSituation('quiet');
  const saturated = recordedSituation('saturation');
  const steps = (2 * 3_600_000) / stepMs;
  for (let step = 0; step <= steps; step += 1) {
    replay.situation = step >= steps - saturatedFor ? saturated : quiet;
    await connector.sampler.sample(context);
    if (step < steps) clock.advance(stepMs);
  }
  return replayed;
}

const alert = (at: number): Signal => ({
  id: 'alert-pg-connections',
  source: 'alertmanager',
  kind: 'alert',
  entity,
  severity: 'P2',
  at: new Date(at).toISOString(),
  summary: 'PostgresConnectionsHigh: connections above 85 % of max_connections',
  labels: { alertname: 'PostgresConnectionsHigh' },
  payload: {},
});

describe('the investigation engine on a direct connection', () => {
  it('names the connection saturation of the server from this connector alone', async () => {
    const { connector, clock } = await sampledHistory(40);
    expect(connector.sampler.readingCount).toBe(241);
    const investigator = createInvestigator({ connectors: [connector], clock });
    const report = await investigator.investigate(alert(clock.now()));
    expect(clock.now()).toBe(replayNow + 2 * 3_600_000);
    expect(report.conclusion).toMatchObject({ entity, fault: 'db.connection-pool-saturation' });
    const evidence = report.evidence.map((item) => item.summary).join('\n');
    expect(evidence).toContain('pg_stat_database_numbackends at 90 % of pg_settings_max_connections');
  });

  it('does not claim a saturation when the server is quiet', async () => {
    const { connector, clock } = await sampledHistory(0);
    const investigator = createInvestigator({ connectors: [connector], clock });
    const report = await investigator.investigate(alert(clock.now()));
    expect(report.conclusion?.fault).not.toBe('db.connection-pool-saturation');
  });
});
