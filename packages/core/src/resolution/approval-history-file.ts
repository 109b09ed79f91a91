import { z } from 'zod';
import { type ApprovalEntry, type ApprovalHistory, approvalEntrySchema } from './approval-history';
import { createJsonFileWriter, readJsonFile } from './json-file-storage';

/** Options of {@link createFileApprovalHistory}. */
export interface FileApprovalHistoryOptions {
  /** The JSON file (`{ "version": 1, "approvals": [...] }`); created on the first approval. */
  path: string;
}

const approvalFileSchema = z.object({ version: z.literal(1), approvals: z.array(approvalEntrySchema) });

/**
 * An {@link ApprovalHistory} kept in a JSON file. The file is read on every query (so approvals recorded by
 * another process count) and rewritten atomically on every record. A missing file is an empty history.
 *
 * @param options - the file path
 * @throws {@link InvalidInputError} (from the queries) when the file exists but is malformed, naming the field.
 */
export function createFileApprovalHistory(options: FileApprovalHistoryOptions): ApprovalHistory {
  const write = createJsonFileWriter(options.path);
  const load = async (): Promise<ApprovalEntry[]> =>
    ((await readJsonFile(options.path, approvalFileSchema, 'core: approval history'))?.approvals ??
      []) as ApprovalEntry[];
  let pending: Promise<unknown> = Promise.resolve();
  return {
    wasApproved: async (environment, actionType) =>
      (await load()).some((entry) => entry.environment === environment && entry.actionType === actionType),
    record(entry) {
      const recorded = pending.then(async () => {
        const approvals = await load();
        approvals.push({ ...entry });
        await write({ version: 1, approvals });
      });
      pending = recorded.catch(() => undefined);
      return recorded;
    },
    list: async (environment) =>
      (await load()).filter((entry) => environment === undefined || entry.environment === environment),
  };
}
