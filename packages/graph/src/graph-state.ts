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
  /** Outgoing edges, in insertion order ({@link NO_EDGES} until the first one). */
  outEdges: EdgeState[];
  /** Incoming edges, in insertion order ({@link NO_EDGES} until the first one). */
  inEdges: EdgeState[];
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
 * made when asked for ({@link edgeKeyOf}), which saves a long string per edge.
 */
export type EdgeState = FactHolder & {
  kind: EdgeKind;
  source: EntityRef;
  target: EntityRef;
  sourceNode: NodeState;
  targetNode: NodeState;
  role: number;
  view: GraphEdge | undefined;
};

/**
 * Internal: the edge list of a node without edges in one direction, shared until the first edge
 * (never mutated: linking replaces it with a list of the node's own).
 */
export const NO_EDGES: EdgeState[] = Object.freeze([]) as unknown as EdgeState[];

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
  const outgoing = source.outEdges;
  const incoming = target.inEdges;
  if (outgoing.length <= incoming.length) {
    for (let index = 0; index < outgoing.length; index++) {
      const edge = outgoing[index] as EdgeState;
      if (edge.targetNode === target && edge.kind === kind) return edge;
    }
  } else {
    for (let index = 0; index < incoming.length; index++) {
      const edge = incoming[index] as EdgeState;
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

function withoutEdge(list: EdgeState[], edge: EdgeState): EdgeState[] {
  const index = list.indexOf(edge);
  if (index < 0) return list;
  if (list.length === 1) return NO_EDGES;
  list.splice(index, 1);
  return list;
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
 * Internal: adds an edge to the lists (and counts) of its two nodes.
 *
 * @param edge - A new edge.
 */
export function linkEdge(edge: EdgeState): void {
  const source = edge.sourceNode;
  const target = edge.targetNode;
  if (source.outEdges === NO_EDGES) source.outEdges = [edge];
  else source.outEdges.push(edge);
  if (target.inEdges === NO_EDGES) target.inEdges = [edge];
  else target.inEdges.push(edge);
  if (source.outIndex !== undefined) addToIndex(source.outIndex, edge);
  else if (source.outEdges.length === INDEX_FROM) {
    source.outIndex = new Map();
    for (const outgoing of source.outEdges) addToIndex(source.outIndex, outgoing);
  }
  count(edge, 1);
}

/**
 * Internal: removes an edge from the lists (and counts) of its nodes. With `keepAtSource` or
 * `keepAtTarget`, that end's list is left alone (the caller drops the whole node).
 *
 * @param edge - A linked edge.
 * @param keepAtSource - Leave the source's lists as they are.
 * @param keepAtTarget - Leave the target's lists as they are.
 */
export function unlinkEdge(edge: EdgeState, keepAtSource = false, keepAtTarget = false): void {
  const source = edge.sourceNode;
  const target = edge.targetNode;
  if (!keepAtSource) {
    source.outEdges = withoutEdge(source.outEdges, edge);
    const index = source.outIndex;
    if (index !== undefined) {
      const remaining = withoutEdge(index.get(target) ?? NO_EDGES, edge);
      if (remaining === NO_EDGES) index.delete(target);
      else index.set(target, remaining);
    }
  }
  if (!keepAtTarget) target.inEdges = withoutEdge(target.inEdges, edge);
  count(edge, -1);
}
