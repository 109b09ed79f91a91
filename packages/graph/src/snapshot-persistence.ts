import { z } from 'zod';
import type { EntityRef } from './entity-ref';
import { confidenceOf, sameFacts } from './fact-record';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { edgeKeyOf, type NodeState } from './graph-state';
import { GraphStore, storeOf } from './graph-store';
import type { KnowledgeGraphOptions } from './graph-types';
import { canonicalJson, type JsonValue } from './json-value';
import type { KnowledgeGraph } from './knowledge-graph';
import { decodeSnapshotInto, encodeSnapshot } from './snapshot-codec';
import type { GraphSnapshot, GraphSnapshotV1 } from './snapshot-types';

/**
 * Loads a graph from a snapshot written by {@link KnowledgeGraph.snapshot}, of this version or an
 * earlier one (version 1 snapshots are read too). The snapshot is validated as it is read: its
 * structure by zod, then indexes, column lengths and duplicates; a snapshot that fails any check
 * builds nothing.
 *
 * @param snapshot - The snapshot object, or its JSON text.
 * @param options - Clock, freshness horizons, edge roles of the new graph.
 * @returns The graph.
 * @throws {@link GraphInputError} with code `invalid-snapshot` and the field path.
 */
export function loadSnapshot(snapshot: unknown, options: KnowledgeGraphOptions = {}): KnowledgeGraph {
  const store = new GraphStore(options);
  // A new graph: built while reading; on an error the partial graph is simply dropped.
  decodeSnapshotInto(snapshot, store);
  return store;
}

/** How one attribute's current value differs between two snapshots. */
export interface AttributeChange {
  /** Attribute name. */
  readonly name: string;
  /** Current value before; absent when the attribute is new. */
  readonly before?: JsonValue;
  /** Current value after; absent when the attribute is gone. */
  readonly after?: JsonValue;
}

/** How a node or edge present in both snapshots differs. */
export interface SubjectChange {
  /** Node reference or edge key. */
  readonly subject: string;
  /** Attributes whose current value differs. */
  readonly attributes: readonly AttributeChange[];
  /** Existence confidence before. */
  readonly confidenceBefore: number;
  /** Existence confidence after. */
  readonly confidenceAfter: number;
  /** Stale mark before. */
  readonly staleBefore: boolean;
  /** Stale mark after. */
  readonly staleAfter: boolean;
}

/** Added, removed and changed subjects of one type. */
export interface SubjectDiff {
  /** Present only in the second snapshot (node references or edge keys). */
  readonly added: readonly string[];
  /** Present only in the first snapshot. */
  readonly removed: readonly string[];
  /** Present in both with different facts (values, provenance or stale marks). */
  readonly changed: readonly SubjectChange[];
}

/** The difference between two snapshots, and a patch that turns the first into the second. */
export interface SnapshotDiff {
  /** `takenAt` of the first snapshot. */
  readonly fromTakenAt: number;
  /** `takenAt` of the second snapshot. */
  readonly toTakenAt: number;
  /** Node differences. */
  readonly nodes: SubjectDiff;
  /** Edge differences (keys as made by {@link edgeKey}). */
  readonly edges: SubjectDiff;
  /** The added and changed nodes and edges (and the ends of those edges) as they are in the second snapshot. */
  readonly patch: GraphSnapshot;
}

function attributeChanges(
  before: Readonly<Record<string, JsonValue>>,
  after: Readonly<Record<string, JsonValue>>,
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of [...names].sort()) {
    const old = before[name];
    const current = after[name];
    if (old !== undefined && current !== undefined && canonicalJson(old) === canonicalJson(current)) continue;
    const change: { -readonly [K in keyof AttributeChange]: AttributeChange[K] } = { name };
    if (old !== undefined) change.before = old;
    if (current !== undefined) change.after = current;
    changes.push(change);
  }
  return changes;
}

function readForDiff(snapshot: unknown, which: string): { store: GraphStore; takenAt: number } {
  const store = new GraphStore({});
  try {
    return { store, takenAt: decodeSnapshotInto(snapshot, store) };
  } catch (error) {
    if (GraphInputError.isInstance(error)) {
      throw new GraphInputError('invalid-snapshot', `graph-snapshot: ${which} snapshot: ${error.message}`, {
        path: error.path ?? '',
      });
    }
    throw error;
  }
}

function change(subject: string, before: NodeStateLike, after: NodeStateLike): SubjectChange {
  return {
    subject,
    attributes: attributeChanges(before.values, after.values),
    confidenceBefore: confidenceOf(before.provenance),
    confidenceAfter: confidenceOf(after.provenance),
    staleBefore: before.stale,
    staleAfter: after.stale,
  };
}

type NodeStateLike = Pick<NodeState, 'values' | 'provenance' | 'stale'>;

/**
 * Compares two snapshots (of any version this package reads): which nodes and edges appeared,
 * disappeared or changed (values, confidence, provenance, stale marks), and a patch for
 * {@link applySnapshotDiff}.
 *
 * @param before - The older snapshot.
 * @param after - The newer snapshot.
 * @returns The differences.
 * @throws {@link GraphInputError} `invalid-snapshot` when either snapshot is malformed.
 */
export function diffSnapshots(
  before: GraphSnapshot | GraphSnapshotV1,
  after: GraphSnapshot | GraphSnapshotV1,
): SnapshotDiff {
  const first = readForDiff(before, 'first');
  const second = readForDiff(after, 'second');
  const patch = new GraphStore({ clock: { now: () => second.takenAt } });
  const inPatch = (state: NodeState): void => {
    if (!patch.hasNode(state.ref)) patch.restoreNode(state.ref, state);
  };
  const nodes = { added: [] as string[], removed: [] as string[], changed: [] as SubjectChange[] };
  for (const state of second.store.nodeStateValues()) {
    const old = first.store.nodeState(state.ref);
    if (old === undefined) nodes.added.push(state.ref);
    else if (!sameFacts(old, state)) nodes.changed.push(change(state.ref, old, state));
    else continue;
    inPatch(state);
  }
  for (const state of first.store.nodeStateValues()) {
    if (!second.store.hasNode(state.ref)) nodes.removed.push(state.ref);
  }
  const edges = { added: [] as string[], removed: [] as string[], changed: [] as SubjectChange[] };
  const sortedEdges = (store: GraphStore) =>
    [...store.edgeStateValues()]
      .map((state) => ({ key: edgeKeyOf(state), state }))
      .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  for (const { key, state } of sortedEdges(second.store)) {
    const old = first.store.edgeState(key);
    if (old === undefined) edges.added.push(key);
    else if (!sameFacts(old, state)) edges.changed.push(change(key, old, state));
    else continue;
    inPatch(state.sourceNode);
    inPatch(state.targetNode);
    patch.restoreEdge(state.source, state.kind, state.target, state);
  }
  for (const { key } of sortedEdges(first.store)) {
    if (second.store.edgeState(key) === undefined) edges.removed.push(key);
  }
  return {
    fromTakenAt: first.takenAt,
    toTakenAt: second.takenAt,
    nodes,
    edges,
    patch: encodeSnapshot(patch),
  };
}

const diffShape = z.object({
  nodes: z.object({ removed: z.array(z.string()) }),
  edges: z.object({ removed: z.array(z.string()) }),
  patch: z.unknown(),
});

/**
 * Applies a diff made by {@link diffSnapshots} to a graph holding the first snapshot's facts:
 * removes what was removed and puts the added and changed nodes and edges in place as they were
 * in the second snapshot. The patch is validated before the graph is touched.
 *
 * @param graph - The graph to update.
 * @param diff - The diff.
 * @throws {@link GraphInputError} `invalid-snapshot` when the diff is malformed; the graph is unchanged.
 */
export function applySnapshotDiff(graph: KnowledgeGraph, diff: SnapshotDiff): void {
  const store = storeOf(graph);
  const shape = diffShape.safeParse(diff);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const path = formatFieldPath(issue?.path ?? []);
    throw new GraphInputError(
      'invalid-snapshot',
      `graph-snapshot: diff: ${path}: ${issue?.message ?? 'invalid'}.`,
      {
        path,
      },
    );
  }
  const removedNodes = new Set<EntityRef>(shape.data.nodes.removed);
  // The patch is read into a graph of its own first: a malformed one leaves this graph as it was.
  const patch = new GraphStore({});
  decodeSnapshotInto(shape.data.patch, patch);
  for (const key of shape.data.edges.removed) store.removeEdge(key);
  for (const ref of removedNodes) store.removeNode(ref);
  for (const node of patch.nodeStateValues()) store.restoreNode(node.ref, node);
  for (const edge of patch.edgeStateValues()) store.restoreEdge(edge.source, edge.kind, edge.target, edge);
}
