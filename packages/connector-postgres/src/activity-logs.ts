// The logs capability: PostgreSQL keeps no log a client can read, but its present state says what an operator
// would grep the server log for. Sessions idle in a transaction, long transactions and lock waits with their
// blocking chains become log records stamped with the time they were observed; failed attempts to open the
// connector's own connection (a saturated server's `53300`) are kept as records of when they happened.
import type { ConnectorError, EntityRef, JsonValue, LogRecord } from '@aisre/core';
import { type BlockingChain, describeSession, type SessionSummary } from './session-analysis';

/** The thresholds the records are cut at, seconds. */
export interface ResolvedThresholds {
  /** A transaction open longer than this is long. */
  longTransactionSeconds: number;
  /** Idle in a transaction longer than this is reported. */
  idleInTransactionSeconds: number;
  /** Waiting on a lock longer than this is reported. */
  lockWaitSeconds: number;
}

/** The defaults of {@link ResolvedThresholds}. */
export const defaultThresholds: ResolvedThresholds = {
  longTransactionSeconds: 60,
  idleInTransactionSeconds: 30,
  lockWaitSeconds: 1,
};

const levelOrder: Record<LogRecord['level'], number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

/** True when `level` is at least `minimum`. */
export function atLeast(level: LogRecord['level'], minimum: LogRecord['level'] | undefined): boolean {
  return minimum === undefined || levelOrder[level] >= levelOrder[minimum];
}

function sessionAttributes(session: SessionSummary): Record<string, JsonValue> {
  return {
    'db.system': 'postgresql',
    pid: session.pid,
    ...(session.database ? { 'db.name': session.database } : {}),
    ...(session.user ? { 'db.user': session.user } : {}),
    ...(session.application ? { application: session.application } : {}),
    ...(session.state ? { state: session.state } : {}),
    ...(session.transactionSeconds !== null ? { transactionSeconds: session.transactionSeconds } : {}),
    ...(session.stateSeconds !== null ? { stateSeconds: session.stateSeconds } : {}),
  };
}

/**
 * The records the present state of the server makes: one per session idle in a transaction past the threshold,
 * one per other long transaction, one per session waiting on a lock past the threshold (naming the head of its
 * blocking chain).
 *
 * @param sessions - the client sessions (without the connector's own)
 * @param chains - their blocking chains
 * @param thresholds - where to cut
 * @param entity - the server
 * @param at - when they were observed, epoch milliseconds
 */
export function presentStateRecords(
  sessions: readonly SessionSummary[],
  chains: readonly BlockingChain[],
  thresholds: ResolvedThresholds,
  entity: EntityRef,
  at: number,
): LogRecord[] {
  const iso = new Date(at).toISOString();
  const records: LogRecord[] = [];
  const record = (message: string, attributes: Record<string, JsonValue>): void => {
    records.push({ at: iso, entity, level: 'warn', message, attributes });
  };
  for (const chain of chains) {
    for (const waiter of chain.waiters) {
      // PostgreSQL does not say when a wait began: the statement's age (state_change of an active session) bounds it.
      const waited = waiter.session.stateSeconds ?? 0;
      if (waited < thresholds.lockWaitSeconds) continue;
      record(
        `process ${waiter.session.pid} waits for a lock${waiter.lock ? ` (${waiter.lock})` : ''} in a statement running for ${waited} s, blocked by process ${waiter.session.blockedBy.join(', ')}; the chain starts at ${describeSession(chain.blocker)}`,
        {
          ...sessionAttributes(waiter.session),
          event: 'lock-wait',
          blockedBy: [...waiter.session.blockedBy],
          chainHead: chain.blocker.pid,
          ...(waiter.lock ? { lock: waiter.lock } : {}),
        },
      );
    }
  }
  for (const session of sessions) {
    const idle = session.state === 'idle in transaction' || session.state === 'idle in transaction (aborted)';
    if (idle && (session.stateSeconds ?? 0) >= thresholds.idleInTransactionSeconds) {
      record(
        `process ${session.pid} is ${session.state} for ${session.stateSeconds} s: ${describeSession(session)}`,
        {
          ...sessionAttributes(session),
          event: 'idle-in-transaction',
        },
      );
    } else if ((session.transactionSeconds ?? 0) >= thresholds.longTransactionSeconds) {
      record(
        `process ${session.pid} has had a transaction open for ${session.transactionSeconds} s: ${describeSession(session)}`,
        { ...sessionAttributes(session), event: 'long-transaction' },
      );
    }
  }
  return records;
}

/** A bounded record of failed attempts to open the connector's connection. */
export class ConnectionFailureLog {
  readonly #records: LogRecord[] = [];
  readonly #capacity: number;

  /** @param capacity - how many records are kept (the oldest go first) */
  constructor(capacity = 200) {
    this.#capacity = capacity;
  }

  /**
   * Keeps a failure.
   *
   * @param failure - the connector's error
   * @param cause - what the client threw (its SQLSTATE becomes the `code` attribute)
   * @param entity - the server
   * @param at - when, epoch milliseconds
   */
  add(failure: ConnectorError, cause: unknown, entity: EntityRef, at: number): void {
    const code = (cause as { code?: unknown } | null)?.code;
    const serverMessage = (cause as { message?: unknown } | null)?.message;
    this.#records.push({
      at: new Date(at).toISOString(),
      entity,
      level: failure.isRetryable ? 'error' : 'fatal',
      message: `could not connect to the server: ${typeof serverMessage === 'string' ? serverMessage : failure.message}`,
      attributes: {
        'db.system': 'postgresql',
        event: 'connection-refused',
        ...(typeof code === 'string' ? { code } : {}),
        retryable: failure.isRetryable,
      },
    });
    if (this.#records.length > this.#capacity) this.#records.splice(0, this.#records.length - this.#capacity);
  }

  /**
   * The records between `start` and `end`, inclusive.
   *
   * @param start - epoch milliseconds
   * @param end - epoch milliseconds
   */
  between(start: number, end: number): LogRecord[] {
    return this.#records
      .filter((record) => {
        const at = Date.parse(record.at);
        return at >= start && at <= end;
      })
      .map((record) => structuredClone(record));
  }
}
