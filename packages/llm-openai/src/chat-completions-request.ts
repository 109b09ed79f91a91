import type { GenerateRequest, JsonSchema, ModelMessage } from '@aisre/core';
import { isStrictJsonSchema, toWireName } from '@aisre/core';
import type { OpenAIMaxTokensParameter } from './types';

/** A message as the Chat Completions API takes it. */
type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
    }
  | { role: 'tool'; tool_call_id: string; content: string };

function toChatMessage(message: ModelMessage): ChatMessage {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      };
    }
  }
}

/** What the body builder needs besides the request. */
export interface ChatCompletionsBodySettings {
  /** The model name. */
  model: string;
  /** Where `maxOutputTokens` goes. */
  maxTokensParameter: OpenAIMaxTokensParameter;
  /** The JSON Schema of the structured reply, when one is asked for. */
  outputSchema: JsonSchema | undefined;
}

/** Builds the JSON body of `POST /chat/completions` for `request`. */
export function toChatCompletionsBody(
  request: GenerateRequest,
  settings: ChatCompletionsBodySettings,
): Record<string, unknown> {
  const messages: ChatMessage[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  messages.push(...request.messages.map(toChatMessage));
  const body: Record<string, unknown> = { model: settings.model, messages };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    }));
  }
  if (request.maxOutputTokens !== undefined) body[settings.maxTokensParameter] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.schema && settings.outputSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: toWireName(request.schema.name),
        schema: settings.outputSchema,
        strict: isStrictJsonSchema(settings.outputSchema),
      },
    };
  }
  return body;
}
