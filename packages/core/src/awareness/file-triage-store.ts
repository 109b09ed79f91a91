import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isoTimeSchema } from '../contracts/common';
import { entityRefSchema } from '../contracts/entity-ref';
import { AisreError, InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { type TriageStoreContent, triageStoreOver } from './memory-triage-store';
import type { PatternStatistics, SituationRecord, TriageStore } from './types';

/** Options of {@link createFileTriageStore}. */
export interface FileTriageStoreOptions {
  /** The JSON file (created with its folder on the first write). */
  path: string;
  /** Situation records kept, most recently decided first (default 1000); pattern statistics are all kept. */
  maxSituations?: number;
}

const count = z.number().int().nonnegative();
const outcomeSchema = z.enum(['useful', 'noise', 'missed']);
const patternSchema = z.object({
  key: z.string().min(1),
  alertname: z.string(),
  entityKind: z.string(),
  entity: entityRefSchema.optional(),
  useful: count,
  noise: count,
  missed: count,
  updatedAt: isoTimeSchema,
});
const situationSchema = z.object({
  id: z.string().min(1),
  patterns: z.array(z.object({ alertname: z.string(), entityKind: z.string(), entity: entityRefSchema })),
  decision: z.enum(['ignore', 'watch', 'investigate', 'escalate']),
  score: z.number(),
  decidedAt: isoTimeSchema,
  outcome: outcomeSchema.optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  patterns: z.record(z.string(), patternSchema),
  situations: z.record(z.string(), situationSchema),
});

/**
 * A {@link TriageStore} in a JSON file (node:fs/promises): read once on first use, written whole after every
 * change (to a temporary file, then renamed, so a crash never leaves half a file). One awareness instance
 * should write a file at a time; a new instance on the same file picks up what was learned.
 *
 * @param options - the file path and how many situation records to keep
 */
export function createFileTriageStore(options: FileTriageStoreOptions): TriageStore {
  const maxSituations = options.maxSituations ?? 1000;
  let loading: Promise<TriageStoreContent> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = () => {
    loading ??= readContent(options.path).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const persist = (content: TriageStoreContent) => {
    const ids = Object.keys(content.situations);
    if (ids.length > maxSituations) {
      const byAge = ids.sort((a, b) =>
        (content.situations[a]?.decidedAt ?? '') < (content.situations[b]?.decidedAt ?? '') ? 1 : -1,
      );
      for (const id of byAge.slice(maxSituations)) delete content.situations[id];
    }
    const text = `${JSON.stringify({ version: 1, ...content }, null, 2)}\n`;
    writing = writing.catch(() => undefined).then(() => writeAtomically(options.path, text));
    return writing;
  };
  return triageStoreOver(load, persist);
}

async function readContent(path: string): Promise<TriageStoreContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { patterns: {}, situations: {} };
    throw new AisreError(
      'internal',
      `core: awareness: cannot read the triage store ${path}: check its permissions`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `core: awareness: triage store ${path} is not JSON (${error instanceof Error ? error.message : String(error)}): fix or delete it`,
      { cause: error, issues: [{ path: [], message: 'expected JSON' }] },
    );
  }
  const parsed = parseWith(fileSchema, json, `core: awareness: triage store ${path} (fix or delete it)`);
  return {
    patterns: parsed.patterns as Record<string, PatternStatistics>,
    situations: parsed.situations as Record<string, SituationRecord>,
  };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    throw new AisreError(
      'internal',
      `core: awareness: cannot write the triage store ${path}: check the folder`,
      {
        cause: error,
      },
    );
  }
}
