// Loopback servers for the failure paths a real PostgreSQL cannot be made to show on demand: one that accepts
// connections and never answers, and one that speaks enough of the wire protocol (startup, AuthenticationOk,
// ReadyForQuery, simple queries) to hand back answers no PostgreSQL would give.
import { createServer, type Server, type Socket } from 'node:net';

/** A running loopback server. */
export interface LoopbackServer {
  /** Its port on 127.0.0.1. */
  port: number;
  /** How many connections it accepted. */
  readonly accepted: number;
  /** Closes it and every connection. */
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<LoopbackServer> {
  let accepted = 0;
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts every connection and never sends a byte. */
export function startSilentServer(): Promise<LoopbackServer> {
  return listen(createServer(), new Set());
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await startSilentServer();
  const { port } = server;
  await server.close();
  return port;
}

/** What the fake PostgreSQL answers to a simple query. */
export type FakeAnswer =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][] }
  | { kind: 'garbage' }
  | { kind: 'error'; code: string; message: string };

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'ascii');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const cString = (text: string) => Buffer.from(`${text}\0`, 'utf8');
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const int16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
};

const readyForQuery = () => message('Z', Buffer.from('I'));

function rowsAnswer(columns: string[], rows: (string | null)[][]): Buffer {
  const description = Buffer.concat([
    int16(columns.length),
    ...columns.map((name) =>
      Buffer.concat([cString(name), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]),
    ),
  ]);
  const dataRows = rows.map((row) =>
    message(
      'D',
      Buffer.concat([
        int16(row.length),
        ...row.map((value) =>
          value === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(value)), Buffer.from(value)]),
        ),
      ]),
    ),
  );
  return Buffer.concat([
    message('T', description),
    ...dataRows,
    message('C', cString(`SELECT ${rows.length}`)),
    readyForQuery(),
  ]);
}

function errorAnswer(code: string, text: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('S'),
    cString('ERROR'),
    Buffer.from('C'),
    cString(code),
    Buffer.from('M'),
    cString(text),
    Buffer.from([0]),
  ]);
  return Buffer.concat([message('E', fields), readyForQuery()]);
}

/**
 * A fake PostgreSQL: completes the startup without a password, then answers every simple query with `answer`.
 *
 * @param answer - what to send back for each query
 */
export function startFakePostgres(answer: (sql: string) => FakeAnswer): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80_877_103) {
            socket.write('N');
            continue;
          }
          started = true;
          socket.write(
            Buffer.concat([
              message('R', int32(0)),
              message('K', Buffer.concat([int32(4242), int32(7)])),
              readyForQuery(),
            ]),
          );
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0] as number);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        const body = buffer.subarray(5, length + 1);
        buffer = buffer.subarray(length + 1);
        if (type === 'X') {
          socket.end();
          return;
        }
        if (type !== 'Q') continue;
        const sql = body.subarray(0, body.length - 1).toString('utf8');
        const reply = answer(sql);
        if (reply.kind === 'garbage')
          socket.write(Buffer.from('\x7fnot the postgres protocol\x00\x00\x00\x01', 'latin1'));
        else if (reply.kind === 'error') socket.write(errorAnswer(reply.code, reply.message));
        else socket.write(rowsAnswer(reply.columns, reply.rows));
      }
    });
  });
  return listen(server, sockets);
}
