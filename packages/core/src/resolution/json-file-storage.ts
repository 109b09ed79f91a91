import { readFile, rename, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/**
 * Reads and validates a JSON file; `undefined` when the file does not exist.
 *
 * @throws {@link InvalidInputError} naming the file and the offending field when it is not valid.
 */
export async function readJsonFile<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  what: string,
): Promise<z.output<Schema> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `${what} ${path} is not valid JSON: ${(error as Error).message}; fix or delete the file`,
      { issues: [{ path: [], message: 'not valid JSON' }], cause: error },
    );
  }
  return parseWith(schema, value, `${what} ${path}`);
}

/**
 * Serialises writes to one file and makes each atomic (a temporary file renamed over the target), so a
 * crash never leaves half a file and two writes of one process never interleave.
 */
export function createJsonFileWriter(path: string): (value: unknown) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  let sequence = 0;
  return (value) => {
    sequence++;
    const temporary = `${path}.${process.pid}.${sequence}.tmp`;
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const write = queue.then(async () => {
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, path);
    });
    queue = write.catch(() => undefined);
    return write;
  };
}
