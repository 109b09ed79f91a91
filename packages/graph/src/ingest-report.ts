import type { GraphInputError } from './graph-errors';

/** A document an ingester left out on purpose, and why. */
export interface SkippedDocument {
  /** Index of the document in the input. */
  readonly documentIndex: number;
  /** Path inside the document when it was an item of a list (`items[3]`). */
  readonly path?: string;
  /** Its kind, when known (`Secret`, `ReplicaSet`). */
  readonly kind?: string;
  /** Its name, when known. */
  readonly name?: string;
  /** Why it was skipped. */
  readonly reason: string;
}

/** What an ingester did. Bad documents are reported here, never thrown. */
export interface IngestReport {
  /** Documents (objects, spans, messages) turned into facts. */
  readonly ingested: number;
  /** Documents left out on purpose. */
  readonly skipped: readonly SkippedDocument[];
  /** Malformed documents, each with its index and field path; nothing of them was stored. */
  readonly errors: readonly GraphInputError[];
  /** Nodes the graph did not have before. */
  readonly nodesCreated: number;
  /** Edges the graph did not have before. */
  readonly edgesCreated: number;
}
