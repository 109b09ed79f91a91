import type { EntityRef } from './entity-ref';
import { isActiveFilter, passesFactFilter } from './fact-filter';
import { confidenceOf } from './fact-record';
import { type EdgeState, edgeKeyOf, incomingEdges, type NodeState, outgoingEdges } from './graph-state';
import type { GraphStore } from './graph-store';
import type { GraphEdge } from './graph-types';
import type { GraphPath, NeighbourhoodOptions, PathOptions, Subgraph } from './query-types';

/**
 * Internal: the subgraph within `depth` hops of an entity, along edges of any role.
 *
 * @param store - The graph.
 * @param ref - The root entity.
 * @param options - Depth, kinds, direction, filters, limit.
 * @returns The root and its neighbours, and the edges between them.
 */
export function neighbourhood(store: GraphStore, ref: EntityRef, options: NeighbourhoodOptions): Subgraph {
  const root = store.nodeState(ref);
  if (root === undefined) return { root: ref, nodes: [], edges: [], truncated: false };
  const maxDepth = options.depth ?? 1;
  const limit = options.limit ?? 10_000;
  const direction = options.direction ?? 'both';
  const nodeKinds = options.nodeKinds === undefined ? undefined : new Set<string>(options.nodeKinds);
  const edgeKinds = options.edgeKinds === undefined ? undefined : new Set<string>(options.edgeKinds);
  const checkFacts = isActiveFilter(options);
  const now = options.fresh === true ? store.clock.now() : 0;
  const epoch = store.beginTraversal();
  const seen = store.seen;
  const included: NodeState[] = [root];
  seen[root.id] = epoch;
  let truncated = false;
  let frontier: NodeState[] = [root];
  let next: NodeState[] = [];

  const edgePasses = (edge: EdgeState): boolean =>
    (edgeKinds === undefined || edgeKinds.has(edge.kind)) &&
    (!checkFacts || passesFactFilter(edge, options, now, store.horizonOf));
  const visit = (edge: EdgeState, neighbour: NodeState): void => {
    if (seen[neighbour.id] === epoch || !edgePasses(edge)) return;
    if (nodeKinds !== undefined && !nodeKinds.has(neighbour.kind)) return;
    if (checkFacts && !passesFactFilter(neighbour, options, now, store.horizonOf)) return;
    if (included.length >= limit) {
      truncated = true;
      return;
    }
    seen[neighbour.id] = epoch;
    included.push(neighbour);
    next.push(neighbour);
  };
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    for (const state of frontier) {
      if (direction !== 'in') {
        for (let edge = state.firstOut; edge !== undefined; edge = edge.nextOut) visit(edge, edge.targetNode);
      }
      if (direction !== 'out') {
        for (let edge = state.firstIn; edge !== undefined; edge = edge.nextIn) visit(edge, edge.sourceNode);
      }
    }
    frontier = next;
    next = [];
  }

  const edges: GraphEdge[] = [];
  for (const state of included) {
    for (let edge = state.firstOut; edge !== undefined; edge = edge.nextOut) {
      if (seen[edge.targetNode.id] === epoch && edgePasses(edge)) edges.push(store.edgeView(edge));
    }
  }
  return { root: ref, nodes: included.map((state) => store.nodeView(state)), edges, truncated };
}

/**
 * Internal: simple paths between two entities, shortest first. Distances to `to` are computed
 * first (breadth-first, backwards) so the depth-first search only enters nodes that can still
 * reach `to` within the remaining length.
 *
 * @param store - The graph.
 * @param from - One end.
 * @param to - The other end.
 * @param options - Longest path, edge kinds, direction, limit, filters.
 * @returns Paths.
 */
export function paths(store: GraphStore, from: EntityRef, to: EntityRef, options: PathOptions): GraphPath[] {
  const start = store.nodeState(from);
  const end = store.nodeState(to);
  if (start === undefined || end === undefined || start === end) return [];
  const maxDepth = options.maxDepth ?? 4;
  const limit = options.limit ?? 10;
  const both = (options.direction ?? 'both') === 'both';
  const edgeKinds = options.edgeKinds === undefined ? undefined : new Set<string>(options.edgeKinds);
  const checkFacts = isActiveFilter(options);
  const now = options.fresh === true ? store.clock.now() : 0;
  const edgePasses = (edge: EdgeState): boolean =>
    (edgeKinds === undefined || edgeKinds.has(edge.kind)) &&
    (!checkFacts || passesFactFilter(edge, options, now, store.horizonOf));

  // Distance from every node to `end`, walking edges backwards.
  const distance = new Map<NodeState, number>([[end, 0]]);
  let frontier: NodeState[] = [end];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: NodeState[] = [];
    const note = (edge: EdgeState, neighbour: NodeState): void => {
      if (!distance.has(neighbour) && edgePasses(edge)) {
        distance.set(neighbour, depth);
        next.push(neighbour);
      }
    };
    for (const state of frontier) {
      for (const edge of incomingEdges(state)) note(edge, edge.sourceNode);
      if (both) for (const edge of outgoingEdges(state)) note(edge, edge.targetNode);
    }
    frontier = next;
  }
  const shortest = distance.get(start);
  if (shortest === undefined) return [];

  const found: GraphPath[] = [];
  const nodes: NodeState[] = [start];
  const edges: EdgeState[] = [];
  const onPath = new Set<NodeState>([start]);
  const search = (state: NodeState, remaining: number): void => {
    if (found.length >= limit) return;
    if (state === end) {
      if (remaining === 0) {
        let confidence = 1;
        for (const edge of edges) confidence *= confidenceOf(edge.provenance);
        found.push({
          nodes: nodes.map((entry) => entry.ref),
          edges: edges.map(edgeKeyOf),
          confidence,
        });
      }
      return;
    }
    if (remaining === 0) return;
    const step = (edge: EdgeState, neighbour: NodeState): void => {
      if (found.length >= limit || onPath.has(neighbour) || !edgePasses(edge)) return;
      const left = distance.get(neighbour);
      if (left === undefined || left > remaining - 1) return;
      onPath.add(neighbour);
      nodes.push(neighbour);
      edges.push(edge);
      search(neighbour, remaining - 1);
      edges.pop();
      nodes.pop();
      onPath.delete(neighbour);
    };
    for (const edge of outgoingEdges(state)) step(edge, edge.targetNode);
    if (both) for (const edge of incomingEdges(state)) step(edge, edge.sourceNode);
  };
  for (let length = shortest; length <= maxDepth && found.length < limit; length++) search(start, length);
  return found;
}
