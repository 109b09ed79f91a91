import type { Budget } from '../contracts/budget';
import type { Clock, JsonValue, Logger } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type {
  GenerateRequest,
  GenerateResult,
  LanguageModel,
  ModelMessage,
  ModelToolDefinition,
} from '../contracts/language-model';
import type { AnyTool, ToolResult } from '../contracts/tool';
import { toJsonSchema } from '../model/json-schema';
import { estimateInputTokens } from '../model/model-budget';
import { redactSecrets } from '../model/redact-secrets';
import type { CallGateway } from './call-gateway';
import { toJsonValue } from './canonical-json';
import type { ModelCaller } from './model-reasoning';

/** Removes secrets from every text that would reach a model. */
export function redactRequest<Output>(
  request: Omit<GenerateRequest<Output>, 'signal'>,
): Omit<GenerateRequest<Output>, 'signal'> {
  const messages = request.messages.map((message): ModelMessage => {
    if (message.role === 'assistant') {
      return {
        ...message,
        content: redactSecrets(message.content),
        ...(message.toolCalls
          ? {
              toolCalls: message.toolCalls.map((call) => ({
                ...call,
                input: JSON.parse(redactSecrets(JSON.stringify(call.input))) as JsonValue,
              })),
            }
          : {}),
      };
    }
    return { ...message, content: redactSecrets(message.content) };
  });
  return { ...request, ...(request.system ? { system: redactSecrets(request.system) } : {}), messages };
}

/**
 * The engine's {@link ModelCaller}: redacts secrets, reserves the model tokens the call may use (input
 * estimate + maximum output) before it starts, records a `model.generate` step, and refunds the unused part.
 * Cost is known only after the call: it is charged up to what the budget has left.
 */
export function createModelCaller(model: LanguageModel, gateway: CallGateway, budget: Budget): ModelCaller {
  return async (request, options) => {
    const redacted = redactRequest(request);
    const maxOutputTokens = redacted.maxOutputTokens ?? 1024;
    const reservation = estimateInputTokens(redacted as GenerateRequest) + maxOutputTokens;
    const step = gateway.reserve({ modelTokens: reservation });
    if (step === undefined) return undefined;
    const input: JsonValue = toJsonValue({
      purpose: options.purpose,
      ...(options.hypothesis ? { hypothesis: options.hypothesis } : {}),
      system: redacted.system ?? null,
      messages: redacted.messages,
      tools: redacted.tools?.map((tool) => tool.name) ?? [],
      schema: redacted.schema?.name ?? null,
    });
    const outcome = await gateway.run(step, {
      tool: 'model.generate',
      provider: model.name,
      input,
      ...(options.hypothesis ? { hypothesis: options.hypothesis } : {}),
      run: async (signal) => {
        const reply = await model.generate({ ...redacted, maxOutputTokens, signal });
        return {
          text: reply.text,
          toolCalls: reply.toolCalls,
          object: reply.object ?? null,
          usage: reply.usage,
        };
      },
    });
    if (outcome.kind !== 'ok') {
      budget.refund({ modelTokens: reservation });
      return undefined;
    }
    const output = outcome.output as unknown as {
      text: string;
      toolCalls: GenerateResult['toolCalls'];
      object: unknown;
      usage: GenerateResult['usage'];
    };
    const used = output.usage.inputTokens + output.usage.outputTokens;
    if (used < reservation) budget.refund({ modelTokens: reservation - used });
    const cost = output.usage.costUsd ?? 0;
    if (cost > 0) budget.charge({ costUsd: Math.min(cost, budget.remaining().costUsd) });
    return {
      text: output.text,
      toolCalls: output.toolCalls,
      usage: output.usage,
      ...(output.object === null ? {} : { object: output.object as never }),
    };
  };
}

/** The connectors' tools, as offered to a model, with the connector that serves each (first name wins). */
export function collectTools(connectors: readonly Connector[]): {
  definitions: ModelToolDefinition[];
  byName: Map<string, { tool: AnyTool; connector: Connector }>;
} {
  const byName = new Map<string, { tool: AnyTool; connector: Connector }>();
  const definitions: ModelToolDefinition[] = [];
  for (const connector of connectors) {
    for (const tool of connector.tools) {
      if (byName.has(tool.name)) continue;
      byName.set(tool.name, { tool, connector });
      definitions.push({
        name: tool.name,
        description: tool.description,
        inputSchema: toJsonSchema(tool.input) as Record<string, JsonValue>,
      });
    }
  }
  return { definitions, byName };
}

/** Runs a tool with a validated input through the gateway; returns its text (redacted) or undefined on failure. */
export async function runPlannedTool(
  gateway: CallGateway,
  entry: { tool: AnyTool; connector: Connector },
  input: JsonValue,
  context: { budget: Budget; clock: Clock; logger: Logger; hypothesis: string },
): Promise<{ step: number; text: string } | { step: number | undefined; error: string }> {
  const parsed = entry.tool.input.safeParse(input);
  if (!parsed.success)
    return {
      step: undefined,
      error: `the model gave ${entry.tool.name} an invalid input: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    };
  const outcome = await gateway.call({
    tool: `tool:${entry.tool.name}`,
    provider: entry.connector.name,
    input,
    hypothesis: context.hypothesis,
    run: async (signal) => {
      const result: ToolResult = await entry.tool.run(parsed.data, {
        signal,
        budget: context.budget,
        clock: context.clock,
        logger: context.logger,
      });
      return { text: result.text, data: result.data };
    },
  });
  if (outcome.kind === 'refused') return { step: undefined, error: outcome.reason };
  if (outcome.kind === 'failed') return { step: outcome.step, error: outcome.error.message };
  const text = (outcome.output as { text?: string }).text ?? '';
  return { step: outcome.step, text: redactSecrets(text) };
}
