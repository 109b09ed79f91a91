// Client sessions as the tools, the logs and the actuator show them: statement texts redacted, durations
// rounded, and the blocking chains pg_blocking_pids reveals (who waits for whom, down to the sessions that
// block without waiting themselves).
import type { JsonValue } from '@aisre/core';
import type { SessionRow, WaitingLockRow } from './catalog-queries';
import { safeQueryText, truncateText } from './query-text-redaction';

/** A client session, safe to show to a model or a human (statement redacted and cut). */
export interface SessionSummary {
  [key: string]: JsonValue;
  /** Backend process id. */
  pid: number;
  /** Database, when connected to one. */
  database: string | null;
  /** Role. */
  user: string | null;
  /** `application_name`. */
  application: string | null;
  /** Client address (`null` for a Unix socket). */
  client: string | null;
  /** State (`active`, `idle in transaction`, …); `null` when the connector's role may not see it. */
  state: string | null;
  /** What it waits for (`Lock: transactionid`), when it waits. */
  waiting: string | null;
  /** Age of its open transaction, seconds. */
  transactionSeconds: number | null;
  /** Time in its current state, seconds. */
  stateSeconds: number | null;
  /** The sessions that block it (pg_blocking_pids). */
  blockedBy: number[];
  /** Its current or last statement, literals redacted. */
  query: string | null;
}

/** A session that blocks others without waiting itself, and every session that waits behind it. */
export interface BlockingChain {
  [key: string]: JsonValue;
  /** The session at the head of the chain. */
  blocker: SessionSummary;
  /** The sessions waiting behind it, nearest first; `depth` 1 waits for the blocker directly. */
  waiters: { session: SessionSummary; depth: number; lock: string | null }[];
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/**
 * Summarizes client sessions, without the connector's own.
 *
 * @param rows - rows of the client-sessions query
 * @param queryTextLength - how long a statement text may be
 */
export function summarizeSessions(rows: readonly SessionRow[], queryTextLength: number): SessionSummary[] {
  return rows
    .filter((row) => !row.own)
    .map((row) => ({
      pid: row.pid,
      database: row.datname,
      user: row.usename,
      application: row.application_name ? truncateText(row.application_name, 64) : null,
      client: row.client_addr,
      state: row.state,
      waiting: row.wait_event_type === 'Lock' ? `Lock: ${row.wait_event ?? 'unknown'}` : null,
      transactionSeconds: round(row.transaction_seconds),
      stateSeconds: round(row.state_seconds),
      blockedBy: [...row.blocked_by],
      query: safeQueryText(row.query, queryTextLength),
    }));
}

/** A blocker that is not a client backend: an autovacuum worker, or pid 0, a prepared transaction. */
function unlistedSession(pid: number): SessionSummary {
  return {
    pid,
    database: null,
    user: null,
    application:
      pid === 0 ? 'a prepared transaction' : 'not a client backend (autovacuum or a background worker)',
    client: null,
    state: null,
    waiting: null,
    transactionSeconds: null,
    stateSeconds: null,
    blockedBy: [],
    query: null,
  };
}

function describeLock(lock: WaitingLockRow): string {
  return `${lock.mode} on ${lock.locktype}${lock.relation ? ` ${lock.relation}` : ''}`;
}

/**
 * The blocking chains among the sessions: for each session that blocks others and waits for nobody (or sits in
 * a wait cycle, which the deadlock detector is about to break), every session waiting behind it.
 *
 * @param sessions - the summarized sessions
 * @param waitingLocks - the lock requests not granted, to say what each waiter waits for
 */
export function blockingChains(
  sessions: readonly SessionSummary[],
  waitingLocks: readonly WaitingLockRow[],
): BlockingChain[] {
  const byPid = new Map(sessions.map((session) => [session.pid, session]));
  const waitersOf = new Map<number, number[]>();
  for (const session of sessions) {
    for (const blocker of session.blockedBy) {
      const list = waitersOf.get(blocker) ?? [];
      list.push(session.pid);
      waitersOf.set(blocker, list);
    }
  }
  const lockOf = new Map<number, string>();
  for (const lock of waitingLocks) if (!lockOf.has(lock.pid)) lockOf.set(lock.pid, describeLock(lock));
  const heads = [...waitersOf.keys()].filter((pid) => (byPid.get(pid)?.blockedBy.length ?? 0) === 0);
  const covered = new Set<number>();
  const chains: BlockingChain[] = [];
  const walk = (head: number): BlockingChain | undefined => {
    const blocker = byPid.get(head) ?? unlistedSession(head);
    const waiters: BlockingChain['waiters'] = [];
    const seen = new Set([head]);
    let frontier = [head];
    for (let depth = 1; frontier.length > 0; depth += 1) {
      const next: number[] = [];
      for (const pid of frontier) {
        for (const waiter of waitersOf.get(pid) ?? []) {
          const session = byPid.get(waiter);
          if (seen.has(waiter) || !session) continue;
          seen.add(waiter);
          covered.add(waiter);
          waiters.push({ session, depth, lock: lockOf.get(waiter) ?? null });
          next.push(waiter);
        }
      }
      frontier = next;
    }
    covered.add(head);
    return waiters.length > 0 ? { blocker, waiters } : undefined;
  };
  for (const head of heads.sort((left, right) => left - right)) {
    const chain = walk(head);
    if (chain) chains.push(chain);
  }
  // Sessions that only wait for each other (a cycle): start from the lowest pid not yet covered.
  for (const pid of [...waitersOf.keys()].sort((left, right) => left - right)) {
    if (covered.has(pid)) continue;
    const chain = walk(pid);
    if (chain) chains.push(chain);
  }
  return chains;
}

const seconds = (value: number | null) => (value === null ? '?' : `${value} s`);

/**
 * One line about a session: `pid 4242 (app billing, user shop, db orders): idle in transaction 95 s, transaction 100 s: UPDATE …`.
 *
 * @param session - the session
 */
export function describeSession(session: SessionSummary): string {
  const who = [
    session.application ? `app ${session.application}` : undefined,
    session.user ? `user ${session.user}` : undefined,
    session.database ? `db ${session.database}` : undefined,
  ].filter(Boolean);
  const state = session.state ?? 'state hidden';
  const parts = [`${state} ${seconds(session.stateSeconds)}`];
  if (session.transactionSeconds !== null) parts.push(`transaction ${seconds(session.transactionSeconds)}`);
  if (session.waiting) parts.push(`waiting (${session.waiting})`);
  return `pid ${session.pid}${who.length > 0 ? ` (${who.join(', ')})` : ''}: ${parts.join(', ')}${session.query ? `: ${session.query}` : ''}`;
}

/**
 * Lines about a blocking chain: the blocker, then each waiter indented by its depth.
 *
 * @param chain - the chain
 */
export function describeChain(chain: BlockingChain): string[] {
  return [
    `${describeSession(chain.blocker)} blocks ${chain.waiters.length} session(s):`,
    ...chain.waiters.map(
      (waiter) =>
        `${'  '.repeat(waiter.depth)}← ${describeSession(waiter.session)}${waiter.lock ? ` [wants ${waiter.lock}]` : ''}`,
    ),
  ];
}
