import { z } from 'zod';
import { edgeKey } from './edge-kinds';
import type { EntityRef } from './entity-ref';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { GraphStore, storeOf } from './graph-store';
import type { KnowledgeGraphOptions } from './graph-types';
import { canonicalJson, type JsonValue } from './json-value';
import type { KnowledgeGraph } from './knowledge-graph';
import { noisyOr } from './provenance';
import { decodeSnapshot, validateSnapshot } from './snapshot-codec';
import {
  type GraphSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotEdge,
  type SnapshotFacts,
  type SnapshotNode,
  type SnapshotProvenance,
} from './snapshot-types';

/**
 * Loads a graph from a snapshot written by {@link KnowledgeGraph.snapshot}. The snapshot is
 * validated (zod) before anything is built.
 *
 * @param snapshot - The snapshot object, or its JSON text.
 * @param options - Clock, freshness horizons, edge roles of the new graph.
 * @returns The graph.
 * @throws {@link GraphInputError} with code `invalid-snapshot` and the field path.
 */
export function loadSnapshot(snapshot: unknown, options: KnowledgeGraphOptions = {}): KnowledgeGraph {
  const store = new GraphStore(options);
  // A new graph: build it while decoding; on an error the partial graph is simply dropped.
  decodeSnapshot(snapshot, {
    node: (ref, facts) => store.restoreNode(ref, facts),
    edge: (_key, source, kind, target, facts) => store.restoreEdge(source, kind, target, facts),
  });
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
  /** The added and changed nodes and edges as they are in the second snapshot. */
  readonly patch: GraphSnapshot;
}

interface Resolved<T> {
  entry: T;
  canonical: string;
  confidence: number;
}

function resolveAll<T extends SnapshotNode | SnapshotEdge>(
  snapshot: GraphSnapshot,
  entries: readonly T[],
  keyOf: (entry: T) => string,
): Map<string, Resolved<T>> {
  const table = snapshot.provenance;
  const resolve = (indexes: readonly number[]): JsonValue =>
    indexes.map((index) => table[index] as SnapshotProvenance) as unknown as JsonValue;
  const map = new Map<string, Resolved<T>>();
  for (const entry of entries) {
    const facts = entry.facts.map((index) => table[index] as SnapshotProvenance);
    const valueFacts = resolve(entry.valueFacts ?? entry.facts);
    const attributes: Record<string, JsonValue> = {};
    for (const [name, value] of Object.entries(entry.values ?? {})) {
      const explicit = entry.sources?.[name];
      attributes[name] = {
        value,
        facts: explicit === undefined ? valueFacts : resolve(explicit),
        stale: entry.staleAttributes?.includes(name) === true,
        history: (entry.history?.[name] ?? []).map((older) => ({
          value: older.value,
          facts: resolve(older.facts),
          stale: older.stale === true,
        })),
      };
    }
    const canonical = canonicalJson({
      facts: facts as unknown as JsonValue,
      stale: entry.stale === true,
      attributes,
    });
    map.set(keyOf(entry), { entry, canonical, confidence: noisyOr(bestPerSource(facts)) });
  }
  return map;
}

function bestPerSource(facts: readonly SnapshotProvenance[]): number[] {
  const best = new Map<string, number>();
  for (const [source, , confidence] of facts) best.set(source, Math.max(best.get(source) ?? 0, confidence));
  return [...best.values()];
}

function attributeChanges(
  before: Readonly<Record<string, JsonValue>> | undefined,
  after: Readonly<Record<string, JsonValue>> | undefined,
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const name of [...names].sort()) {
    const old = before?.[name];
    const current = after?.[name];
    if (old !== undefined && current !== undefined && canonicalJson(old) === canonicalJson(current)) continue;
    const change: { -readonly [K in keyof AttributeChange]: AttributeChange[K] } = { name };
    if (old !== undefined) change.before = old;
    if (current !== undefined) change.after = current;
    changes.push(change);
  }
  return changes;
}

function parseForDiff(snapshot: unknown, which: string): GraphSnapshot {
  try {
    return validateSnapshot(snapshot);
  } catch (error) {
    if (GraphInputError.isInstance(error)) {
      throw new GraphInputError('invalid-snapshot', `graph-snapshot: ${which} snapshot: ${error.message}`, {
        path: error.path ?? '',
      });
    }
    throw error;
  }
}

/**
 * Compares two snapshots: which nodes and edges appeared, disappeared or changed (values,
 * confidence, provenance, stale marks), and a patch for {@link applySnapshotDiff}.
 *
 * @param before - The older snapshot.
 * @param after - The newer snapshot.
 * @returns The differences.
 * @throws {@link GraphInputError} `invalid-snapshot` when either snapshot is malformed.
 */
export function diffSnapshots(before: GraphSnapshot, after: GraphSnapshot): SnapshotDiff {
  const first = parseForDiff(before, 'first');
  const second = parseForDiff(after, 'second');
  const table: SnapshotProvenance[] = [];
  const indexes = new Map<string, number>();
  const reindex = (snapshot: GraphSnapshot, facts: readonly number[]): number[] =>
    facts.map((index) => {
      const entry = snapshot.provenance[index] as SnapshotProvenance;
      const key = JSON.stringify(entry);
      let position = indexes.get(key);
      if (position === undefined) {
        position = table.length;
        table.push(entry);
        indexes.set(key, position);
      }
      return position;
    });
  const reindexEntry = <T extends SnapshotNode | SnapshotEdge>(entry: T): T => {
    const copy: { -readonly [K in keyof SnapshotFacts]: SnapshotFacts[K] } = {
      ...entry,
      facts: reindex(second, entry.facts),
    };
    if (entry.valueFacts !== undefined) copy.valueFacts = reindex(second, entry.valueFacts);
    if (entry.sources !== undefined) {
      copy.sources = Object.fromEntries(
        Object.entries(entry.sources).map(([name, facts]) => [name, reindex(second, facts)]),
      );
    }
    if (entry.history !== undefined) {
      copy.history = Object.fromEntries(
        Object.entries(entry.history).map(([name, values]) => [
          name,
          values.map((value) => ({ ...value, facts: reindex(second, value.facts) })),
        ]),
      );
    }
    return copy as T;
  };

  const compare = <T extends SnapshotNode | SnapshotEdge>(
    left: Map<string, Resolved<T>>,
    right: Map<string, Resolved<T>>,
    onPatch: (entry: T) => void,
  ): SubjectDiff => {
    const added: string[] = [];
    const removed: string[] = [];
    const changed: SubjectChange[] = [];
    for (const [key, resolved] of right) {
      const old = left.get(key);
      if (old === undefined) {
        added.push(key);
        onPatch(resolved.entry);
      } else if (old.canonical !== resolved.canonical) {
        changed.push({
          subject: key,
          attributes: attributeChanges(old.entry.values, resolved.entry.values),
          confidenceBefore: old.confidence,
          confidenceAfter: resolved.confidence,
          staleBefore: old.entry.stale === true,
          staleAfter: resolved.entry.stale === true,
        });
        onPatch(resolved.entry);
      }
    }
    for (const key of left.keys()) if (!right.has(key)) removed.push(key);
    return { added, removed, changed };
  };

  // The patch holds the added and changed nodes and edges, and the ends of those edges.
  const patchNodes: SnapshotNode[] = [];
  const patchEdges: SnapshotEdge[] = [];
  const patchPosition = new Map<string, number>();
  const patchNode = (node: SnapshotNode): number => {
    let position = patchPosition.get(node.ref);
    if (position === undefined) {
      position = patchNodes.length;
      patchNodes.push(reindexEntry(node));
      patchPosition.set(node.ref, position);
    }
    return position;
  };
  const nodeKey = (node: SnapshotNode): string => node.ref;
  const edgeKeyIn =
    (snapshot: GraphSnapshot) =>
    (edge: SnapshotEdge): string =>
      edgeKey(
        (snapshot.nodes[edge.source] as SnapshotNode).ref,
        edge.kind,
        (snapshot.nodes[edge.target] as SnapshotNode).ref,
      );
  const nodes = compare(
    resolveAll(first, first.nodes, nodeKey),
    resolveAll(second, second.nodes, nodeKey),
    patchNode,
  );
  const edges = compare(
    resolveAll(first, first.edges, edgeKeyIn(first)),
    resolveAll(second, second.edges, edgeKeyIn(second)),
    (edge) => {
      patchEdges.push({
        ...reindexEntry(edge),
        source: patchNode(second.nodes[edge.source] as SnapshotNode),
        target: patchNode(second.nodes[edge.target] as SnapshotNode),
      });
    },
  );
  return {
    fromTakenAt: first.takenAt,
    toTakenAt: second.takenAt,
    nodes,
    edges,
    patch: {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      takenAt: second.takenAt,
      provenance: table,
      nodes: patchNodes,
      edges: patchEdges,
    },
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
  const decoded = decodeSnapshot(shape.data.patch);
  for (const key of shape.data.edges.removed) store.removeEdge(key);
  for (const ref of removedNodes) store.removeNode(ref);
  for (const node of decoded.nodes) store.restoreNode(node.ref, node.facts);
  for (const edge of decoded.edges) store.restoreEdge(edge.source, edge.kind, edge.target, edge.facts);
}
