import {
  type RespServer,
  type RespServerOptions,
  recordedReply,
  startRespServer,
} from './resp-replay-server';
import { bulkString, decodeCommand, encodeCommand, errorReply, simpleString } from './resp-wire';

/** The password of the recording (the lab's). */
export const recordedPassword = 'aisre-lab';

/** INFO text of one section, cut from a recorded `INFO all`. */
function recordedInfoSection(recording: string, section: string): string {
  const text = recordedReply(recording).toString('utf8');
  const body = text.slice(text.indexOf('\r\n') + 2, text.lastIndexOf('\r\n'));
  const blocks = body.split(/\r\n(?=# )/);
  const block = blocks.find((one) => one.toLowerCase().startsWith(`# ${section.toLowerCase()}`));
  return block ? `${block.trimEnd()}\r\n` : '';
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * A loopback RESP server answering as the recorded Redis 7.0.15 did: INFO (all or one section), SLOWLOG,
 * LATENCY, CLIENT LIST and MEMORY STATS replay the recordings; CONFIG GET filters the recorded `CONFIG GET *`
 * and CONFIG SET changes that table, so an actuator's read-back sees its change.
 *
 * @param options - `info`: which INFO recording answers (`info-all` or `info-all-after-fill`); other server options
 */
export async function startRecordedRedis(
  options: RespServerOptions & { info?: string } = {},
): Promise<RespServer & { config: Map<string, string> }> {
  const info = options.info ?? 'info-all';
  const config = new Map<string, string>();
  const recordedConfig = decodeCommand(recordedReply('config-get-all'));
  for (let index = 0; index + 1 < recordedConfig.length; index += 2) {
    config.set(recordedConfig[index] as string, recordedConfig[index + 1] as string);
  }
  const server = await startRespServer({
    password: recordedPassword,
    ...options,
    replies: {
      'INFO ALL': recordedReply(info),
      INFO: (parts) => bulkString(recordedInfoSection(info, parts[1] ?? 'memory')),
      'SLOWLOG GET 1': recordedReply('slowlog-get-1'),
      'SLOWLOG GET': recordedReply('slowlog-get-128'),
      'SLOWLOG LEN': recordedReply('slowlog-len'),
      'LATENCY LATEST': recordedReply('latency-latest'),
      'LATENCY HISTORY command': recordedReply('latency-history-command'),
      'LATENCY HISTORY': encodeCommand([]),
      'LATENCY DOCTOR': recordedReply('latency-doctor'),
      'CLIENT LIST': recordedReply('client-list'),
      'MEMORY STATS': recordedReply('memory-stats'),
      'CONFIG GET': (parts) => {
        const pattern = globToRegExp(parts[2] ?? '*');
        return encodeCommand([...config].filter(([name]) => pattern.test(name)).flat());
      },
      'CONFIG SET': (parts) => {
        const [, , name = '', value = ''] = parts;
        if (!config.has(name))
          return errorReply(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
        config.set(name, value);
        return simpleString('OK');
      },
      ...options.replies,
    },
  });
  return Object.assign(server, { config });
}
