import { z } from 'zod';
import type { CancelledError, ModelError } from '../errors/aisre-error';
import { type JsonValue, jsonValueSchema } from './common';

/** A tool call a model asked for. */
export interface ModelToolCall {
  /** The call id, to answer with a `tool` message. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments, parsed from the model's JSON. */
  input: JsonValue;
}

/** One message of a conversation with a model. */
export type ModelMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string };

/** Zod schema of a {@link ModelMessage}. */
export const modelMessageSchema: z.ZodType<ModelMessage> = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: jsonValueSchema })).optional(),
  }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), toolName: z.string(), content: z.string() }),
]);

/** A tool as offered to a model: its input schema already turned into JSON Schema. */
export interface ModelToolDefinition {
  /** The tool's name. */
  name: string;
  /** What it does. */
  description: string;
  /** JSON Schema of its input. */
  inputSchema: Record<string, JsonValue>;
}

/** Structured output asked of a model: the reply must match this schema. */
export interface ModelOutputSchema<Output = unknown> {
  /** A name for the schema (some APIs require one). */
  name: string;
  /** The zod schema the reply is validated against (adapters send its JSON Schema). */
  schema: z.ZodType<Output>;
}

/** A request to a model. */
export interface GenerateRequest<Output = unknown> {
  /** The system prompt. */
  system?: string;
  /** The conversation. */
  messages: ModelMessage[];
  /** Tools the model may call. */
  tools?: ModelToolDefinition[];
  /** Structured output: when given, the result's `object` is the validated reply. */
  schema?: ModelOutputSchema<Output>;
  /** The most output tokens to produce (also what the budget reserves). */
  maxOutputTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** Token use and cost of a model call. */
export interface ModelUsage {
  /** Input (prompt) tokens. */
  inputTokens: number;
  /** Output (completion) tokens. */
  outputTokens: number;
  /** Cost in US dollars, when a price is known. */
  costUsd?: number;
}

/** Zod schema of {@link ModelUsage}. */
export const modelUsageSchema: z.ZodType<ModelUsage> = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().optional(),
});

/** What a model answered. */
export interface GenerateResult<Output = unknown> {
  /** The text of the reply. */
  text: string;
  /** Tool calls it asked for. */
  toolCalls: ModelToolCall[];
  /** The validated structured reply, when a schema was given. */
  object?: Output;
  /** Token use and cost. */
  usage: ModelUsage;
  /** Why it stopped. */
  finishReason?: 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';
}

/**
 * A language model. Adapters (`@aisre/llm-*`) translate to their wire protocol; the core never sees HTTP.
 * Failures are {@link ModelError}s (with `isRetryable`); aborts are {@link CancelledError}s.
 */
export interface LanguageModel {
  /** Provider and model, e.g. `openai:gpt-4.1-mini`. */
  readonly name: string;
  /** Generates a reply. */
  generate<Output = unknown>(request: GenerateRequest<Output>): Promise<GenerateResult<Output>>;
}
