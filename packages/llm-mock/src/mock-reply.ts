import {
  estimateInputTokens,
  estimateTokens,
  formatInputIssues,
  type GenerateRequest,
  type GenerateResult,
  InvalidInputError,
  type ModelUsage,
  toInputIssues,
  validateStructuredReply,
} from '@aisre/core';
import type { MockCallContext, MockReply, MockResult, MockStaticReply } from './types';

/** Runs a reply function, if the reply is one. */
export async function resolveReply(
  reply: MockReply,
  request: GenerateRequest,
  context: MockCallContext,
): Promise<MockStaticReply> {
  return typeof reply === 'function' ? await reply(request, context) : reply;
}

function structuredObject(
  result: MockResult,
  text: string,
  request: GenerateRequest,
  callIndex: number,
): { object?: unknown } {
  const schema = request.schema;
  if (!schema) return result.object === undefined ? {} : { object: result.object };
  const where = `llm-mock: the scripted reply to call #${callIndex} does not match the schema "${schema.name}"`;
  if (result.object !== undefined) {
    const parsed = schema.schema.safeParse(result.object);
    if (parsed.success) return { object: parsed.data };
    const issues = toInputIssues(parsed.error);
    throw new InvalidInputError(`${where}: ${formatInputIssues(issues)}: fix the scripted object`, {
      issues,
    });
  }
  if ((result.toolCalls ?? []).length > 0) return {};
  const validation = validateStructuredReply(text, schema.schema);
  if (validation.success) return { object: validation.value };
  throw new InvalidInputError(
    `${where}: ${formatInputIssues(validation.issues)}: script an { object } or JSON text that matches it`,
    { issues: validation.issues },
  );
}

/**
 * Turns a fixed reply into the result of call `callIndex`: fills defaults (ids, usage, finish reason)
 * and validates the structured reply against the request's schema. Throws the reply if it is an error.
 */
export function toGenerateResult(
  reply: MockStaticReply,
  request: GenerateRequest,
  callIndex: number,
): GenerateResult {
  if (reply instanceof Error) throw reply;
  const result: MockResult = typeof reply === 'string' ? { text: reply } : reply;
  const text = result.text ?? (result.object === undefined ? '' : JSON.stringify(result.object));
  const toolCalls = (result.toolCalls ?? []).map((call, position) => ({
    id: call.id ?? `call_${callIndex}_${position}`,
    name: call.name,
    input: call.input,
  }));
  const usage: ModelUsage = {
    inputTokens: result.usage?.inputTokens ?? estimateInputTokens(request),
    outputTokens:
      result.usage?.outputTokens ??
      estimateTokens(text + (toolCalls.length > 0 ? JSON.stringify(toolCalls) : '')),
  };
  if (result.usage?.costUsd !== undefined) usage.costUsd = result.usage.costUsd;
  return {
    text,
    toolCalls,
    ...structuredObject(result, text, request, callIndex),
    usage,
    finishReason: result.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop'),
  };
}
