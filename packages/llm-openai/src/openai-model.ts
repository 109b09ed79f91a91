import {
  addUsage,
  estimateInputTokens,
  findModelPrice,
  type GenerateRequest,
  type GenerateResult,
  InvalidInputError,
  type JsonSchema,
  type LanguageModel,
  ModelError,
  parseStructuredReply,
  postJson,
  runWithModelBudget,
  toStructuredOutputSchema,
} from '@aisre/core';
import { toChatCompletionsBody } from './chat-completions-request';
import { type ChatReply, toChatReply } from './chat-completions-response';
import { moduleName, resolveOpenAISettings } from './openai-settings';
import type { OpenAIModelOptions } from './types';

function refusalError(refusal: string): ModelError {
  return new ModelError(
    `${moduleName}: the model refused to answer in the requested schema ("${refusal.slice(0, 200)}"): rephrase the request`,
  );
}

/**
 * Creates a `LanguageModel` on an OpenAI-compatible Chat Completions API (`POST {baseURL}/chat/completions`):
 * OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio and other compatible servers.
 *
 * Tools are sent as `function` tools; a `schema` is sent as a `json_schema` response format (`strict` when
 * the schema allows it) and the reply is validated, with one repair attempt that sends the validation
 * error back to the model (its usage is added to the result's). When the model calls tools instead of
 * replying, `object` is absent. Failures are `ModelError`s (`isRetryable`, `status`); 429, 5xx and network
 * errors are retried first. Aborts and timeouts are `CancelledError`s (code `cancelled` or `timeout`).
 *
 * @param options - key, base URL, model and the rest; each falls back to its environment variable
 *   (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_MODEL`), then its default
 */
export function createOpenAIModel(options: OpenAIModelOptions = {}): LanguageModel {
  const settings = resolveOpenAISettings(options);
  const statusHints = {
    401: 'set OPENAI_API_KEY or pass apiKey',
    403: `check that the API key may use the model "${settings.model}"`,
    404: `check the base URL (${settings.baseURL}) and the model name ("${settings.model}"; set OPENAI_MODEL or pass model)`,
  };

  function call(request: GenerateRequest, outputSchema: JsonSchema | undefined): Promise<ChatReply> {
    const estimatedInputTokens = estimateInputTokens(request);
    const estimate = {
      inputTokens: estimatedInputTokens,
      maxOutputTokens: request.maxOutputTokens ?? settings.defaultMaxOutputTokens,
      price: findModelPrice(settings.model, settings.prices),
    };
    return runWithModelBudget(
      settings.budget,
      estimate,
      async () => {
        const response = await postJson({
          ...settings,
          module: moduleName,
          body: toChatCompletionsBody(request, {
            model: settings.model,
            maxTokensParameter: settings.maxTokensParameter,
            outputSchema,
          }),
          signal: request.signal,
          statusHints,
        });
        return toChatReply(response.body, {
          model: settings.model,
          prices: settings.prices,
          estimatedInputTokens,
        });
      },
      (reply) => reply.result.usage,
    );
  }

  return {
    name: `openai:${settings.model}`,
    async generate<Output>(request: GenerateRequest<Output>): Promise<GenerateResult<Output>> {
      if (request.messages.length === 0) {
        throw new InvalidInputError(
          `${moduleName}: the request has no messages: add at least one user message`,
        );
      }
      if (settings.requiresApiKey && !settings.apiKey) {
        throw new ModelError(`${moduleName}: no API key: set OPENAI_API_KEY or pass apiKey`);
      }
      const schema = request.schema;
      const output = schema ? toStructuredOutputSchema(schema.schema) : undefined;
      const first = await call(request, output?.jsonSchema);
      if (!schema || !output || first.result.toolCalls.length > 0) return first.result;
      if (first.refusal) throw refusalError(first.refusal);
      const structured = await parseStructuredReply({
        module: moduleName,
        schemaName: schema.name,
        schema: schema.schema,
        wrapped: output.wrapped,
        reply: first,
        extract: (reply) => reply.result.text,
        repair: async (feedback, reply) => {
          const repaired = await call(
            {
              ...request,
              messages: [
                ...request.messages,
                { role: 'assistant', content: reply.result.text },
                { role: 'user', content: feedback },
              ],
            },
            output.jsonSchema,
          );
          if (repaired.refusal) throw refusalError(repaired.refusal);
          return repaired;
        },
      });
      const usage = structured.repaired
        ? addUsage(first.result.usage, structured.reply.result.usage)
        : first.result.usage;
      return { ...structured.reply.result, object: structured.object, usage };
    },
  };
}
