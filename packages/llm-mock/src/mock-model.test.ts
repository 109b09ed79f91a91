import { CancelledError, type GenerateRequest, InvalidInputError, ModelError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMockModel } from './mock-model';
import { MockModelError } from './mock-model-error';
import { digestRequest } from './request-digest';

const ask = (content: string): GenerateRequest => ({ messages: [{ role: 'user', content }] });
const verdictSchema = z.object({ rootCause: z.string(), confidence: z.number().min(0).max(1) });

describe('createMockModel: scripted replies by call index', () => {
  it('answers in order, filling ids, usage and finish reasons', async () => {
    const model = createMockModel({
      replies: [
        { toolCalls: [{ name: 'query_metrics', input: { query: 'up' } }] },
        'The database is down.',
        {
          text: 'priced',
          usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.01 },
          finishReason: 'length',
        },
      ],
    });
    expect(model.name).toBe('mock:scripted');
    const first = await model.generate(ask('What is wrong?'));
    expect(first).toEqual({
      text: '',
      toolCalls: [{ id: 'call_0_0', name: 'query_metrics', input: { query: 'up' } }],
      usage: { inputTokens: 8, outputTokens: 17 },
      finishReason: 'tool-calls',
    });
    const second = await model.generate(ask('And now?'));
    expect(second).toMatchObject({ text: 'The database is down.', toolCalls: [], finishReason: 'stop' });
    expect(await model.generate(ask('x'))).toMatchObject({
      usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.01 },
      finishReason: 'length',
    });
    expect(model.pendingReplies()).toBe(0);
    model.assertAllRepliesUsed();
  });

  it('validates structured replies against the request schema, as an adapter would', async () => {
    const model = createMockModel({
      replies: [
        { object: { rootCause: 'disk full', confidence: 0.9 } },
        '{"rootCause":"dns","confidence":0.5}',
        { object: { rootCause: 'disk full', confidence: 9 } },
      ],
    });
    const request = { ...ask('Conclude.'), schema: { name: 'verdict', schema: verdictSchema } };
    const first = await model.generate(request);
    expect(first.object).toEqual({ rootCause: 'disk full', confidence: 0.9 });
    expect(first.text).toBe('{"rootCause":"disk full","confidence":0.9}');
    expect((await model.generate(request)).object).toEqual({ rootCause: 'dns', confidence: 0.5 });
    const invalid = model.generate(request);
    await expect(invalid).rejects.toBeInstanceOf(InvalidInputError);
    await expect(invalid).rejects.toThrow(
      'llm-mock: the scripted reply to call #2 does not match the schema "verdict": confidence:',
    );
  });

  it('throws scripted errors and computes replies from the request', async () => {
    const model = createMockModel({
      replies: [
        new ModelError('llm-test: 429 Too Many Requests', { isRetryable: true, status: 429 }),
        (request, context) => `call ${context.callIndex} saw ${request.messages.length} message(s)`,
      ],
    });
    await expect(model.generate(ask('a'))).rejects.toMatchObject({ isRetryable: true, status: 429 });
    expect((await model.generate(ask('b'))).text).toBe('call 1 saw 1 message(s)');
    expect(model.calls[0]?.error).toBeInstanceOf(ModelError);
  });

  it('honours an aborted signal', async () => {
    const model = createMockModel({ replies: ['never'] });
    const controller = new AbortController();
    controller.abort();
    await expect(model.generate({ ...ask('x'), signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(model.pendingReplies()).toBe(1);
  });
});

describe('createMockModel: matchers', () => {
  it('answers by substring, RegExp or predicate before the scripted order', async () => {
    const model = createMockModel({
      replies: ['in order'],
      matchers: [
        { when: 'summarise', reply: 'A summary.' },
        { when: /^rollback/i, reply: { toolCalls: [{ id: 'r1', name: 'rollback', input: {} }] }, times: 1 },
      ],
    }).addMatcher((request) => request.tools?.some((tool) => tool.name === 'logs') ?? false, 'used logs');
    expect((await model.generate(ask('please summarise the incident'))).text).toBe('A summary.');
    expect((await model.generate(ask('Rollback checkout?'))).toolCalls[0]?.name).toBe('rollback');
    expect((await model.generate(ask('Rollback again?'))).text).toBe('in order');
    expect(
      (
        await model.generate({
          ...ask('anything'),
          tools: [{ name: 'logs', description: 'Searches logs.', inputSchema: { type: 'object' } }],
        })
      ).text,
    ).toBe('used logs');
    expect((await model.generate(ask('summarise again'))).text).toBe('A summary.');
    expect(model.calls.map((call) => call.answeredBy)).toEqual([
      'matcher',
      'matcher',
      'script',
      'matcher',
      'matcher',
    ]);
  });
});

describe('createMockModel: recording', () => {
  it('records every call with its full request', async () => {
    const model = createMockModel({ replies: ['one', 'two'] });
    const controller = new AbortController();
    const request: GenerateRequest = {
      system: 'You are an SRE.',
      messages: [{ role: 'user', content: 'first' }],
      maxOutputTokens: 100,
      signal: controller.signal,
    };
    await model.generate(request);
    await model.generate(ask('second'));
    expect(model.calls).toHaveLength(2);
    expect(model.calls[0]?.request).toBe(request);
    expect(model.calls[0]?.digest).toBe(digestRequest(request));
    expect(model.lastCall?.request.messages[0]?.content).toBe('second');
    expect(model.lastCall?.result?.text).toBe('two');
  });
});

describe('createMockModel: exhaustion', () => {
  it('throws a MockModelError that says what to do when nothing is left', async () => {
    const model = createMockModel({ replies: ['only one'] });
    await model.generate(ask('first'));
    const attempt = model.generate(ask('second question'));
    await expect(attempt).rejects.toBeInstanceOf(MockModelError);
    await expect(attempt).rejects.toMatchObject({
      reason: 'exhausted',
      callIndex: 1,
      isRetryable: false,
      code: 'model',
    });
    await expect(attempt).rejects.toThrow(
      'llm-mock: no reply for call #1: all 1 scripted replies are used and no matcher matched the last user message "second question": add a reply (replies, addReplies) or a matcher',
    );
    expect(model.lastCall?.answeredBy).toBe('none');
    model.addReplies('more');
    expect((await model.generate(ask('third'))).text).toBe('more');
  });

  it('reports unused replies', () => {
    const model = createMockModel({ replies: ['a', 'b'] });
    expect(() => model.assertAllRepliesUsed()).toThrow(
      'llm-mock: 2 scripted replies were never used (0 calls made)',
    );
    expect(MockModelError.isInstance(new MockModelError('unused-replies', 'x'))).toBe(true);
    expect(ModelError.isInstance(new MockModelError('unused-replies', 'x'))).toBe(true);
  });
});

describe('createMockModel: replay', () => {
  async function recordRun() {
    const recorder = createMockModel({
      replies: [{ toolCalls: [{ id: 't1', name: 'logs', input: { service: 'api' } }] }, 'It was the cache.'],
    });
    await recorder.generate(ask('Investigate'));
    await recorder.generate({
      messages: [
        { role: 'user', content: 'Investigate' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 't1', name: 'logs', input: { service: 'api' } }],
        },
        { role: 'tool', toolCallId: 't1', toolName: 'logs', content: 'cache miss storm' },
      ],
    });
    return JSON.parse(JSON.stringify(recorder.recording()));
  }

  it('answers a recorded run in order', async () => {
    const recording = await recordRun();
    const model = createMockModel({ replay: recording });
    expect(model.name).toBe('mock:replay');
    expect((await model.generate(ask('Investigate'))).toolCalls[0]?.name).toBe('logs');
    const second = await model.generate({
      messages: [
        { role: 'user', content: 'Investigate' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ name: 'logs', input: { service: 'api' }, id: 't1' }],
        },
        { role: 'tool', toolCallId: 't1', toolName: 'logs', content: 'cache miss storm' },
      ],
    });
    expect(second.text).toBe('It was the cache.');
    model.assertAllRepliesUsed();
  });

  it('fails with a typed error when the run diverges', async () => {
    const model = createMockModel({ replay: await recordRun() });
    const attempt = model.generate(ask('Investigate something else'));
    await expect(attempt).rejects.toMatchObject({ reason: 'replay-mismatch', callIndex: 0 });
    await expect(attempt).rejects.toThrow(
      /^llm-mock: replay diverged at call #0: the request digest is [0-9a-f]{12}…/,
    );
  });

  it('checks indexes, and fails when the recording runs out', async () => {
    const result = { text: 'ok', toolCalls: [], usage: { inputTokens: 1, outputTokens: 1 } };
    const model = createMockModel({
      replay: [
        { index: 0, result },
        { index: 5, result },
      ],
    });
    expect((await model.generate(ask('anything'))).text).toBe('ok');
    await expect(model.generate(ask('next'))).rejects.toMatchObject({ reason: 'replay-mismatch' });
    const short = createMockModel({ replay: [{ result }] });
    await short.generate(ask('a'));
    await expect(short.generate(ask('b'))).rejects.toMatchObject({ reason: 'exhausted', callIndex: 1 });
  });

  it('refuses to mix replay with scripted replies', () => {
    expect(() => createMockModel({ replay: [], replies: ['x'] })).toThrow(InvalidInputError);
    expect(() => createMockModel({ replay: [] }).addReplies('x')).toThrow(InvalidInputError);
    expect(() => createMockModel({ replys: [] } as never)).toThrow(InvalidInputError);
  });
});

describe('digestRequest', () => {
  it('ignores key order, sampling settings and the signal, but not the prompt', () => {
    const base: GenerateRequest = { system: 's', messages: [{ role: 'user', content: 'x' }] };
    expect(digestRequest(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestRequest({ messages: [{ content: 'x', role: 'user' }], system: 's', temperature: 1 })).toBe(
      digestRequest(base),
    );
    expect(digestRequest({ ...base, system: 't' })).not.toBe(digestRequest(base));
    expect(digestRequest({ ...base, schema: { name: 'v', schema: verdictSchema } })).not.toBe(
      digestRequest(base),
    );
  });
});
