import type { z } from 'zod';
import type { Budget } from './budget';
import type { Clock, JsonValue, Logger } from './common';

/** What every tool run and capability call receives. */
export interface CallContext {
  /** Aborts the call; implementations must honour it and stop promptly. */
  signal: AbortSignal;
  /** Where to log. */
  logger: Logger;
  /** The clock of the run (the mock connector's "now", a replay's as-of time, or the wall clock). */
  clock: Clock;
}

/** What a tool run receives: the call context plus the budget it runs under. */
export interface ToolContext extends CallContext {
  /** The budget of the run, to read from (the caller has already charged the call). */
  budget: Budget;
}

/** What a tool returns: text for a model to read, and data for programs. */
export interface ToolResult<Data extends JsonValue = JsonValue> {
  /** A compact human- and model-readable rendering. */
  text: string;
  /** The structured result. */
  data: Data;
}

/**
 * A model-callable tool. Its `input` schema is validated before `run` is called and is turned into
 * JSON Schema for model adapters.
 */
export interface Tool<Input = unknown, Data extends JsonValue = JsonValue> {
  /** Unique name within its connector, `snake_case` (e.g. `redis_info`). */
  name: string;
  /** What it does and when to use it, for a model to read. */
  description: string;
  /** The schema of its input. */
  input: z.ZodType<Input>;
  /** Runs it. Must honour `context.signal` and report failures as {@link ConnectorError}s. */
  run(input: Input, context: ToolContext): Promise<ToolResult<Data>>;
}

/** A tool of any input, as connectors list them. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tools needs an open input type
export type AnyTool = Tool<any, JsonValue>;
