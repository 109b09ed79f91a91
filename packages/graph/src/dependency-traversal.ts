import type { EdgeKind } from './edge-kinds';
import { ROLE_DEPENDENCY, ROLE_STRUCTURE } from './edge-role-codes';
import type { EntityRef } from './entity-ref';
import { isActiveFilter, passesFactFilter } from './fact-filter';
import { confidenceOf } from './fact-record';
import type { EdgeState, NodeState } from './graph-state';
import type { GraphStore } from './graph-store';
import type { DependencyHit, TraversalOptions } from './query-types';

/** Internal: which way a dependency traversal goes. */
export type TraversalDirection = 'dependencies' | 'dependents';

/**
 * Internal: breadth-first traversal along dependency edges (one hop each) and structure edges
 * (no hop, both ways), to a depth. A 0-1 BFS: levels are processed in order, structure
 * neighbours join the current level. Visited marks live in the store's typed arrays, stamped
 * with a per-traversal epoch, so nothing is cleared or allocated per node.
 *
 * @param store - The graph.
 * @param ref - Where to start.
 * @param direction - `dependencies` (what it needs) or `dependents` (what needs it).
 * @param options - Depth, edge kinds, result kinds, fact filters.
 * @returns The entities reached, nearest first, without the start.
 */
export function traverseDependencies(
  store: GraphStore,
  ref: EntityRef,
  direction: TraversalDirection,
  options: TraversalOptions,
): DependencyHit[] {
  const start = store.nodeState(ref);
  if (start === undefined) return [];
  const maxDepth = options.depth ?? 1;
  const edgeKinds = options.edgeKinds === undefined ? undefined : new Set<string>(options.edgeKinds);
  const resultKinds = options.kinds === undefined ? undefined : new Set<string>(options.kinds);
  const checkFacts = isActiveFilter(options);
  const now = options.fresh === true ? store.clock.now() : 0;
  const epoch = store.beginTraversal();
  const seen = store.seen;
  const slot = store.slot;
  const horizonOf = store.horizonOf;

  const reached: NodeState[] = [start];
  const depths: number[] = [0];
  const confidences: number[] = [1];
  const vias: EdgeKind[] = ['depends-on'];
  const froms: EntityRef[] = [''];
  seen[start.id] = epoch;
  slot[start.id] = 0;

  let frontier: number[] = [0];
  let next: number[] = [];
  let depth = 0;
  let current = 0;
  let reordered = false;

  const reach = (state: NodeState, edge: EdgeState, cost: number): void => {
    const candidateDepth = depth + cost;
    if (candidateDepth > maxDepth) return;
    if (
      checkFacts &&
      !(passesFactFilter(edge, options, now, horizonOf) && passesFactFilter(state, options, now, horizonOf))
    ) {
      return;
    }
    const confidence = (confidences[current] as number) * confidenceOf(edge.provenance);
    if (seen[state.id] === epoch) {
      const position = slot[state.id] as number;
      if ((depths[position] as number) <= candidateDepth) return;
      depths[position] = candidateDepth;
      confidences[position] = confidence;
      vias[position] = edge.kind;
      froms[position] = (reached[current] as NodeState).ref;
      frontier.push(position);
      reordered = true;
      return;
    }
    seen[state.id] = epoch;
    const position = reached.length;
    slot[state.id] = position;
    reached.push(state);
    depths.push(candidateDepth);
    confidences.push(confidence);
    vias.push(edge.kind);
    froms.push((reached[current] as NodeState).ref);
    if (cost === 0) frontier.push(position);
    else next.push(position);
  };

  const forwards = direction === 'dependencies';
  const followed = (edge: EdgeState): boolean =>
    edge.role === ROLE_DEPENDENCY && (edgeKinds === undefined || edgeKinds.has(edge.kind));

  for (;;) {
    for (let index = 0; index < frontier.length; index++) {
      current = frontier[index] as number;
      if (depths[current] !== depth) continue;
      const state = reached[current] as NodeState;
      // Skip scanning edge lists that cannot hold a followed edge (a hub's thousands of dependents
      // are not read when looking for its dependencies).
      if (state.structureOut > 0 || (forwards && state.dependencyOut > 0)) {
        for (let edge = state.firstOut; edge !== undefined; edge = edge.nextOut) {
          if (edge.role === ROLE_STRUCTURE) reach(edge.targetNode, edge, 0);
          else if (forwards && followed(edge)) reach(edge.targetNode, edge, 1);
        }
      }
      if (state.structureIn > 0 || (!forwards && state.dependencyIn > 0)) {
        for (let edge = state.firstIn; edge !== undefined; edge = edge.nextIn) {
          if (edge.role === ROLE_STRUCTURE) reach(edge.sourceNode, edge, 0);
          else if (!forwards && followed(edge)) reach(edge.sourceNode, edge, 1);
        }
      }
    }
    if (next.length === 0 || depth >= maxDepth) break;
    depth++;
    frontier = next;
    next = [];
  }

  const hits: DependencyHit[] = [];
  let previousDepth = 0;
  for (let position = 1; position < reached.length; position++) {
    const state = reached[position] as NodeState;
    if (resultKinds !== undefined && !resultKinds.has(state.kind)) continue;
    hits.push({
      ref: state.ref,
      kind: state.kind,
      depth: depths[position] as number,
      confidence: confidences[position] as number,
      via: vias[position] as EdgeKind,
      from: froms[position] as EntityRef,
    });
    if ((depths[position] as number) < previousDepth) reordered = true;
    previousDepth = depths[position] as number;
  }
  // Structure neighbours found after a deeper hit: restore nearest-first order (the sort is stable).
  if (reordered) hits.sort((left, right) => left.depth - right.depth);
  return hits;
}
