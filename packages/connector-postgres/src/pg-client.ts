import { connect as connectSocket } from 'node:net';
import pg from 'pg';
import type { PostgresClient, PostgresClientConfig } from './types';

/** The protocol's CancelRequest code (1234 << 16 | 5678). */
const cancelRequestCode = 80_877_102;

/** Where a cancel request goes: a TCP host and port, or a Unix socket. */
export type CancelDestination = { host: string; port: number } | { path: string };

/**
 * Sends a protocol CancelRequest for the backend `processId` on a fresh socket. The server handles it before
 * any backend slot is taken, so it works even when `max_connections` is exhausted. Resolves when the server
 * closes the socket (or after `timeoutMs`); a cancel is best effort and never throws.
 *
 * @param destination - where the server listens
 * @param processId - the backend's process id (BackendKeyData)
 * @param secretKey - the backend's secret key (BackendKeyData)
 * @param timeoutMs - how long to wait for the server to close the socket
 */
export function sendCancelRequest(
  destination: CancelDestination,
  processId: number,
  secretKey: number,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(cancelRequestCode, 4);
    packet.writeInt32BE(processId, 8);
    packet.writeInt32BE(secretKey, 12);
    const socket =
      'path' in destination
        ? connectSocket(destination.path)
        : connectSocket(destination.port, destination.host);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref?.();
    socket.on('connect', () => socket.end(packet));
    socket.on('error', done);
    socket.on('close', done);
  });
}

interface PgInternals {
  processID?: unknown;
  secretKey?: unknown;
  host?: unknown;
  port?: unknown;
  connection?: { stream?: { destroy?: () => void } };
}

/**
 * The default {@link PostgresClientFactory}: a `pg.Client` behind the {@link PostgresClient} interface, with
 * a protocol cancel (`cancel`) and an immediate drop (`destroy`).
 *
 * @param config - the resolved connection settings
 */
export function createPgClient(config: PostgresClientConfig): PostgresClient {
  const client = new pg.Client(config);
  const internals = client as unknown as PgInternals;
  return {
    connect: () => client.connect(),
    query: (text, values) => client.query(text, values ? [...values] : undefined),
    end: () => client.end(),
    on(event, listener) {
      client.on(event, listener);
      return this;
    },
    async cancel() {
      const { processID, secretKey, host, port } = internals;
      if (typeof processID !== 'number' || typeof secretKey !== 'number') return;
      if (typeof host !== 'string' || typeof port !== 'number') return;
      const destination = host.startsWith('/') ? { path: `${host}/.s.PGSQL.${port}` } : { host, port };
      await sendCancelRequest(destination, processID, secretKey, config.connectionTimeoutMillis);
    },
    destroy() {
      internals.connection?.stream?.destroy?.();
    },
  };
}
