import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import type { SituationName } from './fixtures/recorded-rows';
import { replayEntity as entity, replayNow as now, replayedConnector } from './fixtures/replayed-connector';
import { presentToleranceMs } from './postgres-connector';
import type { PostgresThresholds } from './types';

function logsOn(situation: SituationName, thresholds?: PostgresThresholds) {
  const replayed = replayedConnector(situation, thresholds ? { thresholds } : {});
  const logs = replayed.connector.capabilities.logs;
  if (!logs) throw new Error('no logs capability');
  return { ...replayed, logs };
}

describe('logs.search', () => {
  it('turns lock waits, idle-in-transaction sessions and long transactions into records stamped now', async () => {
    const { logs, context } = logsOn('contention', {
      idleInTransactionSeconds: 1,
      longTransactionSeconds: 2,
    });
    const records = await logs.search({ start: now - 30 * 60_000, end: now }, context);
    const events = records.map((record) => record.attributes.event);
    expect(events).toEqual([
      'lock-wait',
      'lock-wait',
      'idle-in-transaction',
      'long-transaction',
      'long-transaction',
    ]);
    expect(
      records.every((record) => record.at === new Date(now).toISOString() && record.entity === entity),
    ).toBe(true);
    expect(records.every((record) => record.level === 'warn')).toBe(true);
    const [firstWait, secondWait, idle] = records;
    expect(firstWait?.message).toMatch(
      /^process \d+ waits for a lock \(ShareLock on transactionid\) in a statement running for 2\.\d s, blocked by process \d+; the chain starts at pid \d+ \(app billing-worker/,
    );
    expect(secondWait?.message).toContain('(ExclusiveLock on tuple aisre_it_accounts)');
    expect(secondWait?.attributes.chainHead).toBe(firstWait?.attributes.chainHead);
    expect(idle?.message).toMatch(/^process \d+ is idle in transaction for 2\.\d s: /);
    expect(idle?.message).toContain("note = '…'");
    expect(idle?.attributes).toMatchObject({
      'db.name': 'postgres',
      application: 'billing-worker',
      state: 'idle in transaction',
    });
  });

  it('cuts at the thresholds (defaults: idle 30 s, transactions 60 s, lock waits 1 s)', async () => {
    const { logs, context } = logsOn('contention');
    const records = await logs.search({ start: now - 60_000, end: now }, context);
    expect(records.map((record) => record.attributes.event)).toEqual(['lock-wait', 'lock-wait']);
    const none = logsOn('contention', { lockWaitSeconds: 600 });
    expect(await none.logs.search({ start: now - 60_000, end: now }, none.context)).toEqual([]);
  });

  it('filters by text, level, entity and limit', async () => {
    const { logs, context } = logsOn('contention', { idleInTransactionSeconds: 1 });
    const window = { start: now - 60_000, end: now };
    expect(await logs.search({ ...window, text: 'IS IDLE IN TRANSACTION' }, context)).toHaveLength(1);
    expect(await logs.search({ ...window, text: 'idle in transaction' }, context)).toHaveLength(3);
    expect(await logs.search({ ...window, minLevel: 'error' }, context)).toEqual([]);
    expect(await logs.search({ ...window, limit: 1 }, context)).toHaveLength(1);
    expect(await logs.search({ ...window, entity: 'postgres:shop/other' }, context)).toEqual([]);
  });

  it('reads the present only for a window that includes now', async () => {
    const { logs, replay, context } = logsOn('contention');
    expect(await logs.search({ start: now - 3_600_000, end: now - presentToleranceMs - 1 }, context)).toEqual(
      [],
    );
    expect(await logs.search({ start: now + 1, end: now + 60_000 }, context)).toEqual([]);
    expect(replay.queries.filter((query) => query.tag === 'client-sessions')).toHaveLength(0);
    expect(
      await logs.search({ start: now - 3_600_000, end: now - presentToleranceMs }, context),
    ).toHaveLength(2);
  });

  it('rejects a backwards window with an InvalidInputError', async () => {
    const { logs, context } = logsOn('quiet');
    await expect(logs.search({ start: now, end: now - 1 }, context)).rejects.toSatisfy((error) =>
      InvalidInputError.isInstance(error),
    );
  });
});
