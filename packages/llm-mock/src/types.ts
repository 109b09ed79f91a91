import type { GenerateRequest, GenerateResult, LanguageModel, ModelToolCall, ModelUsage } from '@aisre/core';

/** A tool call in a scripted reply; its `id` defaults to `call_<call index>_<position>`. */
export type MockToolCall = Omit<ModelToolCall, 'id'> & {
  /** The call id. */
  id?: string;
};

/** The parts of a result a scripted reply sets; everything left out gets a sensible default. */
export interface MockResult {
  /** The reply's text. Default `''`, or the JSON of `object` when one is given. */
  text?: string;
  /** Tool calls the model asks for. */
  toolCalls?: MockToolCall[];
  /**
   * The structured reply. When the request has a schema it is validated against it (as a real adapter
   * would); when it is left out, `text` is read as JSON instead.
   */
  object?: unknown;
  /** Token use. Default an estimate (four characters per token); `costUsd` only when given. */
  usage?: Partial<ModelUsage>;
  /** Why it stopped. Default `tool-calls` when there are tool calls, `stop` otherwise. */
  finishReason?: GenerateResult['finishReason'];
}

/** A fixed scripted reply: a text, the parts of a result, or an error to throw. */
export type MockStaticReply = string | MockResult | Error;

/** What a matcher or a reply function learns about the call. */
export interface MockCallContext {
  /** The 0-based index of this call among all calls to the model. */
  callIndex: number;
  /** The content of the last `user` message of the request, if any. */
  lastUserMessage: string | undefined;
}

/** A reply computed per call, e.g. from the request. */
export type MockReplyFunction = (
  request: GenerateRequest,
  context: MockCallContext,
) => MockStaticReply | Promise<MockStaticReply>;

/**
 * A scripted reply: a text (`'the root cause is …'`), the parts of a result (`{ toolCalls: […] }`,
 * `{ object: {…} }`), an `Error` to throw (e.g. a retryable `ModelError`), or a function of the request.
 */
export type MockReply = MockStaticReply | MockReplyFunction;

/**
 * When a matcher answers: a string is looked for in the last user message, a `RegExp` is tested on it,
 * a function decides from the whole request.
 */
export type MockMatcher = string | RegExp | ((request: GenerateRequest, context: MockCallContext) => boolean);

/** A reply given whenever its matcher matches. */
export interface MockMatcherRule {
  /** When it answers. */
  when: MockMatcher;
  /** What it answers. */
  reply: MockReply;
  /** How many calls it answers before it is used up. Default: any number. */
  times?: number;
}

/** One model call as recorded, to replay later. JSON-serialisable. */
export interface RecordedModelCall {
  /** The position of the call in the recorded run; replay fails when a call comes at another position. */
  index?: number;
  /** The request digest (see `digestRequest`); replay fails when the request differs. */
  digest?: string;
  /** What the model answered. */
  result: GenerateResult;
}

/** One call the mock received. */
export interface MockModelCall {
  /** The 0-based index of the call. */
  index: number;
  /** The full request, as passed. */
  request: GenerateRequest;
  /** The request's digest. */
  digest: string;
  /** What answered it; `none` when nothing could. */
  answeredBy: 'script' | 'matcher' | 'replay' | 'none';
  /** The result, when the call succeeded. */
  result?: GenerateResult;
  /** The error, when the call failed. */
  error?: unknown;
}

/** Options of `createMockModel`. */
export interface MockModelOptions {
  /** The model's name. Default `mock:scripted` (`mock:replay` when replaying). */
  name?: string;
  /** Replies in order: the n-th call that no matcher answers gets the n-th reply. */
  replies?: MockReply[];
  /** Replies by matcher, tried in order before the scripted replies. */
  matchers?: MockMatcherRule[];
  /**
   * A recorded run to replay: call n is answered with entry n, after checking its `digest` and `index`
   * when they are set. Not combinable with `replies` or `matchers`.
   */
  replay?: RecordedModelCall[];
}

/** A scripted `LanguageModel` for tests that records every call. */
export interface MockModel extends LanguageModel {
  /** Every call so far, in order. */
  readonly calls: readonly MockModelCall[];
  /** The latest call, if any. */
  readonly lastCall: MockModelCall | undefined;
  /** Appends scripted replies (answered in order after the ones already scripted). */
  addReplies(...replies: MockReply[]): MockModel;
  /** Adds a matcher, tried after the ones already added. */
  addMatcher(when: MockMatcher, reply: MockReply, options?: { times?: number }): MockModel;
  /** How many scripted (or replayed) replies are still unused. */
  pendingReplies(): number;
  /** The successful calls so far as a recording that `replay` accepts. */
  recording(): RecordedModelCall[];
  /** Throws a `MockModelError` (reason `unused-replies`) when scripted or replayed replies are left unused. */
  assertAllRepliesUsed(): void;
}
