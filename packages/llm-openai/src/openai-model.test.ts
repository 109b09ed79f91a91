import { CancelledError, createBudget, createManualClock, InvalidInputError, ModelError } from '@aisre/core';
import { type ScriptedResponse, type ScriptedServer, startScriptedServer } from '@aisre/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenAIModel } from './openai-model';

/** A completion as the API documentation shows it. */
function completion(
  message: Record<string, unknown>,
  finishReason = 'stop',
  usage = { prompt: 19, completion: 10 },
) {
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4.1-2025-04-14',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', refusal: null, annotations: [], ...message },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
  };
}

const verdictSchema = z.object({ rootCause: z.string(), confidence: z.number().min(0).max(1) });

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(responses: ScriptedResponse[], options: Parameters<typeof createOpenAIModel>[0] = {}) {
  server = await startScriptedServer(responses);
  const waits: number[] = [];
  const model = createOpenAIModel({
    apiKey: 'sk-test',
    baseURL: `${server.origin}/v1`,
    model: 'gpt-4.1',
    env: {},
    sleep: async (milliseconds) => void waits.push(milliseconds),
    random: () => 0.5,
    clock: createManualClock(Date.parse('2026-03-02T03:00:00Z')),
    ...options,
  });
  return { model, waits, requests: server.requests };
}

describe('createOpenAIModel', () => {
  it('sends a chat completion and reads the answer, usage and cost', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: 'Hello! How can I assist you today?' }) },
    ]);
    const result = await model.generate({
      system: 'You are an SRE.',
      messages: [{ role: 'user', content: 'Hello' }],
      maxOutputTokens: 256,
      temperature: 0.2,
    });
    expect(model.name).toBe('openai:gpt-4.1');
    expect(result).toEqual({
      text: 'Hello! How can I assist you today?',
      toolCalls: [],
      usage: { inputTokens: 19, outputTokens: 10, costUsd: 0.000118 },
      finishReason: 'stop',
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You are an SRE.' },
        { role: 'user', content: 'Hello' },
      ],
      max_tokens: 256,
      temperature: 0.2,
    });
  });

  it('sends tools and the tool-call history, and reads tool calls', async () => {
    const { model, requests } = await setup([
      {
        json: completion(
          {
            content: null,
            tool_calls: [
              {
                id: 'call_abc123',
                type: 'function',
                function: {
                  name: 'query_metrics',
                  arguments: '{\n"query": "rate(http_requests_total[5m])"\n}',
                },
              },
            ],
          },
          'tool_calls',
          { prompt: 82, completion: 17 },
        ),
      },
    ]);
    const result = await model.generate({
      messages: [
        { role: 'user', content: 'Why is checkout slow?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'list_pods', input: { namespace: 'shop' } }],
        },
        {
          role: 'tool',
          toolCallId: 'call_1',
          toolName: 'list_pods',
          content: 'checkout-7f9 CrashLoopBackOff',
        },
      ],
      tools: [
        {
          name: 'query_metrics',
          description: 'Runs a PromQL query.',
          inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        },
      ],
    });
    expect(result.toolCalls).toEqual([
      { id: 'call_abc123', name: 'query_metrics', input: { query: 'rate(http_requests_total[5m])' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.text).toBe('');
    expect(requests[0]?.body).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'user', content: 'Why is checkout slow?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'list_pods', arguments: '{"namespace":"shop"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'checkout-7f9 CrashLoopBackOff' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'query_metrics',
            description: 'Runs a PromQL query.',
            parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
          },
        },
      ],
    });
  });

  it('asks for a JSON-schema reply and returns the validated object', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: '{"rootCause":"connection pool exhausted","confidence":0.82}' }) },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    expect(result.object).toEqual({ rootCause: 'connection pool exhausted', confidence: 0.82 });
    expect(requests[0]?.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'verdict',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              rootCause: { type: 'string' },
              confidence: { type: 'number', minimum: 0, maximum: 1 },
            },
            required: ['rootCause', 'confidence'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('sends strict: false for schemas with optional fields, and unwraps non-object schemas', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: '{"value":[{"service":"checkout"}]}' }) },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'List suspects.' }],
      schema: {
        name: 'suspects',
        schema: z.array(z.object({ service: z.string(), note: z.string().optional() })),
      },
    });
    expect(result.object).toEqual([{ service: 'checkout' }]);
    expect(requests[0]?.body).toMatchObject({ response_format: { json_schema: { strict: false } } });
  });

  it('sends the validation error back once and returns the repaired reply', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: '{"rootCause":"disk full","confidence":7}' }) },
      {
        json: completion({ content: '{"rootCause":"disk full","confidence":0.7}' }, 'stop', {
          prompt: 40,
          completion: 12,
        }),
      },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    expect(result.object).toEqual({ rootCause: 'disk full', confidence: 0.7 });
    expect(result.usage).toEqual({ inputTokens: 59, outputTokens: 22, costUsd: 0.000294 });
    expect(requests).toHaveLength(2);
    const messages = (requests[1]?.body as { messages: unknown[] } | undefined)?.messages ?? [];
    expect(messages).toHaveLength(3);
    expect(messages[1]).toEqual({ role: 'assistant', content: '{"rootCause":"disk full","confidence":7}' });
    expect(messages[2]).toMatchObject({ role: 'user' });
    expect(JSON.stringify(messages[2])).toContain('confidence: Too big');
  });

  it('fails with an InvalidInputError when the repaired reply is still invalid', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: 'I think it is the database.' }) },
      { json: completion({ content: '{"rootCause":"database"}' }) },
    ]);
    const attempt = model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: ['confidence'] }] });
    expect(requests).toHaveLength(2);
  });

  it('reports a refusal as a ModelError', async () => {
    const { model } = await setup([
      { json: completion({ content: null, refusal: "I'm sorry, I can't help." }) },
    ]);
    await expect(
      model.generate({
        messages: [{ role: 'user', content: 'x' }],
        schema: { name: 'verdict', schema: verdictSchema },
      }),
    ).rejects.toThrow(/^llm-openai: the model refused/);
  });

  it('fails on a malformed JSON body without retrying', async () => {
    const { model, requests, waits } = await setup([{ raw: '{"id": "chatcmpl-1", "choices": [' }]);
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toBeInstanceOf(ModelError);
    await expect(attempt).rejects.toMatchObject({ isRetryable: false, status: 200 });
    await expect(attempt).rejects.toThrow(/body that is not JSON/);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('fails on a JSON body that is not a chat completion', async () => {
    const { model } = await setup([{ json: { object: 'list', data: [] } }]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).rejects.toThrow(
      /^llm-openai: the answer is not a chat completion/,
    );
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const rateLimited = {
      error: {
        message: 'Rate limit reached for gpt-4.1',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    };
    const { model, requests, waits } = await setup([
      { status: 429, headers: { 'retry-after': '2' }, json: rateLimited },
      { status: 429, headers: { 'retry-after': 'Mon, 02 Mar 2026 03:00:05 GMT' }, json: rateLimited },
      { json: completion({ content: 'ok' }) },
    ]);
    const result = await model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(result.text).toBe('ok');
    expect(waits).toEqual([2000, 5000]);
    expect(requests).toHaveLength(3);
    expect(requests[2]?.body).toEqual(requests[0]?.body);
  });

  it('retries a 500 with jittered backoff, then succeeds', async () => {
    const { model, requests, waits } = await setup([
      { status: 500, json: { error: { message: 'The server had an error', type: 'server_error' } } },
      { json: completion({ content: 'ok' }) },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({
      text: 'ok',
    });
    expect(waits).toEqual([250]);
    expect(requests).toHaveLength(2);
  });

  it('gives up after maxRetries with a retryable ModelError', async () => {
    const failure = { status: 503, json: { error: { message: 'overloaded' } } };
    const { model, requests, waits } = await setup([failure, failure, failure], { retry: { maxRetries: 1 } });
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toMatchObject({ isRetryable: true, status: 503 });
    await expect(attempt).rejects.toThrow(
      'llm-openai: 503 Service Unavailable: the provider failed: try again later (the server said: overloaded)',
    );
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it('retries a body cut short', async () => {
    const { model, requests } = await setup([
      { json: completion({ content: 'cut' }), truncate: true },
      { json: completion({ content: 'whole' }) },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({
      text: 'whole',
    });
    expect(requests).toHaveLength(2);
  });

  it('times out with a CancelledError of code timeout', async () => {
    const { model, requests } = await setup([{ hang: true }], { timeoutMs: 50 });
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
    await expect(attempt).rejects.toMatchObject({ code: 'timeout' });
    await expect(attempt).rejects.toThrow(/within 50 ms: raise timeoutMs/);
    expect(requests).toHaveLength(1);
  });

  it('stops with a CancelledError when the signal aborts', async () => {
    const { model } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const attempt = model.generate({
      messages: [{ role: 'user', content: 'Hello' }],
      signal: controller.signal,
    });
    while (server?.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled', message: 'llm-openai: cancelled' });
  });

  it('reports a 401 as not retryable and says what to do', async () => {
    const { model, requests } = await setup([
      {
        status: 401,
        json: {
          error: {
            message:
              'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      },
    ]);
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toMatchObject({ isRetryable: false, status: 401 });
    await expect(attempt).rejects.toThrow(
      /^llm-openai: 401 Unauthorized: set OPENAI_API_KEY or pass apiKey \(the server said: Incorrect API key/,
    );
    expect(requests).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    const { model, requests } = await setup([
      { status: 400, json: { error: { message: "Unsupported parameter: 'max_tokens'" } } },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).rejects.toMatchObject({
      status: 400,
      isRetryable: false,
    });
    expect(requests).toHaveLength(1);
  });

  it('reads its settings from the environment when no option is given', async () => {
    server = await startScriptedServer([{ json: completion({ content: 'ok' }) }]);
    const model = createOpenAIModel({
      env: {
        OPENAI_API_KEY: 'sk-from-env',
        OPENAI_BASE_URL: `${server.origin}/v1/`,
        OPENAI_MODEL: 'llama3.1',
      },
    });
    expect(model.name).toBe('openai:llama3.1');
    const result = await model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(result.usage.costUsd).toBe(0.000118);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env');
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.1' });
  });

  it('speaks to Azure OpenAI with an api-key header and an api-version', async () => {
    server = await startScriptedServer([{ json: completion({ content: 'ok' }) }]);
    const azure = createOpenAIModel({
      apiKey: 'azure-key',
      baseURL: `${server.origin}/openai/deployments/sre-gpt`,
      model: 'sre-gpt',
      apiKeyHeader: 'api-key',
      apiVersion: '2024-10-21',
      maxTokensParameter: 'max_completion_tokens',
      headers: { 'X-Request-Source': 'aisre' },
      env: {},
    });
    await azure.generate({ messages: [{ role: 'user', content: 'Hello' }], maxOutputTokens: 100 });
    const [request] = server.requests;
    expect(request?.path).toBe('/openai/deployments/sre-gpt/chat/completions?api-version=2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-key');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['x-request-source']).toBe('aisre');
    expect(request?.body).toMatchObject({ max_completion_tokens: 100 });
  });

  it('reserves budget before the call and refunds the unused part', async () => {
    const budget = createBudget(
      { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 10_000, costUsd: 1 },
      createManualClock(0),
    );
    const { model } = await setup([{ json: completion({ content: 'ok' }) }], { budget });
    await model.generate({ messages: [{ role: 'user', content: 'Hello' }], maxOutputTokens: 500 });
    expect(budget.used().modelTokens).toBe(29);
    expect(budget.used().costUsd).toBeCloseTo(0.000118, 9);
  });

  it('refuses to call when the budget cannot cover the reservation', async () => {
    const budget = createBudget(
      { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 100, costUsd: 1 },
      createManualClock(0),
    );
    const { model, requests } = await setup([{ json: completion({ content: 'ok' }) }], { budget });
    await expect(
      model.generate({ messages: [{ role: 'user', content: 'Hello' }], maxOutputTokens: 500 }),
    ).rejects.toMatchObject({ code: 'budget-exceeded' });
    expect(requests).toHaveLength(0);
  });

  it('refuses unknown options, and a missing key for OpenAI itself', async () => {
    expect(() => createOpenAIModel({ apikey: 'x' } as never)).toThrow(InvalidInputError);
    expect(() => createOpenAIModel({ env: { OPENAI_BASE_URL: 'localhost:11434' } })).toThrow(
      /^llm-openai: the base URL "localhost:11434" is not an http\(s\) URL/,
    );
    const model = createOpenAIModel({
      env: {},
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).rejects.toThrow(
      'llm-openai: no API key: set OPENAI_API_KEY or pass apiKey',
    );
  });
});
