import {
  CancelledError,
  type GenerateRequest,
  type GenerateResult,
  InvalidInputError,
  parseWith,
} from '@aisre/core';
import { z } from 'zod';
import { MockModelError } from './mock-model-error';
import { resolveReply, toGenerateResult } from './mock-reply';
import { digestRequest } from './request-digest';
import type {
  MockCallContext,
  MockMatcher,
  MockModel,
  MockModelCall,
  MockModelOptions,
  MockReply,
  RecordedModelCall,
} from './types';

const optionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  replies: z.array(z.unknown()).optional(),
  matchers: z
    .array(
      z.strictObject({
        when: z.unknown(),
        reply: z.unknown(),
        times: z.number().int().positive().optional(),
      }),
    )
    .optional(),
  replay: z
    .array(
      z.object({
        index: z.number().int().nonnegative().optional(),
        digest: z.string().optional(),
        result: z.object({ text: z.string(), toolCalls: z.array(z.unknown()), usage: z.unknown() }).loose(),
      }),
    )
    .optional(),
});

interface MatcherEntry {
  when: MockMatcher;
  reply: MockReply;
  remaining: number;
}

function lastUserMessage(request: GenerateRequest): string | undefined {
  for (let index = request.messages.length - 1; index >= 0; index -= 1) {
    const message = request.messages[index];
    if (message?.role === 'user') return message.content;
  }
  return undefined;
}

function matches(when: MockMatcher, request: GenerateRequest, context: MockCallContext): boolean {
  if (typeof when === 'function') return when(request, context);
  const text = context.lastUserMessage ?? '';
  return typeof when === 'string'
    ? text.includes(when)
    : new RegExp(when.source, when.flags.replace(/[gy]/g, '')).test(text);
}

function quote(text: string | undefined): string {
  if (text === undefined) return 'none';
  const flat = text.replace(/\s+/g, ' ');
  return `"${flat.length > 80 ? `${flat.slice(0, 80)}…` : flat}"`;
}

/**
 * Creates a scripted {@link MockModel} for tests: it answers by matcher, then by the order of its scripted
 * replies, or replays a recorded run; it records every call (the full request) and fails with a
 * {@link MockModelError} when it has nothing left to say or a replay diverges.
 *
 * ```ts
 * const model = createMockModel({
 *   replies: [
 *     { toolCalls: [{ name: 'query_metrics', input: { query: 'up' } }] },
 *     { object: { rootCause: 'checkout pods are OOMKilled', confidence: 0.9 } },
 *   ],
 *   matchers: [{ when: 'summarise', reply: 'Checkout was down for 12 minutes.' }],
 * });
 * ```
 *
 * @param options - scripted replies, matchers, or a recording to replay
 */
export function createMockModel(options: MockModelOptions = {}): MockModel {
  parseWith(optionsSchema, options, 'llm-mock: options');
  const replay = options.replay?.map((entry) => structuredClone(entry));
  if (replay && (options.replies || options.matchers)) {
    throw new InvalidInputError(
      'llm-mock: options: replay cannot be combined with replies or matchers: use one or the other',
    );
  }
  const replies: MockReply[] = [...(options.replies ?? [])];
  const matchers: MatcherEntry[] = (options.matchers ?? []).map((rule) => ({
    when: rule.when,
    reply: rule.reply,
    remaining: rule.times ?? Number.POSITIVE_INFINITY,
  }));
  const calls: MockModelCall[] = [];
  let nextReply = 0;

  function refuseWhenReplaying(what: string): void {
    if (replay)
      throw new InvalidInputError(
        `llm-mock: ${what} is not possible on a replaying model: script another mock`,
      );
  }

  function replayed(call: MockModelCall): GenerateResult {
    const entry = replay?.[call.index];
    if (!entry) {
      throw new MockModelError(
        'exhausted',
        `llm-mock: the recording has ${replay?.length ?? 0} calls and call #${call.index} asks for one more (last user message ${quote(lastUserMessage(call.request))}): the run diverged from the recording; re-record it`,
        call.index,
      );
    }
    if (entry.index !== undefined && entry.index !== call.index) {
      throw new MockModelError(
        'replay-mismatch',
        `llm-mock: replay diverged at call #${call.index}: the recording holds call #${entry.index} there: re-record the run`,
        call.index,
      );
    }
    if (entry.digest !== undefined && entry.digest !== call.digest) {
      throw new MockModelError(
        'replay-mismatch',
        `llm-mock: replay diverged at call #${call.index}: the request digest is ${call.digest.slice(0, 12)}…, the recording expects ${entry.digest.slice(0, 12)}… (last user message ${quote(lastUserMessage(call.request))}): the prompts changed since the recording; re-record the run`,
        call.index,
      );
    }
    call.answeredBy = 'replay';
    return structuredClone(entry.result);
  }

  async function scripted(call: MockModelCall, context: MockCallContext): Promise<GenerateResult> {
    let reply: MockReply | undefined;
    const matcher = matchers.find(
      (entry) => entry.remaining > 0 && matches(entry.when, call.request, context),
    );
    if (matcher) {
      matcher.remaining -= 1;
      call.answeredBy = 'matcher';
      reply = matcher.reply;
    } else if (nextReply < replies.length) {
      reply = replies[nextReply];
      nextReply += 1;
      call.answeredBy = 'script';
    }
    if (reply === undefined) {
      throw new MockModelError(
        'exhausted',
        `llm-mock: no reply for call #${call.index}: all ${replies.length} scripted replies are used and no matcher matched the last user message ${quote(context.lastUserMessage)}: add a reply (replies, addReplies) or a matcher`,
        call.index,
      );
    }
    return toGenerateResult(await resolveReply(reply, call.request, context), call.request, call.index);
  }

  const model: MockModel = {
    name: options.name ?? (replay ? 'mock:replay' : 'mock:scripted'),
    get calls() {
      return calls;
    },
    get lastCall() {
      return calls.at(-1);
    },
    async generate<Output>(request: GenerateRequest<Output>): Promise<GenerateResult<Output>> {
      const call: MockModelCall = {
        index: calls.length,
        request: request as GenerateRequest,
        digest: digestRequest(request as GenerateRequest),
        answeredBy: 'none',
      };
      calls.push(call);
      try {
        if (request.signal?.aborted) {
          throw new CancelledError('llm-mock: cancelled', { cause: request.signal.reason });
        }
        const context: MockCallContext = {
          callIndex: call.index,
          lastUserMessage: lastUserMessage(call.request),
        };
        const result = replay ? replayed(call) : await scripted(call, context);
        call.result = result;
        return result as GenerateResult<Output>;
      } catch (error) {
        call.error = error;
        throw error;
      }
    },
    addReplies(...more) {
      refuseWhenReplaying('addReplies');
      replies.push(...more);
      return model;
    },
    addMatcher(when, reply, matcherOptions = {}) {
      refuseWhenReplaying('addMatcher');
      matchers.push({ when, reply, remaining: matcherOptions.times ?? Number.POSITIVE_INFINITY });
      return model;
    },
    pendingReplies() {
      return replay ? Math.max(0, replay.length - calls.length) : replies.length - nextReply;
    },
    recording() {
      return calls.flatMap((call): RecordedModelCall[] =>
        call.result ? [{ index: call.index, digest: call.digest, result: structuredClone(call.result) }] : [],
      );
    },
    assertAllRepliesUsed() {
      const pending = model.pendingReplies();
      if (pending > 0) {
        throw new MockModelError(
          'unused-replies',
          `llm-mock: ${pending} ${replay ? 'recorded' : 'scripted'} ${pending === 1 ? 'reply was' : 'replies were'} never used (${calls.length} calls made): the code under test called the model fewer times than scripted`,
        );
      }
    },
  };
  return model;
}
