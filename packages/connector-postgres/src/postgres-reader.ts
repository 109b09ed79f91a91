import type { EntityRef } from '@aisre/core';
import type { ResolvedThresholds } from './activity-logs';
import { type CatalogQuery, clientSessions, readCatalog, waitingLocks } from './catalog-queries';
import type { PostgresSession } from './postgres-session';
import {
  type BlockingChain,
  blockingChains,
  type SessionSummary,
  summarizeSessions,
} from './session-analysis';

/** The client sessions of the server and their blocking chains, as of one reading. */
export interface SessionsSnapshot {
  /** Client sessions, without the connector's own. */
  sessions: SessionSummary[];
  /** Blocking chains among them. */
  chains: BlockingChain[];
}

/** What the tools, the logs and the actuator share: the session, the server's identity and the limits. */
export class PostgresReader {
  /** The connector's name. */
  readonly connector: string;
  /** The server. */
  readonly entity: EntityRef;
  /** The persistent session. */
  readonly session: PostgresSession;
  /** How long a statement text may be. */
  readonly queryTextLength: number;
  /** Where log records are cut. */
  readonly thresholds: ResolvedThresholds;

  /** @param fields - the connector's name, entity, session and limits */
  constructor(fields: {
    connector: string;
    entity: EntityRef;
    session: PostgresSession;
    queryTextLength: number;
    thresholds: ResolvedThresholds;
  }) {
    this.connector = fields.connector;
    this.entity = fields.entity;
    this.session = fields.session;
    this.queryTextLength = fields.queryTextLength;
    this.thresholds = fields.thresholds;
  }

  /**
   * Runs a catalog query and validates its rows.
   *
   * @param query - the query
   * @param signal - aborts it
   * @param values - its parameters
   */
  read<Row>(query: CatalogQuery<Row>, signal: AbortSignal, values?: readonly unknown[]): Promise<Row[]> {
    return readCatalog(this.session, query, signal, this.connector, values);
  }

  /**
   * Reads the client sessions and, when some wait on locks, what they wait for.
   *
   * @param signal - aborts it
   */
  async sessions(signal: AbortSignal): Promise<SessionsSnapshot> {
    const sessions = summarizeSessions(await this.read(clientSessions, signal), this.queryTextLength);
    const anyWaiting = sessions.some((session) => session.blockedBy.length > 0);
    const locks = anyWaiting ? await this.read(waitingLocks, signal) : [];
    return { sessions, chains: blockingChains(sessions, locks) };
  }
}
