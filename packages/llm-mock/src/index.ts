/**
 * `@aisre/llm-mock`: a scripted `LanguageModel` for tests. It answers by call order or by matcher,
 * records every call, and replays the model calls of a recorded run.
 *
 * @module
 */
export { createMockModel } from './mock-model';
export { MockModelError, type MockModelErrorReason } from './mock-model-error';
export { digestRequest } from './request-digest';
export type {
  MockCallContext,
  MockMatcher,
  MockMatcherRule,
  MockModel,
  MockModelCall,
  MockModelOptions,
  MockReply,
  MockReplyFunction,
  MockResult,
  MockStaticReply,
  MockToolCall,
  RecordedModelCall,
} from './types';
