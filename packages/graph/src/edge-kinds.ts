/** The edge kinds the graph knows out of the box; augment {@link EdgeAttributesByKind} for more. */
export const BUILT_IN_EDGE_KINDS = [
  'depends-on',
  'calls',
  'runs-on',
  'part-of',
  'selects',
  'configured-by',
  'owned-by',
  'documented-by',
  'affected',
  'caused-by',
  'mitigated-by',
] as const;

/** Attributes any edge may carry. */
export interface CommonEdgeAttributes {
  /** Free text about the relation. */
  description?: string;
}

/** Attributes of `depends-on` edges. */
export interface DependencyEdgeAttributes extends CommonEdgeAttributes {
  /** How the dependency was found, e.g. `env:DATABASE_URL`, `configmap:cart-config/REDIS_HOST`. */
  via?: string;
  /** The endpoint, sanitised: credentials are stripped before anything is stored. */
  endpoint?: string;
  /** The protocol or URL scheme (`redis`, `postgres`, `http`). */
  protocol?: string;
}

/** Attributes of `calls` edges, aggregated from traces. */
export interface CallEdgeAttributes extends CommonEdgeAttributes {
  /** Calls per second over the observed window. */
  rate?: number;
  /** Share of calls that failed, 0..1. */
  errorRatio?: number;
  /** Median latency, in milliseconds. */
  latencyP50Ms?: number;
  /** 95th percentile latency, in milliseconds. */
  latencyP95Ms?: number;
  /** 99th percentile latency, in milliseconds. */
  latencyP99Ms?: number;
  /** Number of calls observed. */
  callCount?: number;
  /** What the caller does: `call`, `query`, `publish`, `receive`. */
  operation?: string;
}

/**
 * The attribute type of every edge kind; the registry of edge kinds. Augment it to add kinds.
 * Direction is always source → target, read as a sentence: `service:shop/cart depends-on
 * redis:shop/session-cache`, `pod:shop/cart-7d9 part-of deployment:shop/cart`,
 * `incident:shop/inc-42 affected service:shop/cart`, `incident:shop/inc-42 caused-by change:shop/deploy-9`.
 */
export interface EdgeAttributesByKind {
  /** Source needs target to work (found in configuration or declared). */
  'depends-on': DependencyEdgeAttributes;
  /** Source calls target (observed in traces). */
  calls: CallEdgeAttributes;
  /** A pod runs on a cluster node. */
  'runs-on': CommonEdgeAttributes;
  /** Source is a component of target's running unit (pod of a workload, job of a CronJob). */
  'part-of': CommonEdgeAttributes;
  /** A service selects a workload's pods. */
  selects: CommonEdgeAttributes;
  /** A workload reads configuration from a ConfigMap. */
  'configured-by': CommonEdgeAttributes;
  /** Source is owned by a team. */
  'owned-by': CommonEdgeAttributes;
  /** Source is described by a document. */
  'documented-by': CommonEdgeAttributes;
  /** An incident or change affected an entity; a failure pattern affects an entity. */
  affected: CommonEdgeAttributes;
  /** An incident was caused by a change, an entity or a failure pattern. */
  'caused-by': CommonEdgeAttributes;
  /** An incident or failure pattern was mitigated by a remediation. */
  'mitigated-by': CommonEdgeAttributes;
}

/** An edge kind: a key of {@link EdgeAttributesByKind}. */
export type EdgeKind = Extract<keyof EdgeAttributesByKind, string>;

/**
 * How an edge kind takes part in dependency traversals (dependencies, dependents, blast radius):
 * - `dependency`: the source needs the target; one hop;
 * - `structure`: both ends are the same running unit (a Service and the Deployment it selects, a
 *   pod and its workload); crossed in both directions at no depth cost;
 * - `association`: not followed (ownership, documentation, incident links).
 */
export type EdgeRole = 'dependency' | 'structure' | 'association';

/** The roles of the built-in edge kinds; unknown kinds are associations. */
export const DEFAULT_EDGE_ROLES: Readonly<Record<string, EdgeRole>> = {
  'depends-on': 'dependency',
  calls: 'dependency',
  'runs-on': 'dependency',
  'configured-by': 'dependency',
  selects: 'structure',
  'part-of': 'structure',
  'owned-by': 'association',
  'documented-by': 'association',
  affected: 'association',
  'caused-by': 'association',
  'mitigated-by': 'association',
};

/**
 * The key of an edge: `source -[kind]-> target`, e.g.
 * `service:shop/cart -[depends-on]-> redis:shop/session-cache`.
 *
 * @param source - Source entity reference.
 * @param kind - Edge kind.
 * @param target - Target entity reference.
 * @returns The edge key.
 */
export function edgeKey(source: string, kind: string, target: string): string {
  return `${source} -[${kind}]-> ${target}`;
}

/** The parts of an edge key. */
export interface ParsedEdgeKey {
  /** Source entity reference. */
  readonly source: string;
  /** Edge kind. */
  readonly kind: string;
  /** Target entity reference. */
  readonly target: string;
}

/**
 * Splits an edge key made by {@link edgeKey}.
 *
 * @param key - An edge key.
 * @returns Source, kind and target, or `undefined` when the key is malformed.
 */
export function parseEdgeKey(key: string): ParsedEdgeKey | undefined {
  const match = /^(\S+) -\[([a-z][a-z0-9-]*)\]-> (\S+)$/.exec(key);
  if (match === null) return undefined;
  return { source: match[1] as string, kind: match[2] as string, target: match[3] as string };
}
