/**
 * RESP2 on the wire, for the test servers and the reply recorder: encode commands and replies, and find where
 * one frame ends. Replies recorded from a real Redis are replayed byte for byte; only the handshake replies
 * (`+OK`, errors) are written here.
 */

const crlf = '\r\n';

/** Encodes a command as a RESP array of bulk strings, as clients send it. */
export function encodeCommand(parts: readonly string[]): Buffer {
  const chunks = [`*${parts.length}${crlf}`];
  for (const part of parts) chunks.push(`$${Buffer.byteLength(part)}${crlf}${part}${crlf}`);
  return Buffer.from(chunks.join(''));
}

/** A simple-string reply (`+OK`). */
export function simpleString(text: string): Buffer {
  return Buffer.from(`+${text}${crlf}`);
}

/** An error reply (`-ERR …`). */
export function errorReply(text: string): Buffer {
  return Buffer.from(`-${text}${crlf}`);
}

/** A bulk-string reply. */
export function bulkString(text: string): Buffer {
  return Buffer.from(`$${Buffer.byteLength(text)}${crlf}${text}${crlf}`);
}

/** An integer reply. */
export function integerReply(value: number): Buffer {
  return Buffer.from(`:${value}${crlf}`);
}

function lineEnd(buffer: Buffer, offset: number): number {
  const end = buffer.indexOf(crlf, offset);
  return end;
}

/**
 * The offset just past the RESP2 frame that starts at `offset`, or -1 when the buffer does not hold all of it yet.
 *
 * @throws Error when the bytes are not RESP2.
 */
export function frameEnd(buffer: Buffer, offset: number): number {
  if (offset >= buffer.length) return -1;
  const type = String.fromCharCode(buffer[offset] as number);
  const end = lineEnd(buffer, offset + 1);
  if (end < 0) return -1;
  const header = buffer.toString('utf8', offset + 1, end);
  switch (type) {
    case '+':
    case '-':
    case ':':
      return end + 2;
    case '$': {
      const length = Number(header);
      if (length < 0) return end + 2;
      const stop = end + 2 + length + 2;
      return stop <= buffer.length ? stop : -1;
    }
    case '*': {
      const count = Number(header);
      let cursor = end + 2;
      for (let index = 0; index < count; index += 1) {
        cursor = frameEnd(buffer, cursor);
        if (cursor < 0) return -1;
      }
      return cursor;
    }
    default:
      throw new Error(`not RESP2: unexpected type byte ${JSON.stringify(type)} at ${offset}`);
  }
}

/** Decodes the command frame (an array of bulk strings) at the start of `buffer`. */
export function decodeCommand(frame: Buffer): string[] {
  const parts: string[] = [];
  let cursor = frame.indexOf(crlf) + 2;
  while (cursor < frame.length) {
    const end = frame.indexOf(crlf, cursor);
    const length = Number(frame.toString('utf8', cursor + 1, end));
    parts.push(frame.toString('utf8', end + 2, end + 2 + length));
    cursor = end + 2 + length + 2;
  }
  return parts;
}
