import { createServer } from 'node:net';
import {
  CancelledError,
  ConnectorError,
  createCallContext,
  createManualClock,
  InvalidInputError,
} from '@aisre/core';
import type { ScriptedResponse } from '@aisre/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { createPrometheusConnector } from './prometheus-connector';
import type { PrometheusConnectorOptions } from './types';
import { answer, useFixtureServer } from './wire-fixtures.fixture';

const fixtureServer = useFixtureServer();
const now = 1_796_655_081_000;
const context = createCallContext({ clock: createManualClock(now) });

async function setup(responses: ScriptedResponse[], options: PrometheusConnectorOptions = {}) {
  const started = await fixtureServer(responses, options);
  const query = started.connector.tools.find((tool) => tool.name === 'prometheus_query');
  const run = (expression: string, callContext = context) =>
    query?.run({ query: expression }, { ...callContext, budget: undefined as never });
  return { ...started, run };
}

async function rejection(promise: Promise<unknown> | undefined): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A port that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('Prometheus HTTP calls', () => {
  it('sends basic auth from the URL credentials and keeps them out of the base URL', async () => {
    const { origin, requests } = await fixtureServer([answer('query_scalar')]);
    const connector = createPrometheusConnector({
      baseURL: origin.replace('http://', 'http://aisre:aisre-lab@'),
      env: {},
    });
    expect(connector.baseURL).toBe(origin);
    await connector.tools[0]?.run(
      { query: 'scalar(sum(pg_stat_activity_count))' },
      { ...context, budget: undefined as never },
    );
    expect(requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('aisre:aisre-lab').toString('base64')}`,
    );
    expect(requests[0]?.path).toBe(
      '/api/v1/query?query=scalar%28sum%28pg_stat_activity_count%29%29&time=1796655081',
    );
  });

  it('reads the base URL and the credentials from the environment, options first', async () => {
    const { origin, requests } = await fixtureServer([answer('query_scalar'), answer('query_scalar')]);
    const env = {
      PROMETHEUS_URL: `${origin}/`,
      PROMETHEUS_USERNAME: 'aisre',
      PROMETHEUS_PASSWORD: 'pw',
    };
    const fromEnvironment = createPrometheusConnector({ env });
    expect(fromEnvironment.baseURL).toBe(origin);
    await fromEnvironment.tools[0]?.run({ query: '1' }, { ...context, budget: undefined as never });
    const fromOptions = createPrometheusConnector({
      env: { ...env, PROMETHEUS_USERNAME: '', PROMETHEUS_PASSWORD: '' },
      bearerToken: 'abc',
    });
    await fromOptions.tools[0]?.run({ query: '1' }, { ...context, budget: undefined as never });
    expect(requests.map((request) => request.headers.authorization)).toEqual([
      `Basic ${Buffer.from('aisre:pw').toString('base64')}`,
      'Bearer abc',
    ]);
  });

  it('names the credentials to check on 401, without the secret', async () => {
    const { run } = await setup(
      [{ status: 401, raw: 'Unauthorized', headers: { 'content-type': 'text/plain' } }],
      {
        username: 'aisre',
        password: 'wrong-password',
      },
    );
    const error = await rejection(run('up'));
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as ConnectorError).isRetryable).toBe(false);
    expect((error as Error).message).toMatch(
      /^connector-prometheus: tool prometheus_query: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query answered 401 Unauthorized: the server refused the credentials: check PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD/,
    );
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it('retries 503 with backoff and returns the answer', async () => {
    const { run, waits, requests } = await setup([
      { status: 503, json: { status: 'error', errorType: 'unavailable', error: 'query queue full' } },
      answer('query_scalar'),
    ]);
    const result = await run('scalar(sum(pg_stat_activity_count))');
    expect(result?.text).toBe('scalar: 18');
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it("honours 429's Retry-After", async () => {
    const { run, waits } = await setup([
      { status: 429, headers: { 'retry-after': '2' }, json: {} },
      answer('query_scalar'),
    ]);
    await run('1');
    expect(waits).toEqual([2000]);
  });

  it('gives up after the retries with a retryable ConnectorError saying what the server said', async () => {
    const failing = { status: 500, json: { status: 'error', errorType: 'internal', error: 'boom' } };
    const { run, waits, requests } = await setup([failing, failing, failing]);
    const error = await rejection(run('1'));
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
    expect((error as ConnectorError).isRetryable).toBe(true);
    expect((error as Error).message).toMatch(
      /answered 500 Internal Server Error: the server failed: try again later \(the server said: boom\)/,
    );
  });

  it('reports a server that is down (nothing listens) after retrying', async () => {
    const port = await closedPort();
    const waits: number[] = [];
    const connector = createPrometheusConnector({
      baseURL: `http://127.0.0.1:${port}`,
      env: {},
      sleep: async (milliseconds) => void waits.push(milliseconds),
      random: () => 0,
    });
    const error = await rejection(connector.capabilities.metrics?.list({}, context));
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v1\/series: fetch failed \(ECONNREFUSED\): check PROMETHEUS_URL/,
    );
    // metrics.list asks the series and the metadata: two calls, each retried twice.
    expect(waits).toEqual([0, 0, 0, 0]);
  });

  it('times out an attempt that gets no answer, without retrying it', async () => {
    const { run, requests } = await setup([{ hang: true }], { timeoutMs: 50 });
    const error = await rejection(run('up'));
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /no answer from .* within 50 ms: check the server, narrow the query or raise timeoutMs/,
    );
    expect(requests).toHaveLength(1);
  });

  it('stops with a CancelledError when the caller aborts mid-request', async () => {
    const { run, requests } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const pending = rejection(
      run('up', createCallContext({ clock: createManualClock(now), signal: controller.signal })),
    );
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    controller.abort();
    expect(CancelledError.isInstance(await pending)).toBe(true);
  });

  it('retries a body cut short, then reads the answer', async () => {
    const { run, requests } = await setup([
      { ...answer('query_scalar'), truncate: true },
      answer('query_scalar'),
    ]);
    expect((await run('1'))?.text).toBe('scalar: 18');
    expect(requests).toHaveLength(2);
  });

  it('rejects malformed answers with a ConnectorError: not JSON, not a success, the wrong shape', async () => {
    const { run } = await setup([
      { raw: '<html>proxy login</html>', headers: { 'content-type': 'text/html' } },
      { json: { status: 'error', error: 'nope' } },
      { json: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: 'x' }] } } },
    ]);
    const messages = [];
    for (let index = 0; index < 3; index += 1) {
      const error = await rejection(run('up'));
      expect(ConnectorError.isInstance(error)).toBe(true);
      messages.push((error as Error).message);
    }
    expect(messages[0]).toMatch(/answered 200 with a body that is not JSON \("<html>proxy login<\/html>"\)/);
    expect(messages[1]).toMatch(/did not answer a Prometheus API success \(the server said: nope\)/);
    expect(messages[2]).toMatch(/answered an unexpected shape \(result\[0\]\.value: /);
  });

  it('turns a query the server rejects (400 bad_data, VictoriaMetrics 422) into an InvalidInputError', async () => {
    const { run, requests } = await setup([
      { status: 400, ...answer('query_bad_data') },
      { status: 422, ...answer('victoriametrics_bad_query') },
    ]);
    const prometheus = await rejection(run('sum(rate(x[1m]'));
    expect(InvalidInputError.isInstance(prometheus)).toBe(true);
    expect((prometheus as Error).message).toBe(
      'connector-prometheus: tool prometheus_query: Prometheus rejected the query (bad_data): invalid parameter "query": 1:15: parse error: unclosed left parenthesis: fix the PromQL',
    );
    const victoria = await rejection(run('sum(rate(x[1m]'));
    expect(InvalidInputError.isInstance(victoria)).toBe(true);
    expect(requests).toHaveLength(2);
  });
});

describe('options', () => {
  it('rejects unknown and conflicting options with an InvalidInputError', () => {
    expect(() => createPrometheusConnector({ env: {}, colour: 'red' } as never)).toThrow(InvalidInputError);
    expect(() => createPrometheusConnector({ env: {}, bearerToken: 't', username: 'u' })).toThrow(/keep one/);
    expect(() => createPrometheusConnector({ env: {}, password: 'p' })).toThrow(/without a username/);
    expect(() => createPrometheusConnector({ env: { PROMETHEUS_URL: 'ftp://host' } })).toThrow(
      /is not http\(s\)/,
    );
    expect(() => createPrometheusConnector({ env: { PROMETHEUS_URL: 'not a url' } })).toThrow(/is not a URL/);
    expect(() => createPrometheusConnector({ env: { PROMETHEUS_TIMEOUT_MS: 'soon' } })).toThrow(
      /PROMETHEUS_TIMEOUT_MS/,
    );
    expect(() =>
      createPrometheusConnector({ env: {}, severity: { values: { bad: 'P9' as never } } }),
    ).toThrow(InvalidInputError);
  });

  it('defaults to http://localhost:9090 and the name prometheus', () => {
    const connector = createPrometheusConnector({ env: {} });
    expect(connector.baseURL).toBe('http://localhost:9090');
    expect(connector.name).toBe('prometheus');
    expect(Object.keys(connector.capabilities).sort()).toEqual(['metrics', 'signals', 'topology']);
  });
});
