// Real sessions on a real PostgreSQL, for the integration tests and for recording the catalog rows the unit
// tests replay: held idle connections, a session idle in a transaction, a lock wait with a blocking chain.
import pg from 'pg';
import { createPgClient } from '../pg-client';
import type { PostgresClientFactory } from '../types';

/** The lab server the integration tests use (docs/lab.md). */
export const labPostgresUrl =
  process.env.AISRE_LAB_POSTGRES_URL ?? 'postgresql://postgres:aisre-lab@127.0.0.1:5440/postgres';

/** The table the contention scenario locks rows of. */
export const contentionTable = 'aisre_it_accounts';

/** Sessions a test opened; `closeAll` ends every one of them. */
export class LabSessions {
  readonly #clients: pg.Client[] = [];
  readonly #url: string;

  /** @param url - the server to connect to */
  constructor(url = labPostgresUrl) {
    this.#url = url;
  }

  /** How many sessions are open. */
  get count(): number {
    return this.#clients.length;
  }

  /**
   * Opens a session with this `application_name` and keeps it.
   *
   * @param application - its application_name
   */
  async open(application: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.#url, application_name: application });
    client.on('error', () => undefined);
    await client.connect();
    this.#clients.push(client);
    return client;
  }

  /**
   * Leaves a session idle in a transaction that holds a row lock: `BEGIN; UPDATE … WHERE id = 1`.
   *
   * @param application - its application_name
   */
  async idleInTransaction(application: string): Promise<{ client: pg.Client; pid: number }> {
    const client = await this.open(application);
    const pid = await backendPid(client);
    await client.query('BEGIN');
    await client.query(
      `UPDATE ${contentionTable} SET balance = balance - 1, note = 'card 4111-1111-1111-1111' WHERE id = 1`,
    );
    return { client, pid };
  }

  /**
   * Starts an update of the locked row that waits; resolves once the server shows it waiting.
   *
   * @param application - its application_name
   * @param observer - a session to watch pg_stat_activity from
   */
  async waitingUpdate(
    application: string,
    observer: pg.Client,
  ): Promise<{ client: pg.Client; pid: number; done: Promise<unknown> }> {
    const client = await this.open(application);
    const pid = await backendPid(client);
    const done = client
      .query(`UPDATE ${contentionTable} SET balance = balance + 1 WHERE id = 1`)
      .catch((error: unknown) => error);
    await waitFor(async () => {
      const { rows } = await observer.query<{ waiting: boolean }>(
        `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
        [pid],
      );
      return rows[0]?.waiting === true;
    }, `pid ${pid} to wait on a lock`);
    return { client, pid, done };
  }

  /** Ends every session (rolling back what they hold). */
  async closeAll(): Promise<void> {
    const clients = this.#clients.splice(0);
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

/** The backend pid of a session. */
export async function backendPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]?.pid ?? -1;
}

/** Creates the contention table with one row (idempotent). */
export async function prepareContentionTable(client: pg.Client): Promise<void> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${contentionTable} (id int PRIMARY KEY, balance int NOT NULL, note text)`,
  );
  await client.query(`INSERT INTO ${contentionTable} VALUES (1, 100, NULL) ON CONFLICT (id) DO NOTHING`);
}

/**
 * Polls `condition` every 50 ms until it holds (real servers change state in real time).
 *
 * @param condition - what to wait for
 * @param what - for the error when it never holds
 * @param timeoutMs - how long to poll
 */
export async function waitFor(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A client factory of real `pg` clients that reports every statement's text and rows (to record or count them).
 *
 * @param observe - called with each statement and its rows
 */
export function observedPgClients(observe: (text: string, rows: unknown[]) => void): PostgresClientFactory {
  return (config) => {
    const client = createPgClient(config);
    return {
      ...client,
      async query(text, values) {
        const result = await client.query(text, values);
        observe(text, result.rows);
        return result;
      },
    };
  };
}
