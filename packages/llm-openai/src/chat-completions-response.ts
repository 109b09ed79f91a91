import {
  findModelPrice,
  type GenerateResult,
  type JsonValue,
  jsonValueSchema,
  ModelError,
  type ModelToolCall,
  type PriceTable,
  usageWithCost,
} from '@aisre/core';
import { z } from 'zod';
import { moduleName } from './openai-settings';

/** The fields of a Chat Completions answer the adapter reads (others are ignored). */
const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                function: z.object({ name: z.string(), arguments: z.string().nullish() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

const finishReasons: Readonly<Record<string, GenerateResult['finishReason']>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

function parseArguments(name: string, text: string | null | undefined): JsonValue {
  if (text === undefined || text === null || text.trim() === '') return {};
  try {
    return jsonValueSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ModelError(
      `${moduleName}: the model called tool "${name}" with arguments that are not JSON (${text.slice(0, 120)}): retry the call or use a model with reliable tool calling`,
      { cause: error },
    );
  }
}

/** What {@link toChatReply} needs to price and estimate. */
export interface ResultContext {
  /** The model asked for (priced when the answer names none). */
  model: string;
  /** Prices by model. */
  prices: PriceTable;
  /** Input tokens to report when the server reports no usage. */
  estimatedInputTokens: number;
}

/** A reply as read from the wire: the result, plus the model's refusal when it refused. */
export interface ChatReply {
  /** The result without `object`. */
  result: GenerateResult<never>;
  /** The refusal message (structured outputs), when the model refused. */
  refusal: string | undefined;
}

/** Turns a Chat Completions answer into a {@link ChatReply}; throws a `ModelError` for unexpected shapes. */
export function toChatReply(body: unknown, context: ResultContext): ChatReply {
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    throw new ModelError(
      `${moduleName}: the answer is not a chat completion (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}): check that the base URL points at an OpenAI-compatible API`,
      { cause: parsed.error },
    );
  }
  const completion = parsed.data;
  // min(1) above guarantees a first choice.
  const choice = completion.choices[0]!;
  const toolCalls: ModelToolCall[] = (choice.message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    input: parseArguments(call.function.name, call.function.arguments),
  }));
  const text = choice.message.content ?? '';
  const price =
    findModelPrice(completion.model ?? context.model, context.prices) ??
    findModelPrice(context.model, context.prices);
  const usage = completion.usage
    ? usageWithCost(completion.usage.prompt_tokens, completion.usage.completion_tokens, price)
    : usageWithCost(context.estimatedInputTokens, Math.ceil(text.length / 4), price);
  const result: GenerateResult<never> = { text, toolCalls, usage };
  const reason = choice.finish_reason;
  if (reason) result.finishReason = finishReasons[reason] ?? 'other';
  return { result, refusal: choice.message.refusal ?? undefined };
}
