/**
 * A local HTTP server for wire-protocol tests of model adapters and connectors: it answers each request with
 * the next scripted response and records every request, so a test can assert on exactly what was sent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the server received. */
export interface ReceivedRequest {
  /** The HTTP method. */
  method: string;
  /** Path and query. */
  path: string;
  /** The headers, names in lower case. */
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
}

/** How the server answers one request. */
export interface ScriptedResponse {
  /** The status. Default 200. */
  status?: number;
  /** Response headers. */
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body, sent as is. */
  raw?: string;
  /** Never answer (for timeouts and aborts). */
  hang?: boolean;
  /** Announce the whole body, send half of it and cut the connection. */
  truncate?: boolean;
}

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Stops the server, cutting open connections. */
  close(): Promise<void>;
}

/** Answers a request from what it asks (for clients that send requests in parallel). */
export type ScriptedResponder = (request: ReceivedRequest, index: number) => ScriptedResponse;

/**
 * Starts a server on 127.0.0.1 (port 0) answering the n-th request with `responses[n]`, or with what
 * `responses(request, n)` returns.
 */
export async function startScriptedServer(
  responses: ScriptedResponse[] | ScriptedResponder,
): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const received: ReceivedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
      };
      requests.push(received);
      const index = requests.length - 1;
      const scripted = (typeof responses === 'function' ? responses(received, index) : responses[index]) ?? {
        status: 599,
        json: { error: { message: 'no scripted response left' } },
      };
      if (scripted.hang) return;
      const payload = scripted.raw ?? (scripted.json === undefined ? '' : JSON.stringify(scripted.json));
      const bytes = Buffer.from(payload, 'utf8');
      response.writeHead(scripted.status ?? 200, {
        'content-type': 'application/json',
        'content-length': String(bytes.length),
        ...scripted.headers,
      });
      if (scripted.truncate) {
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => response.destroy());
        return;
      }
      response.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
