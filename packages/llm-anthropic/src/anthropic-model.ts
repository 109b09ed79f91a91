import {
  addUsage,
  estimateInputTokens,
  findModelPrice,
  type GenerateRequest,
  type GenerateResult,
  InvalidInputError,
  type LanguageModel,
  ModelError,
  type ModelMessage,
  parseStructuredReply,
  postJson,
  runWithModelBudget,
  toStructuredOutputSchema,
  toWireName,
} from '@aisre/core';
import { moduleName, resolveAnthropicSettings } from './anthropic-settings';
import { type OutputTool, toMessagesBody } from './messages-request';
import { type MessagesReply, toMessagesReply } from './messages-response';
import type { AnthropicModelOptions } from './types';

function outputToolName(schemaName: string, request: GenerateRequest): string {
  const name = toWireName(schemaName);
  return (request.tools ?? []).some((tool) => tool.name === name) ? toWireName(`${name}_output`) : name;
}

/** The messages that send a faulty structured reply back with what was wrong. */
function repairMessages(reply: MessagesReply, outputTool: OutputTool, feedback: string): ModelMessage[] {
  if (!reply.outputCall) {
    return [
      { role: 'assistant', content: reply.result.text },
      { role: 'user', content: `${feedback} Answer by calling the tool "${outputTool.name}".` },
    ];
  }
  return [
    {
      role: 'assistant',
      content: reply.result.text,
      toolCalls: [{ id: reply.outputCall.id, name: outputTool.name, input: reply.outputCall.input }],
    },
    { role: 'tool', toolCallId: reply.outputCall.id, toolName: outputTool.name, content: feedback },
  ];
}

/**
 * Creates a `LanguageModel` on the Anthropic Messages API (`POST {baseURL}/v1/messages`).
 *
 * Tools are sent with their `input_schema`; tool calls come back from `tool_use` blocks and tool replies
 * go out as `tool_result` blocks. A `schema` is asked for as a forced tool whose input is the reply
 * (`tool_choice: {type: 'tool'}`, or `{type: 'any'}` when other tools are offered too, in which case a
 * reply that calls those tools has no `object`). The reply is validated, with one repair attempt that
 * sends the validation error back as the tool's result (its usage is added to the result's). `max_tokens`
 * is always sent: `maxOutputTokens` of the request, else of the options, else 4096.
 *
 * Failures are `ModelError`s (`isRetryable`, `status`); 429, 5xx (529 included) and network errors are
 * retried first. Aborts and timeouts are `CancelledError`s (code `cancelled` or `timeout`).
 *
 * @param options - key, base URL, model and the rest; each falls back to its environment variable
 *   (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `ANTHROPIC_MODEL`), then its default
 */
export function createAnthropicModel(options: AnthropicModelOptions = {}): LanguageModel {
  const settings = resolveAnthropicSettings(options);
  const statusHints = {
    401: 'set ANTHROPIC_API_KEY or pass apiKey',
    403: `check that the API key may use the model "${settings.model}"`,
    404: `check the base URL (${settings.baseURL}) and the model name ("${settings.model}"; set ANTHROPIC_MODEL or pass model)`,
    529: 'Anthropic is overloaded: try again later',
  };

  function call(request: GenerateRequest, outputTool: OutputTool | undefined): Promise<MessagesReply> {
    const maxTokens = request.maxOutputTokens ?? settings.maxOutputTokens;
    const estimate = {
      inputTokens: estimateInputTokens(request),
      maxOutputTokens: maxTokens,
      price: findModelPrice(settings.model, settings.prices),
    };
    return runWithModelBudget(
      settings.budget,
      estimate,
      async () => {
        const response = await postJson({
          ...settings,
          module: moduleName,
          body: toMessagesBody(request, { model: settings.model, maxTokens, outputTool }),
          signal: request.signal,
          statusHints,
        });
        return toMessagesReply(response.body, {
          model: settings.model,
          prices: settings.prices,
          outputToolName: outputTool?.name,
        });
      },
      (reply) => reply.result.usage,
    );
  }

  return {
    name: `anthropic:${settings.model}`,
    async generate<Output>(request: GenerateRequest<Output>): Promise<GenerateResult<Output>> {
      if (request.messages.length === 0) {
        throw new InvalidInputError(
          `${moduleName}: the request has no messages: add at least one user message`,
        );
      }
      if (settings.requiresApiKey && !settings.apiKey) {
        throw new ModelError(`${moduleName}: no API key: set ANTHROPIC_API_KEY or pass apiKey`);
      }
      const schema = request.schema;
      if (!schema) return (await call(request, undefined)).result;
      const output = toStructuredOutputSchema(schema.schema);
      const outputTool: OutputTool = {
        name: outputToolName(schema.name, request),
        inputSchema: output.jsonSchema,
      };
      const first = await call(request, outputTool);
      if (!first.outputCall && first.result.toolCalls.length > 0) return first.result;
      const structured = await parseStructuredReply({
        module: moduleName,
        schemaName: schema.name,
        schema: schema.schema,
        wrapped: output.wrapped,
        reply: first,
        // A server that ignores tool_choice may still answer with JSON text: read it then.
        extract: (reply) =>
          reply.outputCall?.input ?? (reply.result.text === '' ? undefined : reply.result.text),
        repair: (feedback, reply) =>
          call(
            { ...request, messages: [...request.messages, ...repairMessages(reply, outputTool, feedback)] },
            outputTool,
          ),
      });
      const usage = structured.repaired
        ? addUsage(first.result.usage, structured.reply.result.usage)
        : first.result.usage;
      return { ...structured.reply.result, object: structured.object, usage };
    },
  };
}
