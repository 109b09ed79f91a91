import { type EdgeKind, edgeKey } from './edge-kinds';
import { ROLE_ASSOCIATION, ROLE_STRUCTURE } from './edge-role-codes';
import type { EntityRef } from './entity-ref';
import type { FactHolder } from './fact-record';
import type { GraphEdge, GraphNode } from './graph-types';
import type { NodeKind } from './node-kinds';

/** Internal: what the graph stores per node. */
export type NodeState = FactHolder & {
  id: number;
  ref: EntityRef;
  kind: NodeKind;
  namespace: string;
  name: string;
  /** First outgoing edge (the list runs through {@link EdgeState.nextOut}, in insertion order). */
  firstOut: EdgeState | undefined;
  /** Last outgoing edge. */
  lastOut: EdgeState | undefined;
  /** Outgoing edges. */
  outCount: number;
  /** First incoming edge (the list runs through {@link EdgeState.nextIn}, in insertion order). */
  firstIn: EdgeState | undefined;
  /** Last incoming edge. */
  lastIn: EdgeState | undefined;
  /** Incoming edges. */
  inCount: number;
  /** Outgoing edges by target, kept once a node has many outgoing edges (see {@link findEdge}). */
  outIndex: Map<NodeState, EdgeState[]> | undefined;
  /** Incoming `structure` edges (traversals skip scanning in-edges of nodes without any). */
  structureIn: number;
  /** Outgoing `structure` edges. */
  structureOut: number;
  /** Incoming `dependency` edges. */
  dependencyIn: number;
  /** Outgoing `dependency` edges. */
  dependencyOut: number;
  view: GraphNode | undefined;
};

/**
 * Internal: what the graph stores per edge. Its ends are the node states; `source` and `target`
 * are those nodes' own reference strings. The key (`source -[kind]-> target`) is not stored: it is
 * made when asked for ({@link edgeKeyOf}), which saves a long string per edge. The edges of a node
 * are linked lists through the edges themselves (no array per node to grow and copy).
 */
export type EdgeState = FactHolder & {
  kind: EdgeKind;
  source: EntityRef;
  target: EntityRef;
  sourceNode: NodeState;
  targetNode: NodeState;
  /** Next outgoing edge of the source. */
  nextOut: EdgeState | undefined;
  /** Next incoming edge of the target. */
  nextIn: EdgeState | undefined;
  role: number;
  view: GraphEdge | undefined;
};

/** Internal: the adjacency fields of a node without edges. */
export const NO_ADJACENCY = {
  firstOut: undefined,
  lastOut: undefined,
  outCount: 0,
  firstIn: undefined,
  lastIn: undefined,
  inCount: 0,
  outIndex: undefined,
} as const;

/**
 * Internal: the outgoing edges of a node, in insertion order (for loops off the hot paths).
 *
 * @param node - The node.
 * @returns Its outgoing edges.
 */
export function* outgoingEdges(node: NodeState): Generator<EdgeState> {
  for (let edge = node.firstOut; edge !== undefined; edge = edge.nextOut) yield edge;
}

/**
 * Internal: the incoming edges of a node, in insertion order (for loops off the hot paths).
 *
 * @param node - The node.
 * @returns Its incoming edges.
 */
export function* incomingEdges(node: NodeState): Generator<EdgeState> {
  for (let edge = node.firstIn; edge !== undefined; edge = edge.nextIn) yield edge;
}

/** Outgoing edges a node has before {@link NodeState.outIndex} is built for it. */
const INDEX_FROM = 48;

/**
 * Internal: the key of an edge, `source -[kind]-> target`.
 *
 * @param edge - The edge.
 * @returns Its key.
 */
export function edgeKeyOf(edge: EdgeState): string {
  return edgeKey(edge.source, edge.kind, edge.target);
}

/**
 * Internal: the edge of a kind between two nodes. A node with many outgoing edges has them
 * indexed by target; otherwise the shorter of the source's outgoing and the target's incoming
 * list is scanned (fewer than {@link INDEX_FROM} entries: a hub's thousands of dependents are not
 * read to find one of them).
 *
 * @param source - Source node.
 * @param kind - Edge kind.
 * @param target - Target node.
 * @returns The edge, or `undefined`.
 */
export function findEdge(source: NodeState, kind: string, target: NodeState): EdgeState | undefined {
  if (source.outIndex !== undefined) {
    const toTarget = source.outIndex.get(target);
    if (toTarget !== undefined) for (const edge of toTarget) if (edge.kind === kind) return edge;
    return undefined;
  }
  if (source.outCount <= target.inCount) {
    for (let edge = source.firstOut; edge !== undefined; edge = edge.nextOut) {
      if (edge.targetNode === target && edge.kind === kind) return edge;
    }
  } else {
    for (let edge = target.firstIn; edge !== undefined; edge = edge.nextIn) {
      if (edge.sourceNode === source && edge.kind === kind) return edge;
    }
  }
  return undefined;
}

function addToIndex(index: Map<NodeState, EdgeState[]>, edge: EdgeState): void {
  const list = index.get(edge.targetNode);
  if (list === undefined) index.set(edge.targetNode, [edge]);
  else list.push(edge);
}

function count(edge: EdgeState, delta: number): void {
  if (edge.role === ROLE_ASSOCIATION) return;
  if (edge.role === ROLE_STRUCTURE) {
    edge.sourceNode.structureOut += delta;
    edge.targetNode.structureIn += delta;
  } else {
    edge.sourceNode.dependencyOut += delta;
    edge.targetNode.dependencyIn += delta;
  }
}

/**
 * Internal: appends a new edge to the lists (and counts) of its two nodes.
 *
 * @param edge - A new edge (its `nextOut` and `nextIn` unset).
 */
export function linkEdge(edge: EdgeState): void {
  const source = edge.sourceNode;
  const target = edge.targetNode;
  if (source.lastOut === undefined) source.firstOut = edge;
  else source.lastOut.nextOut = edge;
  source.lastOut = edge;
  source.outCount++;
  if (target.lastIn === undefined) target.firstIn = edge;
  else target.lastIn.nextIn = edge;
  target.lastIn = edge;
  target.inCount++;
  if (source.outIndex !== undefined) addToIndex(source.outIndex, edge);
  else if (source.outCount === INDEX_FROM) {
    source.outIndex = new Map();
    for (let outgoing = source.firstOut; outgoing !== undefined; outgoing = outgoing.nextOut) {
      addToIndex(source.outIndex, outgoing);
    }
  }
  count(edge, 1);
}

function unlinkOut(source: NodeState, edge: EdgeState): void {
  let previous: EdgeState | undefined;
  let current = source.firstOut;
  while (current !== undefined && current !== edge) {
    previous = current;
    current = current.nextOut;
  }
  if (current === undefined) return;
  if (previous === undefined) source.firstOut = edge.nextOut;
  else previous.nextOut = edge.nextOut;
  if (source.lastOut === edge) source.lastOut = previous;
  source.outCount--;
  const index = source.outIndex;
  if (index !== undefined) {
    const toTarget = index.get(edge.targetNode) ?? [];
    const remaining = toTarget.filter((entry) => entry !== edge);
    if (remaining.length === 0) index.delete(edge.targetNode);
    else index.set(edge.targetNode, remaining);
  }
}

function unlinkIn(target: NodeState, edge: EdgeState): void {
  let previous: EdgeState | undefined;
  let current = target.firstIn;
  while (current !== undefined && current !== edge) {
    previous = current;
    current = current.nextIn;
  }
  if (current === undefined) return;
  if (previous === undefined) target.firstIn = edge.nextIn;
  else previous.nextIn = edge.nextIn;
  if (target.lastIn === edge) target.lastIn = previous;
  target.inCount--;
}

/**
 * Internal: removes an edge from the lists (and counts) of its nodes. With `keepAtSource` or
 * `keepAtTarget`, that end's list is left alone (the caller drops the whole node).
 *
 * @param edge - A linked edge.
 * @param keepAtSource - Leave the source's list as it is.
 * @param keepAtTarget - Leave the target's list as it is.
 */
export function unlinkEdge(edge: EdgeState, keepAtSource = false, keepAtTarget = false): void {
  if (!keepAtSource) unlinkOut(edge.sourceNode, edge);
  if (!keepAtTarget) unlinkIn(edge.targetNode, edge);
  count(edge, -1);
}
