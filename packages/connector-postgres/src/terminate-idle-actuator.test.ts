import {
  actuationResultSchema,
  ConnectorError,
  InvalidInputError,
  type RemediationAction,
} from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { recordedSituation, replayingClients } from './fixtures/recorded-rows';
import { replayEntity as entity, replayedConnector } from './fixtures/replayed-connector';

const action = (parameters: RemediationAction['parameters']): RemediationAction => ({
  type: 'postgres.terminate-idle',
  target: entity,
  parameters,
});

function actuatorOn(overrides?: Record<string, unknown[]>) {
  const replay = replayingClients(recordedSituation('contention'), overrides ? { overrides } : {});
  const replayed = replayedConnector('contention', {}, replay);
  const actuator = replayed.connector.capabilities.actuator;
  if (!actuator) throw new Error('no actuator');
  return { ...replayed, actuator };
}

describe('postgres.terminate-idle', () => {
  it('supports only its action type on its own entity', () => {
    const { actuator } = actuatorOn();
    expect(actuator.supports(action({ olderThanSeconds: 60 }))).toBe(true);
    expect(actuator.supports({ ...action({ olderThanSeconds: 60 }), target: 'postgres:shop/other' })).toBe(
      false,
    );
    expect(actuator.supports({ ...action({}), type: 'postgres.terminate-blocking' })).toBe(false);
    expect(actuator.supports({ ...action({}), type: 'postgres.config-set' })).toBe(false);
  });

  it('dry-runs: lists the sessions it would terminate without terminating', async () => {
    const { actuator, replay, context } = actuatorOn();
    const result = actuationResultSchema.parse(
      await actuator.apply(action({ olderThanSeconds: 1 }), { dryRun: true }, context),
    );
    expect(result).toMatchObject({ applied: false, dryRun: true });
    expect(result.summary).toMatch(
      /^would terminate 1 session\(s\) of postgres:lab\/db idle in a transaction for over 1 s: \d+ \(2\.\d s\)$/,
    );
    const sent = replay.queries.at(-1);
    expect(sent?.tag).toBe('terminate-idle-dry-run');
    expect(sent?.text).not.toContain('pg_terminate_backend');
    expect(sent?.values).toEqual([1, null, null, null]);
    expect(result.details.wouldTerminate).toHaveLength(1);
  });

  it('terminates in one statement that re-checks the state and spares its own backend', async () => {
    const dryRun = recordedSituation('contention').rows['terminate-idle-dry-run'] as Record<
      string,
      unknown
    >[];
    const terminated = dryRun.map((row) => ({ ...row, terminated: true }));
    const { actuator, replay, context } = actuatorOn({ 'terminate-idle': terminated });
    const result = await actuator.apply(
      action({ olderThanSeconds: 60, database: 'postgres', user: 'app', applicationName: 'billing-worker' }),
      { dryRun: false },
      context,
    );
    const sent = replay.queries.at(-1);
    expect(sent?.tag).toBe('terminate-idle');
    expect(sent?.values).toEqual([60, 'postgres', 'app', 'billing-worker']);
    expect(sent?.text).toContain('pg_catalog.pg_terminate_backend(a.pid)');
    expect(sent?.text).toContain("a.state IN ('idle in transaction', 'idle in transaction (aborted)')");
    expect(sent?.text).toContain('a.pid <> pg_catalog.pg_backend_pid()');
    expect(sent?.text).toContain('a.state_change < now() - make_interval(secs => $1::float8)');
    expect(result.applied).toBe(true);
    expect(result.details.terminated).toEqual(dryRun.map((row) => row.pid));
    expect(result.summary).toMatch(
      /^terminated 1 session\(s\) of postgres:lab\/db idle in a transaction for over 60 s \(database postgres, role app, application billing-worker\): \d+$/,
    );
    expect(JSON.stringify(result)).not.toContain('4111');
  });

  it('reports sessions that ended before the signal reached them, and applies nothing when none match', async () => {
    const dryRun = recordedSituation('contention').rows['terminate-idle-dry-run'] as Record<
      string,
      unknown
    >[];
    const { actuator, context } = actuatorOn({ 'terminate-idle': dryRun });
    const result = await actuator.apply(action({ olderThanSeconds: 1 }), { dryRun: false }, context);
    expect(result.applied).toBe(false);
    expect(result.details.notTerminated).toEqual(dryRun.map((row) => row.pid));
    const empty = actuatorOn({ 'terminate-idle': [] });
    const nothing = await empty.actuator.apply(
      action({ olderThanSeconds: 1 }),
      { dryRun: false },
      empty.context,
    );
    expect(nothing).toMatchObject({ applied: false, dryRun: false, details: { terminated: [] } });
  });

  it('refuses other actions and bad parameters with typed errors', async () => {
    const { actuator, context } = actuatorOn();
    await expect(
      actuator.apply(
        { ...action({ olderThanSeconds: 60 }), type: 'postgres.config-set' },
        { dryRun: true },
        context,
      ),
    ).rejects.toSatisfy(
      (error) =>
        ConnectorError.isInstance(error) &&
        /applies only postgres\.terminate-idle/.test((error as Error).message),
    );
    const bad: RemediationAction['parameters'][] = [
      {},
      { olderThanSeconds: 0 },
      { olderThanSeconds: 60, pid: 42 },
      { olderThanSeconds: '60' },
    ];
    for (const parameters of bad) {
      await expect(actuator.apply(action(parameters), { dryRun: true }, context)).rejects.toSatisfy((error) =>
        InvalidInputError.isInstance(error),
      );
    }
  });
});
