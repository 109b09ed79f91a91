import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeCommand, errorReply, frameEnd, simpleString } from './resp-wire';

/**
 * A reply: the bytes to send, or a function of the command's arguments that returns them. A function returning
 * `undefined` stalls the connection, as a blocked Redis does: neither that command nor any after it is answered.
 */
export type ScriptedReply = Buffer | ((parts: string[]) => Buffer | undefined);

/** Options of {@link startRespServer}. */
export interface RespServerOptions {
  /** The password AUTH must carry (absent: AUTH is refused as Redis does without requirepass). */
  password?: string;
  /**
   * Replies by command line, matched on the longest prefix of the command and subcommand (upper-cased) and
   * the arguments (as sent): `INFO ALL`, `CONFIG GET maxmemory`, `SLOWLOG GET`, `CLIENT LIST`.
   */
  replies?: Record<string, ScriptedReply>;
  /** `silent`: accept connections and never answer; `garbage`: answer every command with bytes that are not RESP. */
  behaviour?: 'replay' | 'silent' | 'garbage';
  /** The port to listen on (default: any free one). */
  port?: number;
}

/** A RESP server on loopback that replays recorded replies, for tests. */
export interface RespServer {
  /** `redis://…` for the connector (with the password when there is one). */
  url: string;
  /** The port. */
  port: number;
  /** Every command received, in order, as its parts. */
  received: string[][];
  /** Replaces or adds a reply. */
  reply(line: string, reply: ScriptedReply): void;
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

/** The recorded reply of a fixture file (`src/fixtures/<name>.resp`), captured from Redis 7.0.15. */
export function recordedReply(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${name}.resp`, import.meta.url));
}

function lookup(replies: Map<string, ScriptedReply>, parts: string[]): ScriptedReply | undefined {
  const [command = '', subcommand, ...rest] = parts;
  const words = [
    command.toUpperCase(),
    ...(subcommand === undefined ? [] : [subcommand.toUpperCase()]),
    ...rest,
  ];
  for (let length = words.length; length > 0; length -= 1) {
    const reply = replies.get(words.slice(0, length).join(' '));
    if (reply) return reply;
  }
  return undefined;
}

/**
 * Starts a RESP2 server on 127.0.0.1 that answers AUTH (against `password`), CLIENT SETNAME, SELECT and QUIT
 * itself and replays `replies` for everything else (`-ERR unknown command` when none matches).
 *
 * @param options - password, replies, behaviour
 */
export async function startRespServer(options: RespServerOptions = {}): Promise<RespServer> {
  const replies = new Map(Object.entries(options.replies ?? {}));
  const received: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let authenticated = options.password === undefined;
    let stalled = false;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        let end: number;
        try {
          end = frameEnd(buffered, 0);
        } catch {
          socket.destroy();
          return;
        }
        if (end < 0) return;
        const parts = decodeCommand(buffered.subarray(0, end));
        buffered = buffered.subarray(end);
        received.push(parts);
        if (options.behaviour === 'silent' || stalled) continue;
        if (options.behaviour === 'garbage') {
          socket.write('this is not redis\r\n');
          continue;
        }
        const reply = answer(parts);
        if (reply) socket.write(reply);
        else stalled = true;
      }
    });
    const answer = (parts: string[]): Buffer | undefined => {
      const command = (parts[0] ?? '').toUpperCase();
      if (command === 'AUTH') {
        if (options.password === undefined) {
          return errorReply(
            'ERR AUTH <password> called without any password configured for the default user.',
          );
        }
        authenticated = parts[parts.length - 1] === options.password;
        return authenticated
          ? simpleString('OK')
          : errorReply('WRONGPASS invalid username-password pair or user is disabled.');
      }
      if (!authenticated) return errorReply('NOAUTH Authentication required.');
      if (command === 'CLIENT' && (parts[1] ?? '').toUpperCase() === 'SETNAME') return simpleString('OK');
      if (command === 'SELECT' || command === 'QUIT') return simpleString('OK');
      const reply = lookup(replies, parts);
      if (!reply) return errorReply(`ERR unknown command '${parts[0]}', with args beginning with: `);
      return typeof reply === 'function' ? reply(parts) : reply;
    };
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const credentials = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    url: `redis://${credentials}127.0.0.1:${port}`,
    port,
    received,
    reply(line, reply) {
      replies.set(line, reply);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
