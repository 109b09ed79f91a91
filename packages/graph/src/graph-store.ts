import { EventEmitter } from 'eventemitter3';
import { MultiDirectedGraph } from 'graphology';
import { type GraphClock, systemClock } from './clock';
import { traverseDependencies } from './dependency-traversal';
import { DEFAULT_EDGE_ROLES, type EdgeKind, type EdgeRole, parseEdgeKey } from './edge-kinds';
import { ROLE_ASSOCIATION, ROLE_DEPENDENCY, ROLE_STRUCTURE } from './edge-role-codes';
import { type EntityRef, type ParsedEntityRef, parseEntityRef } from './entity-ref';
import { isActiveFilter, passesFactFilter } from './fact-filter';
import {
  attributeValues,
  confidenceOf,
  type FactHolder,
  freshUntilOf,
  type HorizonOf,
  latestOf,
  mergeAttribute,
  mergeExistence,
  newFacts,
  sourcesOf,
  type ValueRecord,
} from './fact-record';
import { GraphInputError } from './graph-errors';
import type { FactUpdatedEvent, KnowledgeGraphEvents } from './graph-events';
import { changesNear, criticality, incidentsTouching, peersSharing } from './graph-queries';
import {
  type EdgeState,
  edgeKeyOf,
  findEdge,
  incomingEdges,
  linkEdge,
  NO_ADJACENCY,
  type NodeState,
  outgoingEdges,
  unlinkEdge,
} from './graph-state';
import type {
  AttributeFact,
  EdgeFilter,
  EdgeInput,
  FactSheet,
  GraphEdge,
  GraphNode,
  KnowledgeGraphOptions,
  NodeFilter,
  NodeInput,
  StaleFact,
  StaleReport,
  UpsertOutcome,
} from './graph-types';
import { freezeDeep, isJsonValue, type JsonValue } from './json-value';
import type { FindByNameOptions, KnowledgeGraph } from './knowledge-graph';
import { neighbourhood, paths } from './neighbourhood-queries';
import type { NodeKind } from './node-kinds';
import {
  DEFAULT_FRESHNESS_HORIZONS,
  FALLBACK_FRESHNESS_HORIZON,
  type Provenance,
  type ProvenanceInput,
} from './provenance';
import type {
  ChangeWindowOptions,
  Criticality,
  CriticalityOptions,
  DependencyHit,
  GraphPath,
  IncidentTouches,
  IncidentTouchOptions,
  NearbyChange,
  NeighbourhoodOptions,
  PathOptions,
  PeerOptions,
  SharedResourcePeer,
  Subgraph,
  TraversalOptions,
} from './query-types';
import { decodeSnapshotInto, encodeSnapshot } from './snapshot-codec';
import type { GraphSnapshot } from './snapshot-types';

/** Internal: attribute values as the store takes them (already validated). */
export type AttributeValues = Readonly<Record<string, unknown>>;

const kindPattern = /^[a-z][a-z0-9-]*$/;

function roleCode(role: EdgeRole | undefined): number {
  if (role === 'dependency') return ROLE_DEPENDENCY;
  if (role === 'structure') return ROLE_STRUCTURE;
  return ROLE_ASSOCIATION;
}

function attributeFacts(holder: FactHolder, horizonOf: HorizonOf): Record<string, AttributeFact> {
  const facts: Record<string, AttributeFact> = {};
  for (const name of Object.keys(holder.values)) {
    const [current, ...history] = attributeValues(holder, name) as [ValueRecord, ...ValueRecord[]];
    facts[name] = {
      name,
      value: freezeDeep(current.value),
      confidence: confidenceOf(current.provenance),
      stale: current.stale,
      freshUntil: freshUntilOf(current.provenance, horizonOf),
      observedAt: latestOf(current.provenance),
      provenance: current.provenance.slice(),
      history: history.map((record) => ({
        value: freezeDeep(record.value),
        confidence: confidenceOf(record.provenance),
        observedAt: latestOf(record.provenance),
        provenance: record.provenance.slice(),
      })),
    };
  }
  return facts;
}

function assignFacts(target: FactHolder, facts: FactHolder): void {
  target.provenance = facts.provenance;
  target.stale = facts.stale;
  target.values = facts.values;
  target.valueSources = facts.valueSources;
  target.sources = facts.sources;
  target.history = facts.history;
  target.staleAttributes = facts.staleAttributes;
}

/**
 * The nodes of one kind (or namespace), with the key string itself: every node of the kind keeps
 * this one string instead of a copy cut out of its reference.
 */
interface IndexEntry {
  readonly key: string;
  readonly members: Set<NodeState>;
}

function indexEntry(index: Map<string, IndexEntry>, key: string): IndexEntry {
  let entry = index.get(key);
  if (entry === undefined) {
    entry = { key, members: new Set() };
    index.set(key, entry);
  }
  return entry;
}

function cloneJson(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const copy: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (entry !== undefined) copy[key] = cloneJson(entry);
  }
  return copy;
}

/** Internal: the implementation of {@link KnowledgeGraph}. */
export class GraphStore implements KnowledgeGraph {
  readonly events = new EventEmitter<KnowledgeGraphEvents>();
  readonly clock: GraphClock;
  /** Freshness horizon per source. */
  readonly horizonOf: HorizonOf;
  private readonly roles: Readonly<Record<string, EdgeRole>>;
  private readonly nodeStates = new Map<string, NodeState>();
  private edgeTotal = 0;
  private readonly kindIndex = new Map<string, IndexEntry>();
  private readonly namespaceIndex = new Map<string, IndexEntry>();
  /** Lower-cased name → the node with that name, or the nodes when there are several. */
  private readonly nameIndex = new Map<string, NodeState | NodeState[]>();
  private nextId = 0;
  /** The node last written, and its reference: an object's edges mostly start at its own node. */
  private recentRef: EntityRef | undefined;
  private recentNode: NodeState | undefined;

  /** Internal: one more than the highest node id given out (ids index typed arrays). */
  get idLimit(): number {
    return this.nextId;
  }
  private epoch = 0;
  /** Traversal scratch: the epoch in which a node id was last reached. */
  seen = new Uint32Array(1024);
  /** Traversal scratch: per node id, its position in the current traversal's lists. */
  slot = new Int32Array(1024);

  constructor(options: KnowledgeGraphOptions) {
    this.clock = options.clock ?? systemClock;
    const horizons: Record<string, number | undefined> = {
      ...DEFAULT_FRESHNESS_HORIZONS,
      ...options.freshness,
    };
    this.horizonOf = (source) => horizons[source] ?? FALLBACK_FRESHNESS_HORIZON;
    this.roles = { ...DEFAULT_EDGE_ROLES, ...options.edgeRoles };
  }

  get nodeCount(): number {
    return this.nodeStates.size;
  }

  get edgeCount(): number {
    return this.edgeTotal;
  }

  // ---- writing ----------------------------------------------------------------------------

  /**
   * Internal: checks provenance given by a caller and fills defaults.
   *
   * @param input - The caller's provenance.
   * @returns A provenance record.
   */
  provenanceFrom(input: ProvenanceInput): Provenance {
    const confidence = input.confidence ?? 1;
    const observedAt = input.observedAt ?? this.clock.now();
    if (typeof input.source !== 'string' || input.source === '') {
      throw new GraphInputError('invalid-input', 'graph: provenance.source must be a non-empty string.', {
        path: 'provenance.source',
      });
    }
    if (typeof input.citation !== 'string') {
      throw new GraphInputError('invalid-input', 'graph: provenance.citation must be a string.', {
        path: 'provenance.citation',
      });
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new GraphInputError(
        'invalid-input',
        `graph: provenance.confidence must be between 0 and 1, got ${String(confidence)}.`,
        { path: 'provenance.confidence' },
      );
    }
    if (!Number.isFinite(observedAt)) {
      throw new GraphInputError(
        'invalid-input',
        'graph: provenance.observedAt must be a finite number of milliseconds since the epoch.',
        { path: 'provenance.observedAt' },
      );
    }
    return { source: input.source, observedAt, confidence, citation: input.citation };
  }

  private checkedAttributes(attributes: AttributeValues | undefined): AttributeValues | undefined {
    if (attributes === undefined) return undefined;
    if (typeof attributes !== 'object' || attributes === null) {
      throw new GraphInputError('invalid-input', 'graph: attributes must be an object.', {
        path: 'attributes',
      });
    }
    const copy: Record<string, JsonValue> = {};
    for (const name of Object.keys(attributes)) {
      const value = attributes[name];
      if (value === undefined) continue;
      if (!isJsonValue(value)) {
        throw new GraphInputError(
          'invalid-input',
          `graph: attribute "${name}" is not a JSON value (finite numbers, strings, booleans, null, plain objects and arrays only).`,
          { path: `attributes.${name}` },
        );
      }
      copy[name] = cloneJson(value);
    }
    return copy;
  }

  upsertNode<K extends NodeKind = NodeKind>(input: NodeInput<K>): UpsertOutcome {
    const parsed = parseEntityRef(input.ref);
    if (parsed === undefined) {
      throw new GraphInputError(
        'invalid-ref',
        `graph: "${input.ref}" is not an entity reference; use kind:namespace/name.`,
        { path: 'ref' },
      );
    }
    return this.applyNode(
      input.ref,
      this.checkedAttributes(input.attributes as AttributeValues | undefined),
      this.provenanceFrom(input.provenance),
      undefined,
      parsed,
    );
  }

  upsertEdge<K extends EdgeKind = EdgeKind>(input: EdgeInput<K>): UpsertOutcome {
    for (const field of ['source', 'target'] as const) {
      if (parseEntityRef(input[field]) === undefined) {
        throw new GraphInputError(
          'invalid-ref',
          `graph: edge ${field} "${input[field]}" is not an entity reference; use kind:namespace/name.`,
          { path: field },
        );
      }
    }
    if (typeof input.kind !== 'string' || !kindPattern.test(input.kind)) {
      throw new GraphInputError('invalid-input', `graph: "${String(input.kind)}" is not an edge kind.`, {
        path: 'kind',
      });
    }
    return this.applyEdge(
      input.source,
      input.kind,
      input.target,
      this.checkedAttributes(input.attributes as AttributeValues | undefined),
      this.provenanceFrom(input.provenance),
    );
  }

  /**
   * Internal: adds or merges a node; values must already be valid JSON.
   *
   * @param ref - The entity reference.
   * @param attributes - Attribute values.
   * @param provenance - The observation.
   * @param observed - `[provenance]`, when the caller shares one list across several facts.
   * @param parsed - The parsed reference, when the caller has it.
   * @param owned - Whether `attributes` is a new object the caller gives up (kept as the values of
   *   a new node instead of being copied).
   * @returns What happened.
   */
  applyNode(
    ref: EntityRef,
    attributes: AttributeValues | undefined,
    provenance: Provenance,
    observed?: readonly Provenance[],
    parsed?: ParsedEntityRef,
    owned = false,
  ): UpsertOutcome {
    const existing = this.nodeStates.get(ref);
    if (existing !== undefined) {
      this.recentRef = ref;
      this.recentNode = existing;
      return this.mergeNode(existing, attributes, provenance, observed);
    }
    this.recentRef = ref;
    this.recentNode = this.createNode(ref, attributes, provenance, observed, parsed, owned);
    return 'created';
  }

  private mergeNode(
    state: NodeState,
    attributes: AttributeValues | undefined,
    provenance: Provenance,
    observed: readonly Provenance[] | undefined,
  ): UpsertOutcome {
    if (!this.mergeFacts('node', state, attributes, provenance, observed)) return 'unchanged';
    state.view = undefined;
    return 'updated';
  }

  private createNode(
    ref: EntityRef,
    attributes: AttributeValues | undefined,
    provenance: Provenance,
    observed: readonly Provenance[] | undefined,
    parsed?: ParsedEntityRef,
    owned = false,
  ): NodeState {
    const parts = parsed ?? parseEntityRef(ref);
    if (parts === undefined) {
      throw new GraphInputError(
        'invalid-ref',
        `graph: "${ref}" is not an entity reference; use kind:namespace/name.`,
        { path: 'ref' },
      );
    }
    const facts = newFacts(attributes, observed ?? [provenance], owned);
    const state: NodeState = {
      id: this.nextId++,
      ref,
      kind: parts.kind as NodeKind,
      namespace: parts.namespace,
      name: parts.name,
      provenance: facts.provenance,
      stale: false,
      values: facts.values,
      valueSources: facts.valueSources,
      sources: facts.sources,
      history: undefined,
      staleAttributes: undefined,
      ...NO_ADJACENCY,
      structureIn: 0,
      structureOut: 0,
      dependencyIn: 0,
      dependencyOut: 0,
      view: undefined,
    };
    this.insertNode(state);
    if (this.events.listenerCount('node:added') > 0) {
      this.events.emit('node:added', { ref, kind: state.kind, provenance });
    }
    return state;
  }

  /** An edge's end: merges `provenance` into it (`null`: leaves an existing node alone) or creates it. */
  private endpoint(
    ref: EntityRef,
    provenance: Provenance | null,
    edgeProvenance: Provenance,
    observed: readonly Provenance[] | undefined,
  ): NodeState {
    const node = provenance ?? edgeProvenance;
    const shared = node === edgeProvenance ? observed : undefined;
    const existing = ref === this.recentRef ? this.recentNode : this.nodeStates.get(ref);
    if (existing === undefined) return this.createNode(ref, undefined, node, shared);
    if (provenance !== null) this.mergeNode(existing, undefined, node, shared);
    return existing;
  }

  /**
   * Internal: adds or merges an edge and its endpoints; values must already be valid JSON.
   *
   * @param source - Source entity.
   * @param kind - Edge kind.
   * @param target - Target entity.
   * @param attributes - Attribute values.
   * @param provenance - The observation.
   * @param sourceProvenance - What supports the source node's existence; the edge's provenance by
   *   default; `null` to leave an existing source node untouched (and create a missing one with
   *   the edge's provenance).
   * @param targetProvenance - The same for the target node.
   * @param observed - `[provenance]`, when the caller shares one list across several facts.
   * @param owned - Whether `attributes` is a new object the caller gives up (kept as the values of
   *   a new edge instead of being copied).
   * @returns What happened to the edge.
   */
  applyEdge(
    source: EntityRef,
    kind: string,
    target: EntityRef,
    attributes: AttributeValues | undefined,
    provenance: Provenance,
    sourceProvenance: Provenance | null = provenance,
    targetProvenance: Provenance | null = provenance,
    observed?: readonly Provenance[],
    owned = false,
  ): UpsertOutcome {
    if (source === target) {
      throw new GraphInputError('invalid-input', `graph: an edge cannot link "${source}" to itself.`, {
        path: 'target',
      });
    }
    const sourceNode = this.endpoint(source, sourceProvenance, provenance, observed);
    const targetNode = this.endpoint(target, targetProvenance, provenance, observed);
    const existing = findEdge(sourceNode, kind, targetNode);
    if (existing !== undefined) {
      if (!this.mergeFacts('edge', existing, attributes, provenance, observed)) return 'unchanged';
      existing.view = undefined;
      return 'updated';
    }
    const facts = newFacts(attributes, observed ?? [provenance], owned);
    const state: EdgeState = {
      kind: kind as EdgeKind,
      source: sourceNode.ref,
      target: targetNode.ref,
      sourceNode,
      targetNode,
      nextOut: undefined,
      nextIn: undefined,
      role: roleCode(this.roles[kind]),
      provenance: facts.provenance,
      stale: false,
      values: facts.values,
      valueSources: facts.valueSources,
      sources: facts.sources,
      history: undefined,
      staleAttributes: undefined,
      view: undefined,
    };
    linkEdge(state);
    this.edgeTotal++;
    if (this.events.listenerCount('edge:added') > 0) {
      this.events.emit('edge:added', {
        key: edgeKeyOf(state),
        kind: state.kind,
        source: state.source,
        target: state.target,
        provenance,
      });
    }
    return 'created';
  }

  private mergeFacts(
    subjectType: 'node' | 'edge',
    holder: NodeState | EdgeState,
    attributes: AttributeValues | undefined,
    provenance: Provenance,
    observed: readonly Provenance[] | undefined,
  ): boolean {
    const notify = this.events.listenerCount('fact:updated') > 0;
    // The subject (an edge's key is made on demand) is only needed for events.
    const subject = !notify ? '' : 'ref' in holder ? holder.ref : edgeKeyOf(holder);
    const confidenceBefore = notify ? confidenceOf(holder.provenance) : 0;
    let changed = mergeExistence(holder, provenance, this.horizonOf);
    const confidenceAfter = changed && notify ? confidenceOf(holder.provenance) : confidenceBefore;
    if (confidenceAfter !== confidenceBefore) {
      this.events.emit('fact:updated', {
        subject,
        subjectType,
        confidence: confidenceAfter,
        previousConfidence: confidenceBefore,
        provenance,
      });
    }
    if (attributes === undefined) return changed;
    let shared = observed;
    for (const name in attributes) {
      const value = attributes[name] as JsonValue | undefined;
      if (value === undefined) continue;
      const known = sourcesOf(holder, name);
      const previousValue = holder.values[name];
      const previousConfidence = known === undefined ? 0 : confidenceOf(known);
      shared ??= [provenance];
      if (!mergeAttribute(holder, name, value, provenance, shared, this.horizonOf)) continue;
      changed = true;
      if (!notify) continue;
      const after = sourcesOf(holder, name) as readonly Provenance[];
      const confidence = confidenceOf(after);
      const valueChanged = known === undefined || holder.values[name] !== previousValue;
      if (!valueChanged && confidence === previousConfidence) continue;
      // Values handed to listeners are the stored ones, frozen (they may be shared by other nodes).
      const event: FactUpdatedEvent =
        known === undefined
          ? {
              subject,
              subjectType,
              attribute: name,
              value: freezeDeep(holder.values[name] as JsonValue),
              confidence,
              previousConfidence,
              provenance,
            }
          : {
              subject,
              subjectType,
              attribute: name,
              value: freezeDeep(holder.values[name] as JsonValue),
              previousValue: freezeDeep(previousValue as JsonValue),
              confidence,
              previousConfidence,
              provenance,
            };
      this.events.emit('fact:updated', event);
    }
    return changed;
  }

  private insertNode(state: NodeState): void {
    this.nodeStates.set(state.ref, state);
    const byKind = indexEntry(this.kindIndex, state.kind);
    byKind.members.add(state);
    state.kind = byKind.key as NodeKind;
    const byNamespace = indexEntry(this.namespaceIndex, state.namespace);
    byNamespace.members.add(state);
    state.namespace = byNamespace.key;
    const name = state.name.toLowerCase();
    const byName = this.nameIndex.get(name);
    if (byName === undefined) this.nameIndex.set(name, state);
    else if (Array.isArray(byName)) byName.push(state);
    else this.nameIndex.set(name, [byName, state]);
  }

  /**
   * Internal: puts a node's facts read from a snapshot in place, replacing any existing facts
   * of that node (its edges stay).
   *
   * @param ref - The entity reference.
   * @param facts - The facts.
   * @param parsed - The parsed reference, when the caller has it.
   * @returns The node's state.
   */
  restoreNode(ref: EntityRef, facts: FactHolder, parsed?: ParsedEntityRef): NodeState {
    const existing = this.nodeStates.get(ref);
    if (existing !== undefined) {
      assignFacts(existing, facts);
      existing.view = undefined;
      return existing;
    }
    const parts = parsed ?? parseEntityRef(ref);
    if (parts === undefined)
      throw new GraphInputError('invalid-ref', `graph: "${ref}" is not an entity reference.`);
    const state: NodeState = {
      id: this.nextId++,
      ref,
      kind: parts.kind as NodeKind,
      namespace: parts.namespace,
      name: parts.name,
      provenance: facts.provenance,
      stale: facts.stale,
      values: facts.values,
      valueSources: facts.valueSources,
      sources: facts.sources,
      history: facts.history,
      staleAttributes: facts.staleAttributes,
      ...NO_ADJACENCY,
      structureIn: 0,
      structureOut: 0,
      dependencyIn: 0,
      dependencyOut: 0,
      view: undefined,
    };
    this.insertNode(state);
    return state;
  }

  /**
   * Internal: puts an edge's facts read from a snapshot in place, replacing any existing facts.
   *
   * @param source - Source entity (must exist).
   * @param kind - Edge kind.
   * @param target - Target entity (must exist).
   * @param facts - The facts.
   * @returns Whether the edge existed already.
   */
  restoreEdge(source: EntityRef, kind: string, target: EntityRef, facts: FactHolder): boolean {
    const sourceNode = this.nodeStates.get(source);
    const targetNode = this.nodeStates.get(target);
    if (sourceNode === undefined || targetNode === undefined) {
      throw new GraphInputError(
        'invalid-input',
        `graph: edge "${source} -[${kind}]-> ${target}" links a node that does not exist.`,
      );
    }
    return this.restoreEdgeBetween(sourceNode, kind, targetNode, facts);
  }

  /**
   * Internal: {@link GraphStore.restoreEdge} with the node states at hand.
   *
   * @param sourceNode - Source node.
   * @param kind - Edge kind.
   * @param targetNode - Target node.
   * @param facts - The facts.
   * @returns Whether the edge existed already.
   */
  restoreEdgeBetween(sourceNode: NodeState, kind: string, targetNode: NodeState, facts: FactHolder): boolean {
    const existing = findEdge(sourceNode, kind, targetNode);
    if (existing !== undefined) {
      assignFacts(existing, facts);
      existing.view = undefined;
      return true;
    }
    linkEdge({
      kind: kind as EdgeKind,
      source: sourceNode.ref,
      target: targetNode.ref,
      sourceNode,
      targetNode,
      nextOut: undefined,
      nextIn: undefined,
      role: roleCode(this.roles[kind]),
      provenance: facts.provenance,
      stale: facts.stale,
      values: facts.values,
      valueSources: facts.valueSources,
      sources: facts.sources,
      history: facts.history,
      staleAttributes: facts.staleAttributes,
      view: undefined,
    });
    this.edgeTotal++;
    return false;
  }

  removeNode(ref: EntityRef): boolean {
    const state = this.nodeStates.get(ref);
    if (state === undefined) return false;
    this.recentRef = undefined;
    this.recentNode = undefined;
    // Unlink each edge from its other end only: this node's own lists go with it.
    for (const edge of outgoingEdges(state)) unlinkEdge(edge, true, false);
    for (const edge of incomingEdges(state)) unlinkEdge(edge, false, true);
    this.edgeTotal -= state.outCount + state.inCount;
    Object.assign(state, NO_ADJACENCY);
    this.nodeStates.delete(ref);
    this.kindIndex.get(state.kind)?.members.delete(state);
    this.namespaceIndex.get(state.namespace)?.members.delete(state);
    const name = state.name.toLowerCase();
    const rest = this.nodesNamed(name).filter((entry) => entry !== state);
    if (rest.length === 0) this.nameIndex.delete(name);
    else this.nameIndex.set(name, rest.length === 1 ? (rest[0] as NodeState) : rest);
    return true;
  }

  removeEdge(key: string): boolean {
    const state = this.edgeState(key);
    if (state === undefined) return false;
    unlinkEdge(state);
    this.edgeTotal--;
    return true;
  }

  // ---- reading ----------------------------------------------------------------------------

  /**
   * Internal: the stored state of a node.
   *
   * @param ref - The entity reference.
   * @returns The state, or `undefined`.
   */
  nodeState(ref: EntityRef): NodeState | undefined {
    return this.nodeStates.get(ref);
  }

  /**
   * Internal: the stored state of an edge.
   *
   * @param key - The edge key.
   * @returns The state, or `undefined`.
   */
  edgeState(key: string): EdgeState | undefined {
    const parts = parseEdgeKey(key);
    if (parts === undefined) return undefined;
    const source = this.nodeStates.get(parts.source);
    const target = this.nodeStates.get(parts.target);
    return source === undefined || target === undefined ? undefined : findEdge(source, parts.kind, target);
  }

  /**
   * Internal: every node state, in insertion order.
   *
   * @returns An iterator over node states.
   */
  nodeStateValues(): IterableIterator<NodeState> {
    return this.nodeStates.values();
  }

  /**
   * Internal: every edge state: by source node (in node insertion order), then in insertion order.
   *
   * @returns The edge states.
   */
  *edgeStateValues(): IterableIterator<EdgeState> {
    for (const node of this.nodeStates.values()) yield* outgoingEdges(node);
  }

  /**
   * Internal: node states of one namespace.
   *
   * @param namespace - The namespace.
   * @returns The states (empty when none).
   */
  nodesInNamespace(namespace: string): ReadonlySet<NodeState> {
    return this.namespaceIndex.get(namespace)?.members ?? new Set();
  }

  /**
   * Internal: node states by lower-cased name.
   *
   * @param name - Lower-cased name.
   * @returns The states (empty when none).
   */
  nodesNamed(name: string): readonly NodeState[] {
    const byName = this.nameIndex.get(name);
    if (byName === undefined) return [];
    return Array.isArray(byName) ? byName : [byName];
  }

  /**
   * Internal: node states of one kind.
   *
   * @param kind - The node kind.
   * @returns The states (empty when none).
   */
  nodesOfKind(kind: string): ReadonlySet<NodeState> {
    return this.kindIndex.get(kind)?.members ?? new Set();
  }

  /**
   * Internal: a cached read-only view of a node.
   *
   * @param state - The node state.
   * @returns The view.
   */
  nodeView(state: NodeState): GraphNode {
    if (state.view !== undefined) return state.view;
    const view: GraphNode = {
      ref: state.ref,
      kind: state.kind,
      namespace: state.namespace,
      name: state.name,
      confidence: confidenceOf(state.provenance),
      stale: state.stale,
      freshUntil: freshUntilOf(state.provenance, this.horizonOf),
      observedAt: latestOf(state.provenance),
      provenance: freezeDeep(state.provenance.slice()),
      attributes: freezeDeep({ ...state.values }),
    };
    state.view = Object.freeze(view);
    return state.view;
  }

  /**
   * Internal: a cached read-only view of an edge.
   *
   * @param state - The edge state.
   * @returns The view.
   */
  edgeView(state: EdgeState): GraphEdge {
    if (state.view !== undefined) return state.view;
    const view: GraphEdge = {
      key: edgeKeyOf(state),
      kind: state.kind,
      source: state.source,
      target: state.target,
      confidence: confidenceOf(state.provenance),
      stale: state.stale,
      freshUntil: freshUntilOf(state.provenance, this.horizonOf),
      observedAt: latestOf(state.provenance),
      provenance: freezeDeep(state.provenance.slice()),
      attributes: freezeDeep({ ...state.values }),
    };
    state.view = Object.freeze(view);
    return state.view;
  }

  /**
   * Internal: starts a traversal; returns its epoch and makes the scratch arrays big enough.
   *
   * @returns The epoch to stamp nodes with.
   */
  beginTraversal(): number {
    if (this.seen.length < this.nextId) {
      let capacity = this.seen.length;
      while (capacity < this.nextId) capacity *= 2;
      const seen = new Uint32Array(capacity);
      seen.set(this.seen);
      this.seen = seen;
      this.slot = new Int32Array(capacity);
    }
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }

  hasNode(ref: EntityRef): boolean {
    return this.nodeStates.has(ref);
  }

  hasEdge(key: string): boolean {
    return this.edgeState(key) !== undefined;
  }

  getNode<K extends NodeKind = NodeKind>(ref: EntityRef): GraphNode<K> | undefined {
    const state = this.nodeStates.get(ref);
    return state === undefined ? undefined : (this.nodeView(state) as GraphNode<K>);
  }

  getEdge<K extends EdgeKind = EdgeKind>(key: string): GraphEdge<K> | undefined {
    const state = this.edgeState(key);
    return state === undefined ? undefined : (this.edgeView(state) as GraphEdge<K>);
  }

  facts(subject: string): FactSheet | undefined {
    const state = this.nodeStates.get(subject) ?? this.edgeState(subject);
    if (state === undefined) return undefined;
    return {
      subject,
      confidence: confidenceOf(state.provenance),
      stale: state.stale,
      freshUntil: freshUntilOf(state.provenance, this.horizonOf),
      observedAt: latestOf(state.provenance),
      provenance: state.provenance.slice(),
      attributes: attributeFacts(state, this.horizonOf),
    };
  }

  nodes(filter: NodeFilter = {}): GraphNode[] {
    const now = filter.fresh === true ? this.clock.now() : 0;
    const checkFacts = isActiveFilter(filter);
    const kinds = filter.kinds === undefined ? undefined : new Set<string>(filter.kinds);
    const result: GraphNode[] = [];
    const visit = (state: NodeState): void => {
      if (filter.namespace !== undefined && state.namespace !== filter.namespace) return;
      if (kinds !== undefined && !kinds.has(state.kind)) return;
      if (checkFacts && !passesFactFilter(state, filter, now, this.horizonOf)) return;
      result.push(this.nodeView(state));
    };
    if (kinds !== undefined && filter.namespace === undefined) {
      for (const kind of kinds) for (const state of this.kindIndex.get(kind)?.members ?? []) visit(state);
    } else if (filter.namespace !== undefined) {
      for (const state of this.namespaceIndex.get(filter.namespace)?.members ?? []) visit(state);
    } else {
      for (const state of this.nodeStates.values()) visit(state);
    }
    return result;
  }

  edges(filter: EdgeFilter = {}): GraphEdge[] {
    const now = filter.fresh === true ? this.clock.now() : 0;
    const checkFacts = isActiveFilter(filter);
    const kinds = filter.kinds === undefined ? undefined : new Set<string>(filter.kinds);
    const result: GraphEdge[] = [];
    const visit = (state: EdgeState): void => {
      if (filter.from !== undefined && state.source !== filter.from) return;
      if (filter.to !== undefined && state.target !== filter.to) return;
      if (kinds !== undefined && !kinds.has(state.kind)) return;
      if (checkFacts && !passesFactFilter(state, filter, now, this.horizonOf)) return;
      result.push(this.edgeView(state));
    };
    if (filter.from !== undefined) {
      const node = this.nodeStates.get(filter.from);
      if (node !== undefined) for (const state of outgoingEdges(node)) visit(state);
    } else if (filter.to !== undefined) {
      const node = this.nodeStates.get(filter.to);
      if (node !== undefined) for (const state of incomingEdges(node)) visit(state);
    } else {
      for (const state of this.edgeStateValues()) visit(state);
    }
    return result;
  }

  findByName(name: string, options: FindByNameOptions = {}): EntityRef[] {
    const kinds = options.kinds === undefined ? undefined : new Set<string>(options.kinds);
    const result: EntityRef[] = [];
    for (const state of this.nodesNamed(name.toLowerCase())) {
      if (kinds !== undefined && !kinds.has(state.kind)) continue;
      if (
        options.namespace !== undefined &&
        state.namespace !== options.namespace &&
        state.namespace !== 'global'
      ) {
        continue;
      }
      result.push(state.ref);
    }
    return result;
  }

  // ---- queries ----------------------------------------------------------------------------

  dependencies(ref: EntityRef, options: TraversalOptions = {}): DependencyHit[] {
    return traverseDependencies(this, ref, 'dependencies', options);
  }

  dependents(ref: EntityRef, options: TraversalOptions = {}): DependencyHit[] {
    return traverseDependencies(this, ref, 'dependents', options);
  }

  neighbourhood(ref: EntityRef, options: NeighbourhoodOptions = {}): Subgraph {
    return neighbourhood(this, ref, options);
  }

  paths(from: EntityRef, to: EntityRef, options: PathOptions = {}): GraphPath[] {
    return paths(this, from, to, options);
  }

  peersSharing(ref: EntityRef, options: PeerOptions = {}): SharedResourcePeer[] {
    return peersSharing(this, ref, options);
  }

  criticality(ref: EntityRef, options: CriticalityOptions = {}): Criticality {
    return criticality(this, ref, options);
  }

  changesNear(ref: EntityRef, options: ChangeWindowOptions = {}): NearbyChange[] {
    return changesNear(this, ref, options);
  }

  incidentsTouching(ref: EntityRef, options: IncidentTouchOptions = {}): IncidentTouches {
    return incidentsTouching(this, ref, options);
  }

  // ---- ageing and persistence ----------------------------------------------------------------

  markStale(): StaleReport {
    const at = this.clock.now();
    const marked: StaleFact[] = [];
    let staleCount = 0;
    const notify = this.events.listenerCount('fact:stale') > 0;
    const horizonOf = this.horizonOf;
    const record = (event: StaleFact): void => {
      marked.push(event);
      if (notify) this.events.emit('fact:stale', event);
    };
    const visit = (
      subjectType: 'node' | 'edge',
      holder: FactHolder & { view: unknown },
      subject: string,
    ): void => {
      let changed = false;
      if (holder.stale) staleCount++;
      else if (freshUntilOf(holder.provenance, horizonOf) < at) {
        holder.stale = true;
        staleCount++;
        changed = true;
        record({ subject, subjectType, observedAt: latestOf(holder.provenance) });
      }
      for (const name in holder.values) {
        const sources = sourcesOf(holder, name) as readonly Provenance[];
        if (holder.staleAttributes?.has(name)) {
          staleCount++;
          continue;
        }
        if (!(freshUntilOf(sources, horizonOf) < at)) continue;
        holder.staleAttributes ??= new Set();
        holder.staleAttributes.add(name);
        staleCount++;
        changed = true;
        record({ subject, subjectType, attribute: name, observedAt: latestOf(sources) });
      }
      if (changed) holder.view = undefined;
    };
    for (const state of this.nodeStates.values()) visit('node', state, state.ref);
    for (const node of this.nodeStates.values()) {
      for (const state of outgoingEdges(node)) visit('edge', state, edgeKeyOf(state));
    }
    return { at, marked, staleCount };
  }

  snapshot(): GraphSnapshot {
    return encodeSnapshot(this);
  }

  merge(snapshot: unknown): void {
    // Read into a graph of its own first: a malformed snapshot leaves this one as it was.
    const source = new GraphStore({ clock: this.clock });
    decodeSnapshotInto(snapshot, source);
    const replay = (
      apply: (attributes: AttributeValues | undefined, provenance: Provenance) => void,
      facts: FactHolder,
    ) => {
      for (const provenance of facts.provenance) apply(undefined, provenance);
      for (const name of Object.keys(facts.values)) {
        for (const record of attributeValues(facts, name)) {
          for (const provenance of record.provenance) apply({ [name]: record.value }, provenance);
        }
      }
    };
    for (const node of source.nodeStateValues()) {
      replay((attributes, provenance) => this.applyNode(node.ref, attributes, provenance), node);
    }
    for (const edge of source.edgeStateValues()) {
      replay(
        (attributes, provenance) =>
          this.applyEdge(edge.source, edge.kind, edge.target, attributes, provenance),
        edge,
      );
    }
  }

  toGraphology(): MultiDirectedGraph {
    // Values are copied: the copy is the caller's to change (stored values are shared, among
    // nodes too once a snapshot has been loaded).
    const attributesOf = (state: NodeState | EdgeState): Record<string, JsonValue> => {
      const attributes = cloneJson(state.values) as Record<string, JsonValue>;
      attributes.kind = state.kind;
      attributes.confidence = confidenceOf(state.provenance);
      return attributes;
    };
    const copy = new MultiDirectedGraph();
    for (const state of this.nodeStates.values()) copy.addNode(state.ref, attributesOf(state));
    for (const state of this.edgeStateValues()) {
      copy.addEdgeWithKey(edgeKeyOf(state), state.source, state.target, attributesOf(state));
    }
    return copy;
  }
}

/**
 * Internal: the store behind a {@link KnowledgeGraph} made by this package.
 *
 * @param graph - A graph from {@link createKnowledgeGraph} or {@link loadSnapshot}.
 * @returns Its store.
 * @throws {@link GraphInputError} for any other object.
 */
export function storeOf(graph: KnowledgeGraph): GraphStore {
  if (graph instanceof GraphStore) return graph;
  throw new GraphInputError(
    'invalid-input',
    'graph: expected a graph made by createKnowledgeGraph() or loadSnapshot().',
  );
}
