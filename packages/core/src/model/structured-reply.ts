import type { z } from 'zod';
import type { JsonValue } from '../contracts/common';
import { type InputIssue, InvalidInputError } from '../errors/aisre-error';
import { formatInputIssues, toInputIssues } from '../errors/zod-issues';
import { unwrapStructuredValue } from './json-schema';

/** The outcome of checking one structured reply against its schema. */
export type StructuredValidation<Output> =
  | {
      /** The reply matched. */
      success: true;
      /** The validated value. */
      value: Output;
    }
  | {
      /** The reply did not parse or did not match. */
      success: false;
      /** What is wrong, with field paths. */
      issues: InputIssue[];
    };

/**
 * Reads JSON out of a model's text: the text itself, or the inside of a ```` ```json ```` fence, or the
 * outermost `{…}` / `[…]` in it. Returns `undefined` when there is no JSON to read.
 *
 * @param text - the model's reply
 */
export function readJsonFromText(text: string): unknown {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  for (const [open, close] of [
    ['{', '}'],
    ['[', ']'],
  ] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start !== -1 && end > start) candidates.push(text.slice(start, end + 1));
  }
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/**
 * Checks a structured reply against its schema.
 *
 * @param reply - the reply: JSON text, an already parsed value (a tool input), or `undefined` when the
 *   model gave none
 * @param schema - the zod schema it must match
 * @param wrapped - true when the schema was sent wrapped as `{ value: … }` (see `toStructuredOutputSchema`)
 */
export function validateStructuredReply<Output>(
  reply: string | JsonValue | undefined,
  schema: z.ZodType<Output>,
  wrapped = false,
): StructuredValidation<Output> {
  if (reply === undefined) {
    return { success: false, issues: [{ path: [], message: 'no structured reply was given' }] };
  }
  const parsed = typeof reply === 'string' ? readJsonFromText(reply) : reply;
  if (parsed === undefined) {
    return { success: false, issues: [{ path: [], message: 'the reply is not JSON' }] };
  }
  const result = schema.safeParse(unwrapStructuredValue(parsed, wrapped));
  if (result.success) return { success: true, value: result.data };
  return { success: false, issues: toInputIssues(result.error) };
}

/** What {@link parseStructuredReply} needs. */
export interface StructuredReplyOptions<Output, Reply> {
  /** The module name that starts error messages, e.g. `llm-openai`. */
  module: string;
  /** The schema's name, for messages. */
  schemaName: string;
  /** The schema the reply must match. */
  schema: z.ZodType<Output>;
  /** True when the schema was sent wrapped as `{ value: … }`. */
  wrapped?: boolean;
  /** The model's first reply. */
  reply: Reply;
  /** Reads the structured part of a reply (its JSON text or its forced tool input). */
  extract: (reply: Reply) => string | JsonValue | undefined;
  /**
   * Asks the model once more, sending `feedback` (what was wrong) after its faulty `reply`, and
   * returns the new reply.
   */
  repair: (feedback: string, reply: Reply) => Promise<Reply>;
}

/** A structured reply that matched its schema. */
export interface StructuredReply<Output, Reply> {
  /** The validated value. */
  object: Output;
  /** The reply it came from (the repaired one when a repair was needed). */
  reply: Reply;
  /** True when the first reply failed and the repair attempt fixed it. */
  repaired: boolean;
}

/**
 * The message sent back to a model whose structured reply failed validation.
 *
 * @param schemaName - the schema's name
 * @param issues - what was wrong
 */
export function repairFeedback(schemaName: string, issues: readonly InputIssue[]): string {
  return (
    `Your reply does not match the JSON schema "${schemaName}": ${formatInputIssues(issues)}. ` +
    'Reply again with the corrected JSON only, matching the schema exactly.'
  );
}

/**
 * Validates a structured reply; when it fails, sends the validation error back to the model once
 * ({@link StructuredReplyOptions.repair}) and validates the answer. Throws an {@link InvalidInputError}
 * listing the issues when the repaired reply fails too.
 *
 * @param options - the reply, its schema, and how to extract and repair it
 */
export async function parseStructuredReply<Output, Reply>(
  options: StructuredReplyOptions<Output, Reply>,
): Promise<StructuredReply<Output, Reply>> {
  const first = validateStructuredReply(options.extract(options.reply), options.schema, options.wrapped);
  if (first.success) return { object: first.value, reply: options.reply, repaired: false };
  const repairedReply = await options.repair(repairFeedback(options.schemaName, first.issues), options.reply);
  const second = validateStructuredReply(options.extract(repairedReply), options.schema, options.wrapped);
  if (second.success) return { object: second.value, reply: repairedReply, repaired: true };
  throw new InvalidInputError(
    `${options.module}: the model's reply does not match the schema "${options.schemaName}" even after one repair attempt: ${formatInputIssues(second.issues)}: simplify the schema, make the prompt clearer or use a stronger model`,
    { issues: second.issues },
  );
}
