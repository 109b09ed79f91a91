import { z } from 'zod';
import { type ConnectionEndpoint, kindFromSchemeOrPort } from './connection-targets';
import { formatEntityRef, GLOBAL_NAMESPACE } from './entity-ref';
import { joined } from './flat-text';
import { formatFieldPath, GraphInputError } from './graph-errors';
import { type AttributeValues, type GraphStore, storeOf } from './graph-store';
import type { IngestReport, SkippedDocument } from './ingest-report';
import type { KnowledgeGraph } from './knowledge-graph';
import { type SourceObject, splitKubernetesInput } from './kubernetes-documents';
import { datastoreOfImage, metadataAttributes, type ObjectMetadata } from './kubernetes-metadata';
import {
  dependenciesFromSettings,
  type FoundDependency,
  type PodSpecSummary,
  type Setting,
  settingsFromConfigMap,
  summarisePodSpec,
} from './kubernetes-pod-spec';
import { parseBytes, parseMillicores, parseQuantity } from './kubernetes-quantities';
import {
  autoscalerSpecSchema,
  clusterNodeSchema,
  configMapSchema,
  controllerSpecSchema,
  cronJobSpecSchema,
  ingressSpecSchema,
  jobSpecSchema,
  metadataSchema,
  namespaceSchema,
  type PodSpec,
  podSchema,
  serviceSpecSchema,
} from './kubernetes-schemas';
import type { NodeKind, NodeResources, PortSummary, WorkloadKind } from './node-kinds';
import type { FactSource, Provenance } from './provenance';
import { safeParseWithoutCopy } from './schema-fast-check';
import { sortStrings } from './small-sort';

/** Options of {@link ingestKubernetes}. */
export interface KubernetesIngestOptions {
  /** Source recorded in the provenance; `kubernetes` by default. */
  readonly source?: FactSource;
  /** When the objects were observed; the graph's clock by default. */
  readonly observedAt?: number;
  /** Prefix of every citation, e.g. the file or the command (`kubectl get all -n shop`). */
  readonly citation?: string;
  /** Namespace of objects that name none; `default` by default. */
  readonly defaultNamespace?: string;
  /** Confidence of dependencies inferred from configuration (URLs, host names); 0.9 by default. */
  readonly inferredConfidence?: number;
}

const workloadKinds: Readonly<Record<string, WorkloadKind>> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  CronJob: 'cronjob',
  Job: 'job',
};

const skipReasons: Readonly<Record<string, string>> = {
  Secret: 'Secret values are never read; workloads record only which secrets they reference',
  ReplicaSet: 'represented by its Deployment',
  ControllerRevision: 'represented by its StatefulSet or DaemonSet',
  Endpoints: 'derived from its Service',
  EndpointSlice: 'derived from its Service',
  Event: 'events are signals, not topology',
};

const withMetadata = <T extends z.ZodRawShape>(shape: T) => z.object({ metadata: metadataSchema, ...shape });
const schemas = {
  controller: withMetadata({ spec: controllerSpecSchema }),
  job: withMetadata({ spec: jobSpecSchema }),
  cronJob: withMetadata({ spec: cronJobSpecSchema }),
  pod: withMetadata(podSchema.shape),
  service: withMetadata({ spec: serviceSpecSchema.nullish() }),
  ingress: withMetadata({ spec: ingressSpecSchema }),
  configMap: withMetadata(configMapSchema.shape),
  autoscaler: withMetadata({ spec: autoscalerSpecSchema }),
  node: withMetadata(clusterNodeSchema.shape),
  namespace: withMetadata(namespaceSchema.shape),
};

interface Header {
  readonly documentIndex: number;
  readonly path: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly metadata: ObjectMetadata;
  readonly citation: string;
}

type Parsed =
  | {
      type: 'workload';
      header: Header;
      kind: WorkloadKind;
      ref: string;
      replicas: number | undefined;
      podLabels: Record<string, string>;
      podSpec: PodSpec;
      /** Made when the batch context needs it (else while planning, and not kept). */
      summary?: PodSpecSummary;
      schedule?: string;
      suspend?: boolean | undefined;
      dependencies?: FoundDependency[];
    }
  | {
      type: 'pod';
      header: Header;
      ref: string;
      owner: string | undefined;
      /** Whether the owner is in the batch or the graph (its template carries the dependencies). */
      ownerKnown?: boolean;
      body: z.infer<typeof schemas.pod>;
      /** Made when the batch context needs it (else while planning, and not kept). */
      summary?: PodSpecSummary;
      dependencies?: FoundDependency[];
    }
  | { type: 'service'; header: Header; spec: z.infer<typeof serviceSpecSchema> | null | undefined }
  | { type: 'ingress'; header: Header; spec: z.infer<typeof ingressSpecSchema> }
  | { type: 'configmap'; header: Header; data: Record<string, string>; keys: string[] }
  | { type: 'autoscaler'; header: Header; spec: z.infer<typeof autoscalerSpecSchema> }
  | { type: 'node'; header: Header; body: z.infer<typeof schemas.node> }
  | { type: 'namespace'; header: Header; body: z.infer<typeof schemas.namespace> };

type Outcome = Parsed | { skip: SkippedDocument } | { error: GraphInputError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

function documentError(object: SourceObject, path: string, message: string): { error: GraphInputError } {
  const fullPath = joinPath(object.path, path);
  return {
    error: new GraphInputError(
      'invalid-document',
      `graph-kubernetes: document ${object.documentIndex}${fullPath === '' ? '' : ` at ${fullPath}`}: ${message}. Fix or drop this document; the others were ingested.`,
      { documentIndex: object.documentIndex, path: fullPath },
    ),
  };
}

function validate<S extends z.ZodType>(
  schema: S,
  object: SourceObject,
  kind: string,
): { data: z.infer<S> } | { error: GraphInputError } {
  // Without zod's copy when the document needs no transform: what is kept from it is copied below.
  const result = safeParseWithoutCopy(schema, object.value);
  if (result.success) return { data: result.data };
  const issue = result.error.issues[0];
  return documentError(object, formatFieldPath(issue?.path ?? []), `${kind}: ${issue?.message ?? 'invalid'}`);
}

function podOwner(metadata: ObjectMetadata, namespace: string): string | undefined {
  const references = metadata.ownerReferences ?? [];
  let owner = references[0];
  for (const reference of references) {
    if (reference.controller === true) {
      owner = reference;
      break;
    }
  }
  if (owner === undefined) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const hash = metadata.labels?.['pod-template-hash'];
    const name =
      hash !== undefined && owner.name.endsWith(`-${hash}`)
        ? owner.name.slice(0, -(hash.length + 1))
        : owner.name.replace(/-[a-z0-9]{5,10}$/, '');
    return formatEntityRef('deployment', namespace, name);
  }
  const kind = workloadKinds[owner.kind];
  return kind === undefined ? undefined : formatEntityRef(kind, namespace, owner.name);
}

function makeHeader(
  object: SourceObject,
  kind: string,
  options: KubernetesIngestOptions,
  metadata: ObjectMetadata,
  clusterScoped = false,
): Header {
  const namespace = clusterScoped
    ? GLOBAL_NAMESPACE
    : (metadata.namespace ?? options.defaultNamespace ?? 'default');
  const prefix = options.citation === undefined ? '' : `${options.citation}: `;
  return {
    documentIndex: object.documentIndex,
    path: object.path,
    kind,
    name: metadata.name,
    namespace,
    metadata,
    citation: clusterScoped
      ? joined(prefix, kind, ' ', metadata.name)
      : joined(prefix, kind, ' ', namespace, '/', metadata.name),
  };
}

function parseObject(object: SourceObject, options: KubernetesIngestOptions): Outcome {
  const value = object.value;
  if (!isRecord(value)) return documentError(object, '', 'expected a Kubernetes object (a mapping)');
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '')
    return documentError(object, 'kind', 'missing or not a string');
  const rawMetadata = isRecord(value.metadata) ? value.metadata : undefined;
  const rawName = typeof rawMetadata?.name === 'string' ? rawMetadata.name : undefined;
  const skipReason = skipReasons[kind];
  if (skipReason !== undefined) {
    return {
      skip: {
        documentIndex: object.documentIndex,
        ...(object.path === '' ? {} : { path: object.path }),
        kind,
        ...(rawName === undefined ? {} : { name: rawName }),
        reason: skipReason,
      },
    };
  }
  const workloadKind = workloadKinds[kind];
  if (workloadKind !== undefined) {
    if (workloadKind === 'cronjob') {
      const result = validate(schemas.cronJob, object, kind);
      if ('error' in result) return result;
      const data = result.data;
      const template = data.spec.jobTemplate.spec.template;
      const objectHeader = makeHeader(object, kind, options, data.metadata);
      return {
        type: 'workload',
        header: objectHeader,
        kind: workloadKind,
        ref: formatEntityRef(workloadKind, objectHeader.namespace, objectHeader.name),
        replicas: undefined,
        podLabels: template.metadata?.labels ?? {},
        podSpec: template.spec,
        schedule: data.spec.schedule,
        suspend: data.spec.suspend,
      };
    }
    const result =
      workloadKind === 'job'
        ? validate(schemas.job, object, kind)
        : validate(schemas.controller, object, kind);
    if ('error' in result) return result;
    const data: {
      metadata: ObjectMetadata;
      spec: z.infer<typeof jobSpecSchema> & { replicas?: number | undefined };
    } = result.data;
    const objectHeader = makeHeader(object, kind, options, data.metadata);
    return {
      type: 'workload',
      header: objectHeader,
      kind: workloadKind,
      ref: formatEntityRef(workloadKind, objectHeader.namespace, objectHeader.name),
      replicas: data.spec.replicas,
      podLabels: data.spec.template.metadata?.labels ?? {},
      podSpec: data.spec.template.spec,
    };
  }
  switch (kind) {
    case 'Pod': {
      const result = validate(schemas.pod, object, kind);
      if ('error' in result) return result;
      const objectHeader = makeHeader(object, kind, options, result.data.metadata);
      return {
        type: 'pod',
        header: objectHeader,
        ref: formatEntityRef('pod', objectHeader.namespace, objectHeader.name),
        owner: podOwner(result.data.metadata, objectHeader.namespace),
        body: result.data,
      };
    }
    case 'Service': {
      const result = validate(schemas.service, object, kind);
      if ('error' in result) return result;
      return {
        type: 'service',
        header: makeHeader(object, kind, options, result.data.metadata),
        spec: result.data.spec,
      };
    }
    case 'Ingress': {
      const result = validate(schemas.ingress, object, kind);
      if ('error' in result) return result;
      return {
        type: 'ingress',
        header: makeHeader(object, kind, options, result.data.metadata),
        spec: result.data.spec,
      };
    }
    case 'ConfigMap': {
      const result = validate(schemas.configMap, object, kind);
      if ('error' in result) return result;
      const data = result.data.data ?? {};
      const keys = sortStrings([...Object.keys(data), ...Object.keys(result.data.binaryData ?? {})]);
      return {
        type: 'configmap',
        header: makeHeader(object, kind, options, result.data.metadata),
        data,
        keys,
      };
    }
    case 'HorizontalPodAutoscaler': {
      const result = validate(schemas.autoscaler, object, kind);
      if ('error' in result) return result;
      return {
        type: 'autoscaler',
        header: makeHeader(object, kind, options, result.data.metadata),
        spec: result.data.spec,
      };
    }
    case 'Node': {
      const result = validate(schemas.node, object, kind);
      if ('error' in result) return result;
      return {
        type: 'node',
        header: makeHeader(object, kind, options, result.data.metadata, true),
        body: result.data,
      };
    }
    case 'Namespace': {
      const result = validate(schemas.namespace, object, kind);
      if ('error' in result) return result;
      return {
        type: 'namespace',
        header: makeHeader(object, kind, options, result.data.metadata, true),
        body: result.data,
      };
    }
    default:
      return {
        skip: {
          documentIndex: object.documentIndex,
          ...(object.path === '' ? {} : { path: object.path }),
          kind,
          ...(rawName === undefined ? {} : { name: rawName }),
          reason: `unsupported kind ${kind}`,
        },
      };
  }
}

// ---- batch context ----------------------------------------------------------------------------

/** Values by namespace, then name (no `namespace/name` key string to build per lookup). */
type ScopedMap<T> = Map<string, Map<string, T>>;

function scopedGet<T>(map: ScopedMap<T>, namespace: string, name: string): T | undefined {
  return map.get(namespace)?.get(name);
}

function scopedSet<T>(map: ScopedMap<T>, namespace: string, name: string, value: T): void {
  let byName = map.get(namespace);
  if (byName === undefined) {
    byName = new Map();
    map.set(namespace, byName);
  }
  byName.set(name, value);
}

interface Selectable {
  readonly ref: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly images: readonly string[];
  /** Whether the batch defines it (else it is a workload already in the graph). */
  readonly inBatch: boolean;
}

interface BatchContext {
  readonly store: GraphStore;
  /** ns/name → kind of the Services in the batch. */
  readonly serviceKinds: Map<string, NodeKind>;
  /** ns/name → workloads a batch Service selects. */
  readonly selections: Map<string, Selectable[]>;
  /** workload ref → refs of Services already in the graph that select it. */
  readonly selectedBy: Map<string, string[]>;
  /** ns/name → ConfigMap data in the batch. */
  readonly configMaps: ScopedMap<Record<string, string>>;
  /** ns/name of a batch ConfigMap → workloads already in the graph that use it. */
  readonly configMapUsers: Map<string, string[]>;
}

const serviceLikeKinds: readonly NodeKind[] = ['redis', 'postgres', 'queue', 'service', 'external'];
const portNameKinds: Readonly<Record<string, NodeKind>> = {
  redis: 'redis',
  postgres: 'postgres',
  postgresql: 'postgres',
  amqp: 'queue',
  kafka: 'queue',
  nats: 'queue',
};

function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
) {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return value as Record<string, string>;
}

function knownKindInGraph(store: GraphStore, namespace: string, name: string): NodeKind | undefined {
  let found: NodeKind | undefined;
  for (const state of store.nodesNamed(name.toLowerCase())) {
    if (state.namespace !== namespace || state.name !== name) continue;
    const rank = serviceLikeKinds.indexOf(state.kind);
    if (rank >= 0 && (found === undefined || rank < serviceLikeKinds.indexOf(found))) found = state.kind;
  }
  return found;
}

function buildContext(store: GraphStore, parsed: readonly Parsed[]): BatchContext {
  /** Workloads the batch defines (the owners its pods may name). */
  const workloads = new Set<string>();
  const configMaps: ScopedMap<Record<string, string>> = new Map();
  const candidates = new Map<string, Map<string, Selectable[]>>();
  const batchNamespaces = new Set<string>();
  const addCandidate = (namespace: string, candidate: Selectable) => {
    let byPair = candidates.get(namespace);
    if (byPair === undefined) {
      byPair = new Map();
      candidates.set(namespace, byPair);
    }
    for (const key in candidate.labels) {
      const pair = `${key}=${candidate.labels[key]}`;
      const list = byPair.get(pair);
      if (list === undefined) byPair.set(pair, [candidate]);
      else list.push(candidate);
    }
  };
  for (let index = 0; index < parsed.length; index++) {
    const object = parsed[index] as Parsed;
    batchNamespaces.add(object.header.namespace);
    if (object.type === 'workload') {
      workloads.add(object.ref);
      addCandidate(object.header.namespace, {
        ref: object.ref,
        labels: object.podLabels,
        images: summaryOf(object).images,
        inBatch: true,
      });
    } else if (object.type === 'pod') {
      if (object.owner === undefined) {
        addCandidate(object.header.namespace, {
          ref: object.ref,
          labels: object.header.metadata.labels ?? {},
          images: summaryOf(object).images,
          inBatch: true,
        });
      }
    } else if (object.type === 'configmap') {
      scopedSet(configMaps, object.header.namespace, object.header.name, object.data);
    }
  }
  // Workloads and Services already in the graph, in the namespaces this batch touches.
  const graphSelectors: { namespace: string; ref: string; selector: Record<string, string> }[] = [];
  const configMapUsers = new Map<string, string[]>();
  // What the batch redefines is not read from the graph (only needed when the graph has nodes
  // in the batch's namespaces).
  let redefined: Set<string> | undefined;
  for (const namespace of batchNamespaces) {
    if (store.nodesInNamespace(namespace).size === 0) continue;
    redefined ??= batchRefs(parsed);
    for (const state of store.nodesInNamespace(namespace)) {
      if (redefined.has(state.ref)) continue;
      for (const name of stringArray(state.values.configMapRefs)) {
        if (scopedGet(configMaps, namespace, name) === undefined) continue;
        const key = `${namespace}/${name}`;
        const users = configMapUsers.get(key);
        if (users === undefined) configMapUsers.set(key, [state.ref]);
        else users.push(state.ref);
      }
      const podLabels = stringRecord(state.values.podLabels);
      if (podLabels !== undefined) {
        addCandidate(namespace, {
          ref: state.ref,
          labels: podLabels,
          images: stringArray(state.values.images),
          inBatch: false,
        });
      }
      const selector = stringRecord(state.values.selector);
      if (selector !== undefined && Object.keys(selector).length > 0) {
        graphSelectors.push({ namespace, ref: state.ref, selector });
      }
    }
  }
  const explicitHints = new Map<string, NodeKind>();
  const isNamespace = (namespace: string) =>
    batchNamespaces.has(namespace) || store.nodesInNamespace(namespace).size > 0;
  const connectionContext = {
    namespace: '',
    isNamespace,
    parsed: new Map<string, ConnectionEndpoint | null>(),
  };
  for (let index = 0; index < parsed.length; index++) {
    const object = parsed[index] as Parsed;
    if (object.type !== 'workload' && object.type !== 'pod') continue;
    if (object.type === 'pod' && object.owner !== undefined) {
      if (workloads.has(object.owner) || store.hasNode(object.owner)) {
        object.ownerKnown = true;
        continue;
      }
    }
    const settings = settingsOf(summaryOf(object), object.header.namespace, configMaps);
    connectionContext.namespace = object.header.namespace;
    object.dependencies = dependenciesFromSettings(settings, connectionContext);
    for (const { target } of object.dependencies) {
      if (target.explicitKind && target.inCluster)
        explicitHints.set(`${target.namespace}/${target.name}`, target.kind);
    }
  }
  const serviceKinds = new Map<string, NodeKind>();
  const selections = new Map<string, Selectable[]>();
  for (let index = 0; index < parsed.length; index++) {
    const object = parsed[index] as Parsed;
    if (object.type !== 'service') continue;
    const key = `${object.header.namespace}/${object.header.name}`;
    const selector = object.spec?.selector ?? {};
    const selected: Selectable[] = [];
    const firstKey = Object.keys(selector)[0];
    if (firstKey !== undefined) {
      const pool = candidates.get(object.header.namespace)?.get(`${firstKey}=${selector[firstKey]}`) ?? [];
      for (const candidate of pool) if (selectorMatches(selector, candidate.labels)) selected.push(candidate);
    }
    selections.set(key, selected);
    let kind: NodeKind | undefined;
    for (const candidate of selected) {
      for (const image of candidate.images) kind ??= datastoreOfImage(image)?.kind;
    }
    for (const port of object.spec?.ports ?? []) {
      kind ??=
        kindFromSchemeOrPort(undefined, port.port) ??
        (port.name === undefined ? undefined : portNameKinds[port.name]);
    }
    serviceKinds.set(key, kind ?? explicitHints.get(key) ?? 'service');
  }
  const selectedBy = new Map<string, string[]>();
  for (const { namespace, ref, selector } of graphSelectors) {
    const firstKey = Object.keys(selector)[0] as string;
    const pool = candidates.get(namespace)?.get(`${firstKey}=${selector[firstKey]}`) ?? [];
    for (const candidate of pool) {
      if (!candidate.inBatch || !selectorMatches(selector, candidate.labels)) continue;
      const list = selectedBy.get(candidate.ref);
      if (list === undefined) selectedBy.set(candidate.ref, [ref]);
      else list.push(ref);
    }
  }
  return { store, serviceKinds, selections, selectedBy, configMaps, configMapUsers };
}

/** The workloads and pods a batch defines. */
function batchRefs(parsed: readonly Parsed[]): Set<string> {
  const refs = new Set<string>();
  for (let index = 0; index < parsed.length; index++) {
    const object = parsed[index] as Parsed;
    if (object.type === 'workload' || object.type === 'pod') refs.add(object.ref);
  }
  return refs;
}

/** The summary of a workload's or pod's spec, kept on it (for what the batch context reads). */
function summaryOf(object: Extract<Parsed, { type: 'workload' | 'pod' }>): PodSpecSummary {
  object.summary ??= summarisePodSpec(object.type === 'workload' ? object.podSpec : object.body.spec);
  return object.summary;
}

function settingsOf(
  summary: PodSpecSummary,
  namespace: string,
  configMaps: ScopedMap<Record<string, string>>,
): readonly Setting[] {
  if (summary.configMapUses.length === 0) return summary.settings;
  const settings = summary.settings.slice();
  for (const use of summary.configMapUses) {
    const data = scopedGet(configMaps, namespace, use.name);
    if (data !== undefined) settings.push(...settingsFromConfigMap(use, data));
  }
  return settings;
}

// ---- emitting facts ---------------------------------------------------------------------------

/**
 * The facts one object contributes, gathered before any is applied, so that an object is
 * stored whole or not at all. One plan is reused for every object of a batch (parallel
 * arrays, reset per object) to keep ingestion free of bookkeeping allocations.
 */
class Plan {
  observed: Provenance;
  private observedList: readonly Provenance[];
  private readonly nodeRefs: string[] = [];
  private readonly nodeAttributes: (AttributeValues | undefined)[] = [];
  private readonly edgeSources: string[] = [];
  private readonly edgeKinds: string[] = [];
  private readonly edgeTargets: string[] = [];
  private readonly edgeAttributes: (AttributeValues | undefined)[] = [];
  /** The edge's provenance, or `undefined` for the object's own observation. */
  private readonly edgeProvenance: (Provenance | undefined)[] = [];

  /** References outside namespaces (machines, teams) by kind and name, made once per batch. */
  private readonly globalRefs = new Map<string, Map<string, string>>();

  constructor(private readonly inferredConfidence: number) {
    this.observed = { source: '', observedAt: 0, confidence: 1, citation: '' };
    this.observedList = [this.observed];
  }

  /**
   * The reference of a machine, a team or another entity outside namespaces (every pod names its
   * machine, every object its team: made once per batch).
   *
   * @param kind - Node kind.
   * @param name - Name.
   * @returns `kind:global/name`.
   */
  globalRef(kind: string, name: string): string {
    let byName = this.globalRefs.get(kind);
    if (byName === undefined) {
      byName = new Map();
      this.globalRefs.set(kind, byName);
    }
    let ref = byName.get(name);
    if (ref === undefined) {
      ref = formatEntityRef(kind, GLOBAL_NAMESPACE, name);
      byName.set(name, ref);
    }
    return ref;
  }

  reset(observed: Provenance): void {
    this.observed = observed;
    this.observedList = [observed];
    this.nodeRefs.length = 0;
    this.nodeAttributes.length = 0;
    this.edgeSources.length = 0;
    this.edgeKinds.length = 0;
    this.edgeTargets.length = 0;
    this.edgeAttributes.length = 0;
    this.edgeProvenance.length = 0;
  }

  node(ref: string, attributes: AttributeValues | undefined): void {
    this.nodeRefs.push(ref);
    this.nodeAttributes.push(attributes);
  }

  edge(
    source: string,
    kind: string,
    target: string,
    attributes?: AttributeValues,
    provenance?: Provenance,
  ): void {
    this.edgeSources.push(source);
    this.edgeKinds.push(kind);
    this.edgeTargets.push(target);
    this.edgeAttributes.push(attributes);
    this.edgeProvenance.push(provenance);
  }

  inferredEdge(source: string, kind: string, target: string, via: string, attributes: AttributeValues): void {
    this.edge(source, kind, target, attributes, {
      source: this.observed.source,
      observedAt: this.observed.observedAt,
      confidence: this.inferredConfidence,
      citation: joined(this.observed.citation, ' ', via),
    });
  }

  apply(store: GraphStore): void {
    const observed = this.observed;
    const observedList = this.observedList;
    for (let index = 0; index < this.nodeRefs.length; index++) {
      // The attributes were made for this plan: a new node keeps them as its values.
      store.applyNode(
        this.nodeRefs[index] as string,
        this.nodeAttributes[index],
        observed,
        observedList,
        undefined,
        true,
      );
    }
    for (let index = 0; index < this.edgeSources.length; index++) {
      const inferred = this.edgeProvenance[index];
      // An inferred edge vouches for its target with its own (lower) confidence; the source is the object itself.
      store.applyEdge(
        this.edgeSources[index] as string,
        this.edgeKinds[index] as string,
        this.edgeTargets[index] as string,
        this.edgeAttributes[index],
        inferred ?? observed,
        observed,
        inferred ?? observed,
        inferred === undefined ? observedList : undefined,
        true,
      );
    }
  }
}

function ownership(plan: Plan, ref: string, attributes: { team?: string | undefined }): void {
  if (attributes.team !== undefined) plan.edge(ref, 'owned-by', plan.globalRef('team', attributes.team));
}

function hasAny(resources: object): boolean {
  for (const _ in resources) return true;
  return false;
}

function dependencyEdges(
  plan: Plan,
  from: string,
  dependencies: readonly FoundDependency[],
  context: BatchContext,
) {
  for (const { target, via } of dependencies) {
    let kind = target.kind;
    if (!target.explicitKind && target.inCluster) {
      kind =
        context.serviceKinds.get(`${target.namespace}/${target.name}`) ??
        knownKindInGraph(context.store, target.namespace, target.name) ??
        'service';
    }
    const targetRef = formatEntityRef(kind, target.namespace, target.name);
    if (targetRef === from) continue;
    const attributes: Record<string, string> = { via };
    if (target.endpoint !== target.name) attributes.endpoint = target.endpoint;
    if (target.scheme !== undefined) attributes.protocol = target.scheme;
    plan.inferredEdge(from, 'depends-on', targetRef, via, attributes);
  }
}

function podSpecAttributes(
  summary: PodSpecSummary,
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  attributes.images = summary.images;
  if (hasAny(summary.resources)) attributes.resources = summary.resources;
  if (summary.secretRefs.length > 0) attributes.secretRefs = summary.secretRefs;
  if (summary.configMapRefs.length > 0) attributes.configMapRefs = summary.configMapRefs;
  return attributes;
}

function planWorkload(
  plan: Plan,
  object: Extract<Parsed, { type: 'workload' }>,
  context: BatchContext,
): void {
  const { header, ref } = object;
  const summary = object.summary ?? summarisePodSpec(object.podSpec);
  const attributes: Record<string, unknown> = podSpecAttributes(summary, metadataAttributes(header.metadata));
  // One container: images and resources say it all; several: keep each one's share.
  if (summary.containers.length > 1) attributes.containers = summary.containers;
  if (object.replicas !== undefined) attributes.replicas = object.replicas;
  if (hasAny(object.podLabels)) attributes.podLabels = { ...object.podLabels };
  if (summary.envNames.length > 0) attributes.envNames = summary.envNames;
  if (summary.serviceAccount !== undefined) attributes.serviceAccount = summary.serviceAccount;
  if (object.schedule !== undefined) attributes.schedule = object.schedule;
  if (object.suspend !== undefined) attributes.suspended = object.suspend;
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
  if (object.kind === 'job') {
    const owner = header.metadata.ownerReferences?.find((reference) => reference.kind === 'CronJob');
    if (owner !== undefined)
      plan.edge(ref, 'part-of', formatEntityRef('cronjob', header.namespace, owner.name));
  }
  for (const name of summary.configMapRefs)
    plan.edge(ref, 'configured-by', formatEntityRef('configmap', header.namespace, name));
  dependencyEdges(plan, ref, object.dependencies ?? [], context);
  for (const service of context.selectedBy.get(ref) ?? []) plan.edge(service, 'selects', ref);
}

function planPod(plan: Plan, object: Extract<Parsed, { type: 'pod' }>, context: BatchContext): void {
  const { header, body, ref, owner } = object;
  // Pods of a known owner: their dependencies are the owner's (settings not needed), and pods keep
  // neither variable names nor containers.
  const summary = object.summary ?? summarisePodSpec(body.spec, false);
  const attributes: Record<string, unknown> = podSpecAttributes(summary, metadataAttributes(header.metadata));
  if (body.status?.phase !== undefined) attributes.phase = body.status.phase;
  if (body.spec.nodeName !== undefined) attributes.nodeName = body.spec.nodeName;
  const statuses = body.status?.containerStatuses;
  if (statuses) {
    let restarts = 0;
    let ready = statuses.length > 0;
    for (const status of statuses) {
      restarts += status.restartCount ?? 0;
      if (status.ready !== true) ready = false;
    }
    attributes.restarts = restarts;
    attributes.ready = ready;
  }
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
  if (owner !== undefined) plan.edge(ref, 'part-of', owner);
  if (body.spec.nodeName !== undefined) plan.edge(ref, 'runs-on', plan.globalRef('node', body.spec.nodeName));
  if (object.ownerKnown === true) return;
  const holder = owner ?? ref;
  for (const name of summary.configMapRefs)
    plan.edge(holder, 'configured-by', formatEntityRef('configmap', header.namespace, name));
  dependencyEdges(plan, holder, object.dependencies ?? [], context);
  for (const service of context.selectedBy.get(ref) ?? []) plan.edge(service, 'selects', ref);
}

function planService(plan: Plan, object: Extract<Parsed, { type: 'service' }>, context: BatchContext): void {
  const { header, spec } = object;
  const key = `${header.namespace}/${header.name}`;
  const kind = context.serviceKinds.get(key) ?? 'service';
  const ref = formatEntityRef(kind, header.namespace, header.name);
  const attributes: Record<string, unknown> = metadataAttributes(header.metadata);
  const selector = spec?.selector;
  if (selector && hasAny(selector)) attributes.selector = { ...selector };
  if (spec?.ports && spec.ports.length > 0) {
    attributes.ports = spec.ports.map((port) => {
      const summary: PortSummary = { port: port.port };
      if (port.name !== undefined) summary.name = port.name;
      if (port.targetPort !== undefined) summary.targetPort = port.targetPort;
      if (port.protocol !== undefined) summary.protocol = port.protocol;
      return summary;
    });
  }
  if (spec?.type !== undefined) attributes.serviceType = spec.type;
  attributes.endpoint = joined(header.name, '.', header.namespace, '.svc');
  const selected = context.selections.get(key) ?? [];
  if (kind !== 'service') {
    for (const workload of selected) {
      for (const image of workload.images) attributes.engine ??= datastoreOfImage(image)?.engine;
    }
  }
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
  for (const workload of selected) plan.edge(ref, 'selects', workload.ref);
  if (spec?.externalName !== undefined && spec.externalName !== '') {
    const host = spec.externalName.toLowerCase();
    plan.inferredEdge(
      ref,
      'depends-on',
      formatEntityRef('external', GLOBAL_NAMESPACE, host),
      'externalName',
      {
        via: 'externalName',
        endpoint: host,
      },
    );
  }
}

function planIngress(plan: Plan, object: Extract<Parsed, { type: 'ingress' }>, context: BatchContext): void {
  const { header, spec } = object;
  const ref = formatEntityRef('ingress', header.namespace, header.name);
  const attributes: Record<string, unknown> = metadataAttributes(header.metadata);
  const hosts = (spec.rules ?? []).flatMap((rule) => (rule.host === undefined ? [] : [rule.host]));
  if (hosts.length > 0) attributes.hosts = [...new Set(hosts)].sort();
  if (spec.ingressClassName !== undefined) attributes.ingressClass = spec.ingressClassName;
  const tls = (spec.tls ?? []).flatMap((entry) => (entry.secretName === undefined ? [] : [entry.secretName]));
  if (tls.length > 0) attributes.tlsSecretRefs = [...new Set(tls)].sort();
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
  const backends = new Set<string>();
  for (const backend of [
    spec.defaultBackend,
    spec.backend,
    ...(spec.rules ?? []).flatMap((rule) => rule.http?.paths.map((path) => path.backend) ?? []),
  ]) {
    const name = backend?.service?.name ?? backend?.serviceName;
    if (name !== undefined) backends.add(name);
  }
  for (const name of [...backends].sort()) {
    const kind =
      context.serviceKinds.get(`${header.namespace}/${name}`) ??
      knownKindInGraph(context.store, header.namespace, name) ??
      'service';
    plan.edge(ref, 'depends-on', formatEntityRef(kind, header.namespace, name), { via: 'ingress backend' });
  }
}

function planConfigMap(
  plan: Plan,
  object: Extract<Parsed, { type: 'configmap' }>,
  context: BatchContext,
): void {
  const { header } = object;
  const ref = formatEntityRef('configmap', header.namespace, header.name);
  const attributes: Record<string, unknown> = metadataAttributes(header.metadata);
  if (object.keys.length > 0) attributes.keys = object.keys;
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
  // Workloads ingested earlier that use this ConfigMap: infer their dependencies from it now.
  const users = context.configMapUsers.get(`${header.namespace}/${header.name}`);
  if (users === undefined) return;
  const settings = settingsFromConfigMap({ name: header.name, mode: 'all' }, object.data);
  const dependencies = dependenciesFromSettings(settings, {
    namespace: header.namespace,
    isNamespace: (namespace) => context.store.nodesInNamespace(namespace).size > 0,
  });
  for (const user of users) dependencyEdges(plan, user, dependencies, context);
}

const targetKinds: Readonly<Record<string, WorkloadKind>> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

function planAutoscaler(
  plan: Plan,
  object: Extract<Parsed, { type: 'autoscaler' }>,
): SkippedDocument | undefined {
  const { header, spec } = object;
  const kind = targetKinds[spec.scaleTargetRef.kind];
  if (kind === undefined) {
    return {
      documentIndex: header.documentIndex,
      ...(header.path === '' ? {} : { path: header.path }),
      kind: header.kind,
      name: header.name,
      reason: `scale target kind ${spec.scaleTargetRef.kind} is not a known workload`,
    };
  }
  const autoscaling: Record<string, unknown> = { maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) autoscaling.minReplicas = spec.minReplicas;
  let cpu = spec.targetCPUUtilizationPercentage;
  const metrics: string[] = [];
  for (const metric of spec.metrics ?? []) {
    const name =
      metric.resource?.name ??
      metric.pods?.metric.name ??
      metric.object?.metric.name ??
      metric.external?.metric.name;
    if (name !== undefined) metrics.push(name);
    if (metric.resource?.name === 'cpu') cpu ??= metric.resource.target?.averageUtilization;
  }
  if (cpu !== undefined) autoscaling.targetCpuUtilizationPercent = cpu;
  if (metrics.length > 0) autoscaling.metrics = metrics;
  plan.node(formatEntityRef(kind, header.namespace, spec.scaleTargetRef.name), { autoscaling });
  return undefined;
}

function nodeResources(
  list: Readonly<Record<string, string | number>> | null | undefined,
): NodeResources | undefined {
  if (!list) return undefined;
  const resources: NodeResources = {};
  for (const [name, quantity] of Object.entries(list)) {
    if (name === 'cpu') {
      const value = parseMillicores(quantity);
      if (value !== undefined) resources.cpuMillicores = value;
    } else if (name === 'memory') {
      const value = parseBytes(quantity);
      if (value !== undefined) resources.memoryBytes = value;
    } else if (name === 'pods') {
      const value = parseQuantity(quantity);
      if (value !== undefined) resources.pods = value;
    } else if (/(^|[./])gpu$/i.test(name)) {
      const value = parseQuantity(quantity);
      if (value !== undefined) resources.gpu = (resources.gpu ?? 0) + value;
    }
  }
  return resources;
}

function planClusterNode(plan: Plan, object: Extract<Parsed, { type: 'node' }>): void {
  const { header, body } = object;
  const labels = header.metadata.labels ?? {};
  const attributes: Record<string, unknown> = metadataAttributes(header.metadata);
  const capacity = nodeResources(body.status?.capacity);
  if (capacity !== undefined) attributes.capacity = capacity;
  const allocatable = nodeResources(body.status?.allocatable);
  if (allocatable !== undefined) attributes.allocatable = allocatable;
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'];
  if (zone !== undefined) attributes.zone = zone;
  const region =
    labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'];
  if (region !== undefined) attributes.region = region;
  const instanceType =
    labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'];
  if (instanceType !== undefined) attributes.instanceType = instanceType;
  const ready = body.status?.conditions?.find((condition) => condition.type === 'Ready');
  if (ready !== undefined) attributes.ready = ready.status === 'True';
  if (body.spec?.unschedulable !== undefined) attributes.unschedulable = body.spec.unschedulable;
  const ref = formatEntityRef('node', GLOBAL_NAMESPACE, header.name);
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
}

function planNamespace(plan: Plan, object: Extract<Parsed, { type: 'namespace' }>): void {
  const { header, body } = object;
  const attributes: Record<string, unknown> = metadataAttributes(header.metadata);
  if (body.status?.phase !== undefined) attributes.phase = body.status.phase;
  const ref = formatEntityRef('namespace', GLOBAL_NAMESPACE, header.name);
  plan.node(ref, attributes);
  ownership(plan, ref, attributes);
}

/**
 * Ingests Kubernetes objects: multi-document YAML, JSON (a `List` from `kubectl get -o json`
 * included), or already parsed objects. Deployments, StatefulSets, DaemonSets, CronJobs, Jobs,
 * Pods, Services, Ingresses, ConfigMaps, HorizontalPodAutoscalers, Nodes and Namespaces become
 * nodes; the ingester infers which workloads a Service selects, dependencies from environment
 * variables, ConfigMaps and arguments (URLs, `*_HOST`, `*_SERVICE_HOST`, connection strings,
 * cluster DNS names) with the datastore kind when it can be told (scheme, port, image, variable
 * name), resources and GPU requests, and owners from labels and annotations.
 *
 * Secrets never enter the graph: `Secret` documents are skipped, only the names of referenced
 * secrets are kept, variable values and annotations are never stored, and passwords are
 * stripped from connection strings before anything is kept.
 *
 * A malformed document becomes a {@link GraphInputError} in the report (with its index and the
 * field path); the other documents are still ingested and nothing already in the graph is lost.
 *
 * @param graph - The graph to add to.
 * @param input - YAML or JSON text, one object, or an array of objects.
 * @param options - Source, time, citation prefix, default namespace, inferred confidence.
 * @returns What was ingested, skipped, and rejected.
 */
export function ingestKubernetes(
  graph: KnowledgeGraph,
  input: unknown,
  options: KubernetesIngestOptions = {},
): IngestReport {
  const store = storeOf(graph);
  const nodesBefore = store.nodeCount;
  const edgesBefore = store.edgeCount;
  const { objects, errors } = splitKubernetesInput(input);
  const skipped: SkippedDocument[] = [];
  const parsed: Parsed[] = [];
  for (let index = 0; index < objects.length; index++) {
    const object = objects[index] as SourceObject;
    const outcome = parseObject(object, options);
    if ('error' in outcome) errors.push(outcome.error);
    else if ('skip' in outcome) skipped.push(outcome.skip);
    else parsed.push(outcome);
  }
  const context = buildContext(store, parsed);
  const source = options.source ?? 'kubernetes';
  const observedAt = options.observedAt ?? store.clock.now();
  const inferredConfidence = options.inferredConfidence ?? 0.9;
  let ingested = 0;
  const plan = new Plan(inferredConfidence);
  for (let index = 0; index < parsed.length; index++) {
    const object = parsed[index] as Parsed;
    plan.reset({ source, observedAt, confidence: 1, citation: object.header.citation });
    switch (object.type) {
      case 'workload':
        planWorkload(plan, object, context);
        break;
      case 'pod':
        planPod(plan, object, context);
        break;
      case 'service':
        planService(plan, object, context);
        break;
      case 'ingress':
        planIngress(plan, object, context);
        break;
      case 'configmap':
        planConfigMap(plan, object, context);
        break;
      case 'autoscaler': {
        const skip = planAutoscaler(plan, object);
        if (skip !== undefined) {
          skipped.push(skip);
          continue;
        }
        break;
      }
      case 'node':
        planClusterNode(plan, object);
        break;
      case 'namespace':
        planNamespace(plan, object);
        break;
    }
    plan.apply(store);
    ingested++;
  }
  errors.sort((left, right) => (left.documentIndex ?? 0) - (right.documentIndex ?? 0));
  return {
    ingested,
    skipped,
    errors,
    nodesCreated: store.nodeCount - nodesBefore,
    edgesCreated: store.edgeCount - edgesBefore,
  };
}
