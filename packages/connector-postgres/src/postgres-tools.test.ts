import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { recordedSituation, replayingClients, type SituationName } from './fixtures/recorded-rows';
import { replayEntity as entity, replayNow as now, replayedConnector } from './fixtures/replayed-connector';

function toolsOn(situation: SituationName) {
  const replayed = replayedConnector(situation, {
    thresholds: { idleInTransactionSeconds: 1, longTransactionSeconds: 2 },
  });
  return { ...replayed, run: replayed.runTool };
}

describe('postgres tools', () => {
  it('postgres_activity summarises states, waiters and the busiest sessions, redacted', async () => {
    const { run } = toolsOn('contention');
    const result = await run('postgres_activity');
    const lines = result.text.split('\n');
    expect(lines[0]).toBe(
      "postgres:lab/db: 5 of max_connections 20 client connections in use (25 %), the connector's own included",
    );
    expect(lines[1]).toBe('4 other sessions by state: active 2, idle 1, idle in transaction 1');
    expect(lines[3]).toMatch(
      /^waiting on locks: 2; longest transaction: 2\.\d s \(pid \d+, idle in transaction\)$/,
    );
    expect(result.text).toContain(
      "UPDATE aisre_it_accounts SET balance = balance - 1, note = '…' WHERE id = 1",
    );
    expect(result.text).not.toContain('4111');
    const waiters = lines.filter((line) => line.includes('waiting (Lock:'));
    expect(waiters).toHaveLength(2);
    expect(result.data).toMatchObject({ clientConnections: 5, maxConnections: 20, waitingOnLocks: 2 });
  });

  it('postgres_locks shows the blocking chain down to the second waiter', async () => {
    const { run } = toolsOn('contention');
    const result = await run('postgres_locks');
    expect(result.text).toMatch(/locks granted, 2 awaited/);
    expect(result.text).toContain('1 blocking chain(s):');
    const chain = result.text
      .split('\n')
      .filter((line) => line.includes('←') || line.includes('blocks 2 session(s)'));
    expect(chain[0]).toMatch(
      /pid \d+ \(app billing-worker, user postgres, db postgres\): idle in transaction .* blocks 2 session\(s\):$/,
    );
    expect(chain[1]).toMatch(
      /^ {4}← pid \d+ \(app checkout.*waiting \(Lock: transactionid\).*\[wants ShareLock on transactionid\]$/,
    );
    expect(chain[2]).toMatch(
      /^ {6}← pid \d+ \(app checkout.*waiting \(Lock: tuple\).*\[wants ExclusiveLock on tuple aisre_it_accounts\]$/,
    );
    const data = result.data as {
      chains: { blocker: { application: string }; waiters: { depth: number }[] }[];
    };
    expect(data.chains[0]?.blocker.application).toBe('billing-worker');
    expect(data.chains[0]?.waiters.map((waiter) => waiter.depth)).toEqual([1, 2]);
  });

  it('postgres_database_stats reads pg_stat_database per database', async () => {
    const { run } = toolsOn('saturation');
    const result = await run('postgres_database_stats', { database: 'postgres' });
    expect(result.text.split('\n')).toHaveLength(2);
    expect(result.text).toMatch(
      /^postgres: 18 backends, \d+ commits, \d+ rollbacks, cache hit 0\.\d+, 0 deadlocks/m,
    );
    expect((await run('postgres_database_stats', { database: 'nope' })).text).toContain('no such database');
  });

  it('postgres_settings reads settings by name and says which are unknown', async () => {
    const { run, replay } = toolsOn('quiet');
    const result = await run('postgres_settings', {
      names: ['max_connections', 'work_mem', 'no_such_setting'],
    });
    expect(result.text).toBe(
      'max_connections = 20 (command line)\nwork_mem = 4096 kB (default)\nunknown settings: no_such_setting',
    );
    expect(replay.queries.at(-1)?.values).toEqual([['max_connections', 'work_mem', 'no_such_setting']]);
  });

  it('postgres_settings hides the settings that can hold credentials', async () => {
    const replay = replayingClients(recordedSituation('quiet'), {
      overrides: {
        'settings-by-name': [
          {
            name: 'primary_conninfo',
            setting: 'host=primary user=replicator password=Repl1c4-secret',
            unit: null,
            vartype: 'string',
            source: 'configuration file',
            short_desc: 'Connection string to the primary.',
            pending_restart: false,
          },
        ],
      },
    });
    const result = await replayedConnector('quiet', {}, replay).runTool('postgres_settings', {
      names: ['primary_conninfo'],
    });
    expect(JSON.stringify(result)).not.toContain('Repl1c4-secret');
    expect(result.text).toContain('primary_conninfo = (hidden: may hold credentials)');
  });

  it('postgres_long_transactions lists transactions past the threshold, oldest first', async () => {
    const { run } = toolsOn('contention');
    const result = await run('postgres_long_transactions', { olderThanSeconds: 2 });
    const lines = result.text.split('\n');
    expect(lines[0]).toBe('postgres:lab/db: 3 transaction(s) open longer than 2 s');
    expect(lines[1]).toContain('app billing-worker');
    expect(lines[2]).toMatch(/\[blocked by \d+\]$/);
    expect((await run('postgres_long_transactions', { olderThanSeconds: 3600 })).text).toBe(
      'postgres:lab/db: 0 transaction(s) open longer than 3600 s',
    );
  });

  it('postgres_connections shows use against max_connections and who holds the connections', async () => {
    const { run } = toolsOn('saturation');
    const result = await run('postgres_connections');
    const lines = result.text.split('\n');
    expect(lines[0]).toBe(
      "postgres:lab/db: 18 of 20 connections in use (90 %), the connector's own included",
    );
    expect(lines[1]).toBe(
      'reserved: 3 (superuser_reserved_connections 3); left for roles without reserved slots: 0',
    );
    expect(lines[4]).toMatch(/^by application: (fault-idle-\d+ 1, ){7}fault-idle-\d+ 1$/);
    expect(lines[5]).toBe('by state: idle 16, idle in transaction 1');
    expect(result.data).toMatchObject({ used: 18, maxConnections: 20, usage: 0.9, availableToOthers: 0 });
  });

  it('validates tool input with an InvalidInputError', async () => {
    const { run } = toolsOn('quiet');
    await expect(run('postgres_settings', { names: ['max_connections; DROP TABLE x'] })).rejects.toSatisfy(
      (error) => InvalidInputError.isInstance(error),
    );
    await expect(run('postgres_activity', { limit: 0 })).rejects.toSatisfy((error) =>
      InvalidInputError.isInstance(error),
    );
    await expect(run('postgres_connections', { extra: true })).rejects.toSatisfy((error) =>
      InvalidInputError.isInstance(error),
    );
  });

  it('never reveals a password or a literal from a statement, in any tool, log or action', async () => {
    for (const situation of ['quiet', 'contention', 'saturation'] as const) {
      const { run, connector, context } = toolsOn(situation);
      const outputs: unknown[] = [];
      for (const tool of connector.tools) {
        outputs.push(
          await run(tool.name, tool.name === 'postgres_settings' ? { names: ['max_connections'] } : {}),
        );
      }
      outputs.push(await connector.capabilities.logs?.search({ start: now - 60_000, end: now }, context));
      outputs.push(
        await connector.capabilities.actuator?.apply(
          { type: 'postgres.terminate-idle', target: entity, parameters: { olderThanSeconds: 1 } },
          { dryRun: true },
          context,
        ),
      );
      const text = JSON.stringify(outputs);
      expect(text, situation).not.toContain('S3cret-Fixture-Pass');
      expect(text, situation).not.toContain('4111');
      expect(text, situation).not.toContain('aisre-lab');
    }
  });
});
