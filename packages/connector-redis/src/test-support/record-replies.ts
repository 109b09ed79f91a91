/**
 * Records real Redis replies for the unit tests: `tsx packages/connector-redis/src/test-support/record-replies.ts
 * redis://:PASSWORD@127.0.0.1:6391` against a scratch Redis 7 started with `--maxmemory 64mb --maxmemory-policy
 * allkeys-lru`. It changes that server (flushes it, writes keys, fills it past maxmemory, runs a slow script),
 * so it refuses a server that already holds keys. The replies are written byte for byte to `src/fixtures/`.
 */
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { encodeCommand, frameEnd } from './resp-wire';

const url = new URL(process.argv[2] ?? 'redis://127.0.0.1:6379');
const fixtures = new URL('../fixtures/', import.meta.url);

/** A raw RESP connection that sends one command at a time and returns its reply's exact bytes. */
async function openConnection(): Promise<{ send(parts: string[]): Promise<Buffer>; socket: Socket }> {
  const socket = connect(Number(url.port || 6379), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffered = Buffer.alloc(0);
  let waiting: ((frame: Buffer) => void) | undefined;
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = frameEnd(buffered, 0);
    if (end < 0 || !waiting) return;
    const frame = buffered.subarray(0, end);
    buffered = buffered.subarray(end);
    const deliver = waiting;
    waiting = undefined;
    deliver(Buffer.from(frame));
  });
  const send = (parts: string[]) =>
    new Promise<Buffer>((resolve) => {
      waiting = resolve;
      socket.write(encodeCommand(parts));
    });
  if (url.password) {
    const reply = await send(['AUTH', decodeURIComponent(url.password)]);
    if (reply[0] !== 0x2b) throw new Error(`AUTH failed: ${reply.toString()}`);
  }
  return { send, socket };
}

const text = (reply: Buffer) => reply.toString('utf8');

const main = await openConnection();
const { send } = main;
const keys = text(await send(['DBSIZE']));
if (keys !== ':0\r\n') throw new Error(`refusing a server that holds keys (DBSIZE ${keys.trim()})`);

await send(['CONFIG', 'RESETSTAT']);
await send(['SLOWLOG', 'RESET']);
await send(['LATENCY', 'RESET']);
await send(['CONFIG', 'SET', 'latency-monitor-threshold', '50']);

// A slowlog with what production slowlogs hold: user data in keys and values, a password change, a slow script.
await send(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
await send(['SET', 'session:alice@example.com', 'token-7f3a9c2e41d8']);
await send(['CONFIG', 'SET', 'requirepass', decodeURIComponent(url.password)]);
await send(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
await send(['EVAL', 'local i = 0 while i < 6000000 do i = i + 1 end return i', '0']);

// A working set: 2 000 keys of 1 KiB, read with hits and misses; some keys expire.
const value = 'v'.repeat(1024);
for (let index = 0; index < 2000; index += 1) await send(['SET', `item:${index}`, value]);
for (let index = 0; index < 200; index += 1) await send(['EXPIRE', `item:${index}`, '3600']);
for (let index = 0; index < 3000; index += 1) await send(['GET', `item:${index}`]);
// Error replies, for INFO errorstats: a type error and an unknown command.
await send(['LPUSH', 'item:0', 'x']);
await send(['NO-SUCH-COMMAND']);
await send(['SELECT', '1']);
await send(['SET', 'other-db', '1']);
await send(['SELECT', '0']);

// A few named clients, one of them blocked, for CLIENT LIST.
const worker = await openConnection();
await worker.send(['CLIENT', 'SETNAME', 'checkout-worker']);
const listener = await openConnection();
await listener.send(['CLIENT', 'SETNAME', 'events-listener']);
listener.socket.write(encodeCommand(['SUBSCRIBE', 'events']));
const blocked = await openConnection();
await blocked.send(['CLIENT', 'SETNAME', 'queue-consumer']);
blocked.socket.write(encodeCommand(['BLPOP', 'queue:empty', '0']));
await new Promise((resolve) => setTimeout(resolve, 200));

const record = async (name: string, parts: string[]) => {
  const reply = await send(parts);
  writeFileSync(new URL(`${name}.resp`, fixtures), reply);
  console.log(`${name}.resp: ${reply.length} bytes (${parts.join(' ')})`);
};

await record('info-all', ['INFO', 'all']);
await record('slowlog-get-128', ['SLOWLOG', 'GET', '128']);
await record('slowlog-get-1', ['SLOWLOG', 'GET', '1']);
await record('slowlog-len', ['SLOWLOG', 'LEN']);
await record('latency-latest', ['LATENCY', 'LATEST']);
await record('latency-history-command', ['LATENCY', 'HISTORY', 'command']);
await record('latency-doctor', ['LATENCY', 'DOCTOR']);
await record('config-get-all', ['CONFIG', 'GET', '*']);
await record('config-get-maxmemory', ['CONFIG', 'GET', 'maxmemory']);
await record('config-get-activedefrag', ['CONFIG', 'GET', 'activedefrag']);
await record('client-list', ['CLIENT', 'LIST']);
await record('memory-stats', ['MEMORY', 'STATS']);

// Memory pressure: 100 000 values of 1 KiB into 64 MB (one command in flight at a time), then INFO again.
const fill = await openConnection();
const big = 'x'.repeat(1024);
for (let index = 0; index < 100_000; index += 1) await fill.send(['SET', `fill:${index}`, big]);
await record('info-all-after-fill', ['INFO', 'all']);

for (const connection of [main, worker, listener, blocked, fill]) connection.socket.destroy();
