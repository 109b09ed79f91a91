import { z } from 'zod';
import { type IsoTime, isoTimeSchema } from '../contracts/common';
import { type EntityRef, entityRefSchema } from '../contracts/entity-ref';

/** One approval a human gave: which action type, where, by whom, when. */
export interface ApprovalEntry {
  /** The environment it was approved in. */
  environment: string;
  /** The action type approved (`redis.config-set`). */
  actionType: string;
  /** The entity the action changed. */
  target: EntityRef;
  /** The id of the approved proposal. */
  proposal: string;
  /** Who approved it. */
  approver: string;
  /** When, on the resolver's clock. */
  at: IsoTime;
}

/** Zod schema of an {@link ApprovalEntry}. */
export const approvalEntrySchema: z.ZodType<ApprovalEntry> = z.object({
  environment: z.string().min(1),
  actionType: z.string().min(1),
  target: entityRefSchema,
  proposal: z.string().min(1),
  approver: z.string().min(1),
  at: isoTimeSchema,
});

/**
 * Where past approvals are kept, so `onlyIfApprovedBefore` rules can let an action type through once a human
 * has approved it in the same environment. Pluggable: in memory ({@link createInMemoryApprovalHistory}), a
 * JSON file ({@link createFileApprovalHistory}), or a host's own store.
 */
export interface ApprovalHistory {
  /** True when an action of this type was approved before in this environment. */
  wasApproved(environment: string, actionType: string): Promise<boolean>;
  /** Records an approval. */
  record(entry: ApprovalEntry): Promise<void>;
  /** Every approval recorded, oldest first (optionally only those of one environment). */
  list(environment?: string): Promise<ApprovalEntry[]>;
}

/**
 * An {@link ApprovalHistory} kept in memory: for tests and for hosts that persist it themselves.
 *
 * @param entries - approvals known from the start
 */
export function createInMemoryApprovalHistory(entries: readonly ApprovalEntry[] = []): ApprovalHistory {
  const approvals = entries.map((entry) => ({ ...entry }));
  return {
    wasApproved: async (environment, actionType) =>
      approvals.some((entry) => entry.environment === environment && entry.actionType === actionType),
    async record(entry) {
      approvals.push({ ...entry });
    },
    list: async (environment) =>
      approvals
        .filter((entry) => environment === undefined || entry.environment === environment)
        .map((entry) => ({ ...entry })),
  };
}
