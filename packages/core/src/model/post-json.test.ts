import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { type FetchFunction, isRetryableStatus, postJson } from './post-json';

function request(fetch: FetchFunction, waits: number[] = []) {
  return {
    module: 'llm-test',
    url: 'https://user:hunter2@models.example.com/v1/chat',
    headers: { authorization: 'Bearer sk-test' },
    body: { hello: 'world' },
    fetch,
    retry: { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 },
    sleep: async (milliseconds: number) => void waits.push(milliseconds),
    random: () => 1,
    clock: createManualClock(0),
  };
}

describe('postJson', () => {
  it('posts JSON and parses the answer', async () => {
    const sent: RequestInit[] = [];
    const response = await postJson(
      request(async (_url, init) => {
        if (init) sent.push(init);
        return new Response('{"ok":true}', { status: 200 });
      }),
    );
    expect(response.body).toEqual({ ok: true });
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.body).toBe('{"hello":"world"}');
    expect(sent[0]?.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-test' });
  });

  it('retries network errors and reports them with the URL redacted', async () => {
    const waits: number[] = [];
    let calls = 0;
    const attempt = postJson(
      request(async () => {
        calls += 1;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
        });
      }, waits),
    );
    await expect(attempt).rejects.toBeInstanceOf(ModelError);
    await expect(attempt).rejects.toMatchObject({ isRetryable: true });
    await expect(attempt).rejects.toThrow(
      'llm-test: network error calling https://user:[REDACTED]@models.example.com/v1/chat: fetch failed (ECONNREFUSED): check the base URL and that the server is reachable',
    );
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it('redacts secrets the server echoes in its error', async () => {
    const attempt = postJson(
      request(
        async () =>
          new Response('{"error":{"message":"bad key sk-abcdefghijklmnopqrstuvwx"}}', { status: 401 }),
      ),
    );
    await expect(attempt).rejects.toThrow(
      'llm-test: 401 Unauthorized: check the API key (the server said: bad key [REDACTED])',
    );
  });

  it('reads Ollama-style string errors and says what to do per status', async () => {
    const attempt = postJson({
      ...request(async () => new Response('{"error":"model \\"llama9\\" not found"}', { status: 404 })),
      statusHints: { 404: 'pull the model first' },
    });
    await expect(attempt).rejects.toThrow(
      'llm-test: 404 Not Found: pull the model first (the server said: model "llama9" not found)',
    );
  });

  it('knows which statuses to retry', () => {
    expect([408, 409, 429, 500, 503, 529].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});
