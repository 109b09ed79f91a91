import type { z } from 'zod';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { safeParseWithoutCopy } from './schema-fast-check';

/**
 * Internal: the error for a snapshot that cannot be loaded.
 *
 * @param message - What is wrong.
 * @param path - Where (`nodes.refs[3]`), `''` for the whole snapshot.
 * @returns The error.
 */
export function invalidSnapshot(message: string, path: string): GraphInputError {
  return new GraphInputError(
    'invalid-snapshot',
    `graph-snapshot: ${path === '' ? '' : `${path}: `}${message}. Load a snapshot written by @aisre/graph.`,
    { path },
  );
}

/**
 * Internal: joins a field path to a prefix (`nodes[3]` + `values.replicas`).
 *
 * @param prefix - Where the validated value sits, `''` at the top.
 * @param path - The path inside it.
 * @returns The full path.
 */
export function joinFieldPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * Internal: validates a part of a snapshot with zod (without zod's copy when nothing needs
 * transforming), or throws the first issue as an `invalid-snapshot` error with its path.
 *
 * @param schema - The zod schema.
 * @param value - The value.
 * @param prefix - Where the value sits in the snapshot.
 * @returns The validated value.
 */
export function parseSnapshotPart<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const parsed = safeParseWithoutCopy(schema, value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalidSnapshot(
    issue?.message ?? 'invalid',
    joinFieldPath(prefix, formatFieldPath(issue?.path ?? [])),
  );
}
