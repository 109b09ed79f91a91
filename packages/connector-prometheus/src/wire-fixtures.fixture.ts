// Test helpers: the captured answers of the lab's servers (../fixtures/README.md) and a router that serves
// them by path, for the scripted server of @aisre/core/testing.
import { readFileSync } from 'node:fs';
import {
  type ReceivedRequest,
  type ScriptedResponder,
  type ScriptedResponse,
  type ScriptedServer,
  startScriptedServer,
} from '@aisre/core/testing';
import { afterEach } from 'vitest';
import { createPrometheusConnector } from './prometheus-connector';
import type { PrometheusConnectorOptions } from './types';

const fixturesDir = new URL('../fixtures/', import.meta.url);

/** A fixture file, parsed. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDir), 'utf8'));
}

/** `fixture(name)` as a scripted 200 answer. */
export function answer(name: string): ScriptedResponse {
  return { json: fixture(name) };
}

/** The path of a received request without its query string, and its query parameters. */
export function parseRequest(request: ReceivedRequest): { path: string; query: URLSearchParams } {
  const url = new URL(request.path, 'http://fixture.invalid');
  return { path: url.pathname, query: url.searchParams };
}

/** A responder answering each API path with a scripted response (404 for any other path). */
export function routes(
  table: Record<string, ScriptedResponse | ((query: URLSearchParams) => ScriptedResponse)>,
) {
  const responder: ScriptedResponder = (request) => {
    const { path, query } = parseRequest(request);
    const route = table[path];
    if (!route) return { status: 404, raw: '404 page not found', headers: { 'content-type': 'text/plain' } };
    return typeof route === 'function' ? route(query) : route;
  };
  return responder;
}

/** The lab's fixture time: just after the faults were healed (Unix ms). */
export const labFixtureEnd = 1_796_655_099_000;
/** When the lab's fixture recording started (Unix ms). */
export const labFixtureStart = 1_796_655_035_000;

/**
 * Registers the closing of a scripted server after each test and returns `setup(responses, options)`: a
 * connector on a fresh server, with retries that record their waits instead of sleeping.
 */
export function useFixtureServer() {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (
    responses: ScriptedResponse[] | ScriptedResponder,
    options: PrometheusConnectorOptions = {},
  ) => {
    server = await startScriptedServer(responses);
    const waits: number[] = [];
    const connector = createPrometheusConnector({
      baseURL: server.origin,
      env: {},
      sleep: async (milliseconds) => void waits.push(milliseconds),
      random: () => 0.5,
      scrapeIntervalMs: 1000,
      ...options,
    });
    return { connector, waits, requests: server.requests, origin: server.origin };
  };
}

/** A request that was not received, so assertions on a missing one read as such. */
export const noRequest: ReceivedRequest = { method: '', path: '', headers: {}, body: undefined };
