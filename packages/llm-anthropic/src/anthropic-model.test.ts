import { CancelledError, createBudget, createManualClock, InvalidInputError, ModelError } from '@aisre/core';
import { type ScriptedResponse, type ScriptedServer, startScriptedServer } from '@aisre/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAnthropicModel } from './anthropic-model';

/** A message as the API documentation shows it. */
function message(content: unknown[], stopReason = 'end_turn', usage = { input: 2095, output: 503 }) {
  return {
    id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

function apiError(type: string, text: string) {
  return { type: 'error', error: { type, message: text }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
}

const verdictSchema = z.object({ rootCause: z.string(), confidence: z.number().min(0).max(1) });
const verdictJsonSchema = {
  type: 'object',
  properties: { rootCause: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
  required: ['rootCause', 'confidence'],
  additionalProperties: false,
};

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  responses: ScriptedResponse[],
  options: Parameters<typeof createAnthropicModel>[0] = {},
) {
  server = await startScriptedServer(responses);
  const waits: number[] = [];
  const model = createAnthropicModel({
    apiKey: 'sk-ant-test',
    baseURL: server.origin,
    model: 'claude-sonnet-4-5',
    env: {},
    sleep: async (milliseconds) => void waits.push(milliseconds),
    random: () => 0.5,
    clock: createManualClock(Date.parse('2026-03-02T03:00:00Z')),
    ...options,
  });
  return { model, waits, requests: server.requests };
}

describe('createAnthropicModel', () => {
  it('sends a message and reads the answer, usage and cost', async () => {
    const { model, requests } = await setup([
      { json: message([{ type: 'text', text: 'Hi! My name is Claude.' }]) },
    ]);
    const result = await model.generate({
      system: 'You are an SRE.',
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      temperature: 0,
    });
    expect(model.name).toBe('anthropic:claude-sonnet-4-5');
    expect(result).toEqual({
      text: 'Hi! My name is Claude.',
      toolCalls: [],
      usage: { inputTokens: 2095, outputTokens: 503, costUsd: 0.01383 },
      finishReason: 'stop',
    });
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe('sk-ant-test');
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'You are an SRE.',
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      temperature: 0,
    });
  });

  it('sends tools and the tool-use history, and reads tool_use blocks', async () => {
    const { model, requests } = await setup([
      {
        json: message(
          [
            { type: 'text', text: "I'll check the error rate." },
            {
              type: 'tool_use',
              id: 'toolu_01A09q90qw90lq917835lq9',
              name: 'query_metrics',
              input: { query: 'rate(http_errors_total[5m])' },
            },
          ],
          'tool_use',
        ),
      },
    ]);
    const result = await model.generate({
      messages: [
        { role: 'user', content: 'Why is checkout failing?' },
        {
          role: 'assistant',
          content: 'Listing pods.',
          toolCalls: [
            { id: 'toolu_1', name: 'list_pods', input: { namespace: 'shop' } },
            { id: 'toolu_2', name: 'list_events', input: {} },
          ],
        },
        {
          role: 'tool',
          toolCallId: 'toolu_1',
          toolName: 'list_pods',
          content: 'checkout-7f9 CrashLoopBackOff',
        },
        { role: 'tool', toolCallId: 'toolu_2', toolName: 'list_events', content: 'OOMKilled' },
        { role: 'user', content: 'Go on.' },
      ],
      tools: [
        {
          name: 'query_metrics',
          description: 'Runs a PromQL query.',
          inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        },
      ],
      maxOutputTokens: 1024,
    });
    expect(result.text).toBe("I'll check the error rate.");
    expect(result.toolCalls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'query_metrics',
        input: { query: 'rate(http_errors_total[5m])' },
      },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(requests[0]?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [
        { role: 'user', content: 'Why is checkout failing?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Listing pods.' },
            { type: 'tool_use', id: 'toolu_1', name: 'list_pods', input: { namespace: 'shop' } },
            { type: 'tool_use', id: 'toolu_2', name: 'list_events', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'checkout-7f9 CrashLoopBackOff' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'OOMKilled' },
            { type: 'text', text: 'Go on.' },
          ],
        },
      ],
      tools: [
        {
          name: 'query_metrics',
          description: 'Runs a PromQL query.',
          input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        },
      ],
    });
  });

  it('asks for a structured reply through a forced tool and returns its input', async () => {
    const { model, requests } = await setup([
      {
        json: message(
          [
            {
              type: 'tool_use',
              id: 'toolu_01',
              name: 'verdict',
              input: { rootCause: 'connection pool exhausted', confidence: 0.82 },
            },
          ],
          'tool_use',
        ),
      },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    expect(result.object).toEqual({ rootCause: 'connection pool exhausted', confidence: 0.82 });
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
    expect(requests[0]?.body).toMatchObject({
      tools: [{ name: 'verdict', input_schema: verdictJsonSchema }],
      tool_choice: { type: 'tool', name: 'verdict' },
    });
  });

  it('lets the model pick a tool or the output tool when both are offered', async () => {
    const { model, requests } = await setup([
      {
        json: message(
          [{ type: 'tool_use', id: 'toolu_9', name: 'logs', input: { service: 'api' } }],
          'tool_use',
        ),
      },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Investigate.' }],
      tools: [{ name: 'logs', description: 'Searches logs.', inputSchema: { type: 'object' } }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    expect(result.object).toBeUndefined();
    expect(result.toolCalls).toEqual([{ id: 'toolu_9', name: 'logs', input: { service: 'api' } }]);
    expect(requests[0]?.body).toMatchObject({ tool_choice: { type: 'any' } });
    expect((requests[0]?.body as { tools: unknown[] } | undefined)?.tools ?? []).toHaveLength(2);
  });

  it('sends the validation error back as the tool result and returns the repaired reply', async () => {
    const { model, requests } = await setup([
      {
        json: message(
          [{ type: 'tool_use', id: 'toolu_01', name: 'verdict', input: { rootCause: 'disk full' } }],
          'tool_use',
          {
            input: 100,
            output: 20,
          },
        ),
      },
      {
        json: message(
          [
            {
              type: 'tool_use',
              id: 'toolu_02',
              name: 'verdict',
              input: { rootCause: 'disk full', confidence: 0.6 },
            },
          ],
          'tool_use',
          { input: 150, output: 25 },
        ),
      },
    ]);
    const result = await model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    expect(result.object).toEqual({ rootCause: 'disk full', confidence: 0.6 });
    expect(result.usage).toEqual({ inputTokens: 250, outputTokens: 45, costUsd: 0.001425 });
    expect(requests).toHaveLength(2);
    const messages = (requests[1]?.body as { messages: unknown[] } | undefined)?.messages ?? [];
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_01', name: 'verdict', input: { rootCause: 'disk full' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01', content: expect.stringContaining('confidence:') },
        ],
      },
    ]);
  });

  it('fails with an InvalidInputError when the repaired reply is still invalid', async () => {
    const bad = message(
      [{ type: 'tool_use', id: 'toolu_01', name: 'verdict', input: { confidence: 2 } }],
      'tool_use',
    );
    const { model, requests } = await setup([{ json: bad }, { json: bad }]);
    const attempt = model.generate({
      messages: [{ role: 'user', content: 'Conclude.' }],
      schema: { name: 'verdict', schema: verdictSchema },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(
      /^llm-anthropic: the model's reply does not match the schema "verdict"/,
    );
    expect(requests).toHaveLength(2);
  });

  it('fails on a malformed JSON body without retrying', async () => {
    const { model, requests } = await setup([{ raw: '<html>502 Bad Gateway</html>' }]);
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toBeInstanceOf(ModelError);
    await expect(attempt).rejects.toThrow(/body that is not JSON \("<html>502 Bad Gateway<\/html>"\)/);
    expect(requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const { model, requests, waits } = await setup([
      {
        status: 429,
        headers: { 'retry-after': '7' },
        json: apiError(
          'rate_limit_error',
          'Number of request tokens has exceeded your per-minute rate limit',
        ),
      },
      { json: message([{ type: 'text', text: 'ok' }]) },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({
      text: 'ok',
    });
    expect(waits).toEqual([7000]);
    expect(requests).toHaveLength(2);
  });

  it('retries a 500 and a 529 with backoff, then succeeds', async () => {
    const { model, requests, waits } = await setup([
      { status: 500, json: apiError('api_error', 'Internal server error') },
      { status: 529, json: apiError('overloaded_error', 'Overloaded') },
      { json: message([{ type: 'text', text: 'ok' }]) },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({
      text: 'ok',
    });
    expect(waits).toEqual([250, 500]);
    expect(requests).toHaveLength(3);
  });

  it('says what to do when Anthropic stays overloaded', async () => {
    const overloaded = { status: 529, json: apiError('overloaded_error', 'Overloaded') };
    const { model } = await setup([overloaded], { retry: { maxRetries: 0 } });
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).rejects.toThrow(
      'llm-anthropic: 529 Overloaded: Anthropic is overloaded: try again later (the server said: Overloaded)',
    );
  });

  it('retries a body cut short', async () => {
    const { model, requests } = await setup([
      { json: message([{ type: 'text', text: 'cut' }]), truncate: true },
      { json: message([{ type: 'text', text: 'whole' }]) },
    ]);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).resolves.toMatchObject({
      text: 'whole',
    });
    expect(requests).toHaveLength(2);
  });

  it('times out with a CancelledError of code timeout', async () => {
    const { model } = await setup([{ hang: true }], { timeoutMs: 50 });
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
    await expect(attempt).rejects.toMatchObject({ code: 'timeout' });
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
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled', message: 'llm-anthropic: cancelled' });
  });

  it('reports a 401 as not retryable and says what to do', async () => {
    const { model, requests } = await setup([
      { status: 401, json: apiError('authentication_error', 'invalid x-api-key') },
    ]);
    const attempt = model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    await expect(attempt).rejects.toMatchObject({ isRetryable: false, status: 401 });
    await expect(attempt).rejects.toThrow(
      'llm-anthropic: 401 Unauthorized: set ANTHROPIC_API_KEY or pass apiKey (the server said: invalid x-api-key)',
    );
    expect(requests).toHaveLength(1);
  });

  it('reads its settings from the environment when no option is given', async () => {
    server = await startScriptedServer([{ json: message([{ type: 'text', text: 'ok' }]) }]);
    const model = createAnthropicModel({
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-env',
        ANTHROPIC_BASE_URL: `${server.origin}/`,
        ANTHROPIC_MODEL: 'claude-haiku-4-5',
      },
      maxOutputTokens: 512,
    });
    expect(model.name).toBe('anthropic:claude-haiku-4-5');
    await model.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(server.requests[0]?.headers['x-api-key']).toBe('sk-ant-env');
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(server.requests[0]?.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 512 });
  });

  it('reserves max_tokens plus the estimated input on the budget, then refunds the unused part', async () => {
    const budget = createBudget(
      { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 10_000, costUsd: 1 },
      createManualClock(0),
    );
    const { model } = await setup(
      [{ json: message([{ type: 'text', text: 'ok' }], 'end_turn', { input: 12, output: 3 }) }],
      {
        budget,
      },
    );
    const seen: number[] = [];
    const original = budget.charge.bind(budget);
    budget.charge = (charge) => {
      seen.push(charge.modelTokens ?? 0);
      original(charge);
    };
    await model.generate({ messages: [{ role: 'user', content: 'Hello' }], maxOutputTokens: 1000 });
    expect(seen).toEqual([1000 + 4 + 2]);
    expect(budget.used().modelTokens).toBe(15);
  });

  it('refuses unknown options, and a missing key for Anthropic itself', async () => {
    expect(() => createAnthropicModel({ max_tokens: 5 } as never)).toThrow(InvalidInputError);
    const model = createAnthropicModel({
      env: {},
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hello' }] })).rejects.toThrow(
      'llm-anthropic: no API key: set ANTHROPIC_API_KEY or pass apiKey',
    );
  });
});
