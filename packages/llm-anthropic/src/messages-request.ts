import type { GenerateRequest, JsonSchema, JsonValue, ModelMessage } from '@aisre/core';

/** A content block as the Messages API takes it. */
type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonValue }
  | { type: 'tool_result'; tool_use_id: string; content: string };

/** A message as the Messages API takes it (a lone text block is sent as a plain string). */
type WireMessage = { role: 'user' | 'assistant'; content: string | ContentBlock[] };

function toBlocks(message: ModelMessage): { role: 'user' | 'assistant'; blocks: ContentBlock[] } {
  switch (message.role) {
    case 'user':
      return {
        role: 'user',
        blocks: message.content === '' ? [] : [{ type: 'text', text: message.content }],
      };
    case 'tool':
      return {
        role: 'user',
        blocks: [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }],
      };
    case 'assistant': {
      const blocks: ContentBlock[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
      for (const call of message.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
      }
      return { role: 'assistant', blocks };
    }
  }
}

/**
 * Turns the conversation into Messages API messages: tool replies become `tool_result` blocks of a user
 * message, consecutive messages of one role are merged (tool results first, as the API requires), and
 * empty text is left out (the API refuses empty text blocks).
 */
export function toWireMessages(messages: readonly ModelMessage[]): WireMessage[] {
  const merged: { role: 'user' | 'assistant'; blocks: ContentBlock[] }[] = [];
  for (const message of messages) {
    const next = toBlocks(message);
    if (next.blocks.length === 0) continue;
    const last = merged.at(-1);
    if (last && last.role === next.role) last.blocks.push(...next.blocks);
    else merged.push(next);
  }
  return merged.map(({ role, blocks }) => {
    const ordered =
      role === 'user'
        ? [
            ...blocks.filter((block) => block.type === 'tool_result'),
            ...blocks.filter((block) => block.type !== 'tool_result'),
          ]
        : blocks;
    const only = ordered[0];
    if (ordered.length === 1 && only?.type === 'text') return { role, content: only.text };
    return { role, content: ordered };
  });
}

/** The forced tool that carries a structured reply. */
export interface OutputTool {
  /** The tool's name. */
  name: string;
  /** Its input schema: the reply's JSON Schema. */
  inputSchema: JsonSchema;
}

/** What the body builder needs besides the request. */
export interface MessagesBodySettings {
  /** The model name. */
  model: string;
  /** `max_tokens`, required by the API. */
  maxTokens: number;
  /** The tool a structured reply is asked through, when a schema is given. */
  outputTool: OutputTool | undefined;
}

/**
 * Builds the JSON body of `POST /v1/messages` for `request`. A structured reply is asked for as a forced
 * tool call (`tool_choice: {type: 'tool'}`); when the request also offers tools, the model must call one
 * of them or the output tool (`tool_choice: {type: 'any'}`).
 */
export function toMessagesBody(
  request: GenerateRequest,
  settings: MessagesBodySettings,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: settings.model, max_tokens: settings.maxTokens };
  if (request.system) body.system = request.system;
  body.messages = toWireMessages(request.messages);
  const tools = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema,
  }));
  const outputTool = settings.outputTool;
  if (outputTool) {
    tools.push({
      name: outputTool.name,
      description:
        'Give your final answer as the input of this tool. It must match the input schema exactly.',
      input_schema: outputTool.inputSchema,
    });
    body.tool_choice = tools.length > 1 ? { type: 'any' } : { type: 'tool', name: outputTool.name };
  }
  if (tools.length > 0) body.tools = tools;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}
