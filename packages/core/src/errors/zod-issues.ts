import type { z } from 'zod';
import { type InputIssue, InvalidInputError } from './aisre-error';

/** Turns zod issues into {@link InputIssue}s with plain paths. */
export function toInputIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    message: issue.message,
  }));
}

/** Formats issues as `a.b[2].c: message; …` for error messages. */
export function formatInputIssues(issues: readonly InputIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path
        .map((segment, index) =>
          typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
        )
        .join('');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates `value` with `schema` and returns the typed value, or throws an {@link InvalidInputError}
 * whose message starts with `what` and names every offending field.
 *
 * @param schema - the zod schema
 * @param value - the untrusted value
 * @param what - the module and thing being parsed, e.g. `core: signal`
 */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toInputIssues(result.error);
  throw new InvalidInputError(`${what} is invalid: ${formatInputIssues(issues)}`, {
    issues,
    cause: result.error,
  });
}
