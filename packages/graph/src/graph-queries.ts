import { traverseDependencies } from './dependency-traversal';
import type { EntityRef } from './entity-ref';
import { isActiveFilter, passesFactFilter } from './fact-filter';
import { latestOf } from './fact-record';
import { type EdgeState, incomingEdges, type NodeState, outgoingEdges } from './graph-state';
import type { GraphStore } from './graph-store';
import type { GraphNode } from './graph-types';
import { RESOURCE_NODE_KINDS } from './node-kinds';
import type {
  ChangeWindowOptions,
  Criticality,
  CriticalityOptions,
  FailurePatternTouch,
  IncidentTouch,
  IncidentTouches,
  IncidentTouchOptions,
  NearbyChange,
  PeerOptions,
  SharedResourcePeer,
} from './query-types';

const day = 24 * 60 * 60 * 1000;

function numberAttribute(state: NodeState | EdgeState, name: string): number | undefined {
  const value = state.values[name];
  return typeof value === 'number' ? value : undefined;
}

/**
 * Internal: the entity and its running unit (what structure edges tie to it), at distance 0.
 *
 * @param store - The graph.
 * @param ref - The entity.
 * @returns References of the unit, the entity first.
 */
function runningUnit(store: GraphStore, ref: EntityRef): EntityRef[] {
  return [ref, ...traverseDependencies(store, ref, 'dependencies', { depth: 0 }).map((hit) => hit.ref)];
}

const defaultPeerKinds: readonly string[] = [
  'service',
  'redis',
  'postgres',
  'queue',
  'deployment',
  'statefulset',
  'daemonset',
  'cronjob',
  'job',
  'pod',
];

/**
 * Internal: entities that share a resource (a datastore, a queue, a machine) with this one.
 * Peers are reported once per running unit, by their most logical member (the Service rather
 * than its Deployment, the CronJob rather than its Jobs).
 *
 * @param store - The graph.
 * @param ref - The entity.
 * @param options - Resource kinds, peer kinds, depth, filters.
 * @returns Peers, most shared resources first.
 */
export function peersSharing(store: GraphStore, ref: EntityRef, options: PeerOptions): SharedResourcePeer[] {
  const start = store.nodeState(ref);
  if (start === undefined) return [];
  const resourceKinds = new Set<string>(options.resourceKinds ?? RESOURCE_NODE_KINDS);
  const peerKinds = new Set<string>(options.peerKinds ?? defaultPeerKinds);
  const depth = options.depth ?? 1;
  const own = new Set(runningUnit(store, ref));
  const resources = traverseDependencies(store, ref, 'dependencies', { ...options, depth }).filter(
    (hit) => hit.depth >= 1 && resourceKinds.has(hit.kind) && !own.has(hit.ref),
  );
  const candidates = new Map<EntityRef, { kind: string; resources: EntityRef[] }>();
  for (const resource of resources) {
    for (const hit of traverseDependencies(store, resource.ref, 'dependents', { ...options, depth })) {
      if (own.has(hit.ref) || !peerKinds.has(hit.kind) || hit.depth === 0) continue;
      const entry = candidates.get(hit.ref);
      if (entry === undefined) candidates.set(hit.ref, { kind: hit.kind, resources: [resource.ref] });
      else if (!entry.resources.includes(resource.ref)) entry.resources.push(resource.ref);
    }
  }
  const priority = (kind: string) => {
    const position = defaultPeerKinds.indexOf(kind);
    return position < 0 ? defaultPeerKinds.length : position;
  };
  const ordered = [...candidates].sort(
    ([leftRef, left], [rightRef, right]) =>
      priority(left.kind) - priority(right.kind) || (leftRef < rightRef ? -1 : 1),
  );
  const representative = new Map<EntityRef, { kind: string; resources: EntityRef[] }>();
  const covered = new Map<EntityRef, EntityRef>();
  for (const [candidate, entry] of ordered) {
    const owner = covered.get(candidate);
    if (owner !== undefined) {
      const kept = representative.get(owner) as { resources: EntityRef[] };
      for (const resource of entry.resources)
        if (!kept.resources.includes(resource)) kept.resources.push(resource);
      continue;
    }
    representative.set(candidate, { kind: entry.kind, resources: [...entry.resources] });
    for (const member of runningUnit(store, candidate))
      if (!covered.has(member)) covered.set(member, candidate);
  }
  return [...representative]
    .map(([peer, entry]) => ({
      ref: peer,
      kind: entry.kind as SharedResourcePeer['kind'],
      shared: entry.resources.sort(),
    }))
    .sort((left, right) => right.shared.length - left.shared.length || (left.ref < right.ref ? -1 : 1));
}

function tierFactor(tier: number | undefined): number {
  if (tier === undefined) return 0.5;
  return Math.max(0.1, Math.min(1, 1 - (tier - 1) / 3));
}

/**
 * Internal: criticality from tier, dependents and traffic.
 *
 * @param store - The graph.
 * @param ref - The entity.
 * @param options - Dependent depth.
 * @returns The score and its parts.
 */
export function criticality(store: GraphStore, ref: EntityRef, options: CriticalityOptions): Criticality {
  const unit = store.nodeState(ref) === undefined ? [] : runningUnit(store, ref);
  let tier: number | undefined;
  let traffic = 0;
  for (const member of unit) {
    const state = store.nodeState(member) as NodeState;
    const memberTier = numberAttribute(state, 'tier');
    if (memberTier !== undefined && (tier === undefined || memberTier < tier)) tier = memberTier;
    for (let edge = state.firstIn; edge !== undefined; edge = edge.nextIn) {
      if (edge.kind === 'calls') traffic += numberAttribute(edge, 'rate') ?? 0;
    }
  }
  const unitSet = new Set(unit);
  let dependents = 0;
  let directDependents = 0;
  if (unit.length > 0) {
    for (const hit of traverseDependencies(store, ref, 'dependents', { depth: options.depth ?? 3 })) {
      if (hit.kind === 'pod' || unitSet.has(hit.ref)) continue;
      dependents++;
      if (hit.depth === 1) directDependents++;
    }
  }
  const factors = {
    tier: tierFactor(tier),
    dependents: 1 - Math.exp(-dependents / 10),
    traffic: 1 - Math.exp(-traffic / 100),
  };
  return {
    ref,
    score: 0.4 * factors.tier + 0.35 * factors.dependents + 0.25 * factors.traffic,
    tier,
    dependents,
    directDependents,
    traffic,
    factors,
  };
}

interface Nearby {
  distance: number;
  relation: NearbyChange['relation'];
}

function nearbyEntities(store: GraphStore, ref: EntityRef, depth: number): Map<EntityRef, Nearby> {
  const nearby = new Map<EntityRef, Nearby>();
  for (const member of runningUnit(store, ref)) nearby.set(member, { distance: 0, relation: 'self' });
  if (depth <= 0) return nearby;
  for (const relation of ['dependency', 'dependent'] as const) {
    const direction = relation === 'dependency' ? 'dependencies' : 'dependents';
    for (const hit of traverseDependencies(store, ref, direction, { depth })) {
      const known = nearby.get(hit.ref);
      if (known === undefined || known.distance > hit.depth) {
        nearby.set(hit.ref, { distance: hit.depth, relation: hit.depth === 0 ? 'self' : relation });
      }
    }
  }
  return nearby;
}

/**
 * Internal: changes that affected the entity or its neighbours within a window.
 *
 * @param store - The graph.
 * @param ref - The entity.
 * @param options - Window, depth, filters.
 * @returns Changes, most recent first.
 */
export function changesNear(store: GraphStore, ref: EntityRef, options: ChangeWindowOptions): NearbyChange[] {
  if (store.nodeState(ref) === undefined) return [];
  const to = options.to ?? store.clock.now();
  const from = options.from ?? to - (options.withinMs ?? day);
  const checkFacts = isActiveFilter(options);
  const now = options.fresh === true ? store.clock.now() : 0;
  const found = new Map<EntityRef, NearbyChange>();
  for (const [entity, near] of nearbyEntities(store, ref, options.depth ?? 1)) {
    for (const edge of incomingEdges(store.nodeState(entity) as NodeState)) {
      const change = edge.sourceNode;
      if (edge.kind !== 'affected' || change.kind !== 'change') continue;
      if (checkFacts && !passesFactFilter(change, options, now, store.horizonOf)) continue;
      const at = numberAttribute(change, 'at') ?? latestOf(change.provenance);
      if (at < from || at > to) continue;
      const known = found.get(change.ref);
      if (known !== undefined && known.distance <= near.distance) continue;
      found.set(change.ref, {
        change: store.nodeView(change) as GraphNode<'change'>,
        at,
        entity,
        distance: near.distance,
        relation: near.relation,
      });
    }
  }
  return [...found.values()].sort(
    (left, right) =>
      right.at - left.at || left.distance - right.distance || (left.change.ref < right.change.ref ? -1 : 1),
  );
}

function targetsOf(store: GraphStore, ref: EntityRef, kind: string, targetKind: string): EntityRef[] {
  const targets: EntityRef[] = [];
  for (const edge of outgoingEdges(store.nodeState(ref) as NodeState)) {
    if (edge.kind === kind && edge.targetNode.kind === targetKind) targets.push(edge.target);
  }
  return targets.sort();
}

/**
 * Internal: incidents and failure patterns touching the entity.
 *
 * @param store - The graph.
 * @param ref - The entity.
 * @param options - Depth, filters.
 * @returns Incidents and patterns.
 */
export function incidentsTouching(
  store: GraphStore,
  ref: EntityRef,
  options: IncidentTouchOptions,
): IncidentTouches {
  const start = store.nodeState(ref);
  if (start === undefined) return { incidents: [], failurePatterns: [] };
  const checkFacts = isActiveFilter(options);
  const now = options.fresh === true ? store.clock.now() : 0;
  const passes = (state: NodeState): boolean =>
    !checkFacts || passesFactFilter(state, options, now, store.horizonOf);
  const incidents = new Map<EntityRef, IncidentTouch>();
  const patterns = new Map<EntityRef, FailurePatternTouch>();
  const addPattern = (
    state: NodeState,
    reason: FailurePatternTouch['reason'],
    via: EntityRef | undefined,
  ) => {
    if (patterns.has(state.ref) || !passes(state)) return;
    patterns.set(state.ref, {
      pattern: store.nodeView(state) as GraphNode<'failure-pattern'>,
      reason,
      via,
      remediations: targetsOf(store, state.ref, 'mitigated-by', 'remediation'),
    });
  };
  const nearby = nearbyEntities(store, ref, options.depth ?? 0);
  for (const [entity, near] of nearby) {
    for (const edge of incomingEdges(store.nodeState(entity) as NodeState)) {
      const source = edge.sourceNode;
      if (edge.kind !== 'affected') continue;
      if (source.kind === 'failure-pattern') addPattern(source, 'affects-entity', entity);
      if (source.kind !== 'incident' || !passes(source)) continue;
      const known = incidents.get(source.ref);
      if (known !== undefined && known.distance <= near.distance) continue;
      incidents.set(source.ref, {
        incident: store.nodeView(source) as GraphNode<'incident'>,
        entity,
        distance: near.distance,
        remediations: targetsOf(store, source.ref, 'mitigated-by', 'remediation'),
      });
    }
  }
  const startedAt = (touch: IncidentTouch): number =>
    typeof touch.incident.attributes.startedAt === 'number'
      ? touch.incident.attributes.startedAt
      : touch.incident.observedAt;
  const sortedIncidents = [...incidents.values()].sort(
    (left, right) => startedAt(right) - startedAt(left) || (left.incident.ref < right.incident.ref ? -1 : 1),
  );
  for (const touch of sortedIncidents) {
    for (const cause of targetsOf(store, touch.incident.ref, 'caused-by', 'failure-pattern')) {
      addPattern(store.nodeState(cause) as NodeState, 'caused-incident', touch.incident.ref);
    }
  }
  const byKind = [...store.nodesOfKind('failure-pattern')]
    .filter((state) => {
      const kinds = state.values.entityKinds;
      return Array.isArray(kinds) && kinds.includes(start.kind);
    })
    .sort((left, right) => (left.ref < right.ref ? -1 : 1));
  for (const state of byKind) addPattern(state, 'applies-to-kind', undefined);
  return { incidents: sortedIncidents, failurePatterns: [...patterns.values()] };
}
