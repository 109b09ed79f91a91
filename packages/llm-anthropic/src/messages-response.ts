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
import { moduleName } from './anthropic-settings';

/** The fields of a Messages answer the adapter reads (others, and other block types, are ignored). */
const messageSchema = z.object({
  model: z.string().optional(),
  content: z.array(
    z.object({
      type: z.string(),
      text: z.string().optional(),
      id: z.string().optional(),
      name: z.string().optional(),
      input: jsonValueSchema.optional(),
    }),
  ),
  stop_reason: z.string().nullish(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
});

const stopReasons: Readonly<Record<string, GenerateResult['finishReason']>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** A reply as read from the wire: the result, plus the forced output tool's call when it was made. */
export interface MessagesReply {
  /** The result without `object`; its tool calls exclude the output tool. */
  result: GenerateResult<never>;
  /** The call of the output tool (the structured reply), when the model made it. */
  outputCall: { id: string; input: JsonValue } | undefined;
}

/** What {@link toMessagesReply} needs. */
export interface ReplyContext {
  /** The model asked for (priced when the answer names none). */
  model: string;
  /** Prices by model. */
  prices: PriceTable;
  /** The name of the output tool, when a structured reply was asked for. */
  outputToolName: string | undefined;
}

/** Turns a Messages answer into a {@link MessagesReply}; throws a `ModelError` for unexpected shapes. */
export function toMessagesReply(body: unknown, context: ReplyContext): MessagesReply {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) {
    throw new ModelError(
      `${moduleName}: the answer is not a message (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}): check that the base URL points at the Anthropic Messages API`,
      { cause: parsed.error },
    );
  }
  const message = parsed.data;
  const texts: string[] = [];
  const toolCalls: ModelToolCall[] = [];
  let outputCall: MessagesReply['outputCall'];
  for (const block of message.content) {
    if (block.type === 'text' && block.text !== undefined) texts.push(block.text);
    if (block.type !== 'tool_use' || block.id === undefined || block.name === undefined) continue;
    const input = block.input ?? {};
    if (block.name === context.outputToolName) outputCall = { id: block.id, input };
    else toolCalls.push({ id: block.id, name: block.name, input });
  }
  const price =
    findModelPrice(message.model ?? context.model, context.prices) ??
    findModelPrice(context.model, context.prices);
  const result: GenerateResult<never> = {
    text: texts.join(''),
    toolCalls,
    usage: usageWithCost(message.usage.input_tokens, message.usage.output_tokens, price),
  };
  const reason = message.stop_reason;
  if (reason) {
    const mapped = stopReasons[reason] ?? 'other';
    result.finishReason = mapped === 'tool-calls' && toolCalls.length === 0 ? 'stop' : mapped;
  }
  return { result, outputCall };
}
