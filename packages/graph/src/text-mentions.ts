import { type EntityRef, GLOBAL_NAMESPACE, parseEntityRef } from './entity-ref';
import type { NodeState } from './graph-state';
import { type GraphStore, storeOf } from './graph-store';
import type { IngestReport } from './ingest-report';
import type { KnowledgeGraph } from './knowledge-graph';
import type { DocAttributes, NodeKind } from './node-kinds';
import type { FactSource, Provenance } from './provenance';
import { redactSecrets } from './secret-redaction';

/** One mention of a known entity in a text. */
export interface EntityMention {
  /** The entity. */
  readonly ref: EntityRef;
  /** Its node kind. */
  readonly kind: NodeKind;
  /** Offset of the mention in the text. */
  readonly index: number;
  /** The text that matched. */
  readonly text: string;
}

/** Options of {@link findMentions}. */
export interface MentionOptions {
  /** Only entities of this namespace (global entities, such as teams, always match). */
  readonly namespace?: string;
  /** Only entities of these kinds. */
  readonly kinds?: readonly NodeKind[];
  /** Shortest name matched, to avoid linking `db` or `api` everywhere; 3 by default. */
  readonly minNameLength?: number;
}

/**
 * When one name is several entities in one namespace (a Service, its Deployment, its pods),
 * a mention is linked to the first kind of this list that matches.
 */
const kindPriority: readonly string[] = [
  'service',
  'redis',
  'postgres',
  'queue',
  'external',
  'deployment',
  'statefulset',
  'daemonset',
  'cronjob',
  'job',
  'ingress',
  'configmap',
  'team',
  'node',
  'namespace',
  'failure-pattern',
  'incident',
  'change',
  'remediation',
  'doc',
  'pod',
];

function rank(kind: string): number {
  const position = kindPriority.indexOf(kind);
  return position < 0 ? kindPriority.length : position;
}

const tokenPattern = /[A-Za-z0-9][A-Za-z0-9_.-]*/g;
const refPattern = /\b[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_./-]*/g;

/**
 * Internal: the entities a name denotes, one per namespace, the highest-priority kind.
 *
 * @param store - The graph.
 * @param name - A name, any case.
 * @param options - Namespace and kinds.
 * @returns Node states.
 */
export function entitiesNamed(store: GraphStore, name: string, options: MentionOptions): NodeState[] {
  const kinds = options.kinds === undefined ? undefined : new Set<string>(options.kinds);
  const best = new Map<string, NodeState>();
  for (const state of store.nodesNamed(name.toLowerCase())) {
    if (kinds !== undefined && !kinds.has(state.kind)) continue;
    if (
      options.namespace !== undefined &&
      state.namespace !== options.namespace &&
      state.namespace !== GLOBAL_NAMESPACE
    ) {
      continue;
    }
    const current = best.get(state.namespace);
    if (current === undefined || rank(state.kind) < rank(current.kind)) best.set(state.namespace, state);
  }
  return [...best.values()];
}

/**
 * Finds mentions of known entities in a text, deterministically: whole names only (a mention
 * of `cart` does not match inside `cart-db`), case-insensitive, also as the first label of a
 * DNS name (`session-cache.shop.svc.cluster.local`) and as full references (`redis:shop/session-cache`).
 *
 * @param graph - The graph whose entities are looked for.
 * @param text - The text.
 * @param options - Namespace, kinds, shortest name.
 * @returns Mentions, in text order.
 */
export function findMentions(
  graph: KnowledgeGraph,
  text: string,
  options: MentionOptions = {},
): EntityMention[] {
  const store = storeOf(graph);
  const minLength = options.minNameLength ?? 3;
  const mentions: EntityMention[] = [];
  const kinds = options.kinds === undefined ? undefined : new Set<string>(options.kinds);
  const covered: [number, number][] = [];
  for (const match of text.matchAll(refPattern)) {
    const ref = match[0].replace(/[.]+$/, '');
    const state = store.nodeState(ref);
    if (state === undefined || (kinds !== undefined && !kinds.has(state.kind))) continue;
    mentions.push({ ref, kind: state.kind, index: match.index, text: ref });
    covered.push([match.index, match.index + match[0].length]);
  }
  for (const match of text.matchAll(tokenPattern)) {
    const start = match.index;
    if (covered.some(([from, to]) => start >= from && start < to)) continue;
    const token = match[0].replace(/[._-]+$/, '');
    const candidates = token.includes('.') ? [token, token.split('.')[0] as string] : [token];
    for (const candidate of candidates) {
      if (candidate.length < minLength) continue;
      const states = entitiesNamed(store, candidate, options);
      if (states.length === 0) continue;
      for (const state of states)
        mentions.push({ ref: state.ref, kind: state.kind, index: start, text: candidate });
      break;
    }
  }
  return mentions.sort((left, right) => left.index - right.index || (left.ref < right.ref ? -1 : 1));
}

/** Options of {@link ingestText}. */
export interface TextIngestOptions extends MentionOptions {
  /** What the text is (`runbook docs/redis.md`, `#incidents 2026-03-02 01:12 alice`); stored as the citation, secrets redacted. */
  readonly citation: string;
  /**
   * The document node to create and link mentioned entities to with `documented-by` edges
   * (`doc:shop/redis-runbook`). Without it, mentions are only returned.
   */
  readonly document?: EntityRef;
  /** Attributes of the document node (title, url). */
  readonly documentAttributes?: DocAttributes;
  /** Source recorded in the provenance; `text` by default. */
  readonly source?: FactSource;
  /** Confidence of the links; 0.7 by default (a mention is not proof). */
  readonly confidence?: number;
  /** When the text was written or read; the graph's clock by default. */
  readonly observedAt?: number;
}

/** What {@link ingestText} did. */
export interface TextIngestReport extends IngestReport {
  /** Mentions found. */
  readonly mentions: readonly EntityMention[];
}

/**
 * Links a document, runbook or chat message to the entities it mentions (see {@link findMentions}).
 * With `document`, creates the document node and `documented-by` edges from every mentioned
 * entity (tentative: confidence 0.7 by default); the entities themselves are not touched.
 *
 * @param graph - The graph.
 * @param text - The text.
 * @param options - Citation, document reference, namespace, kinds, confidence.
 * @returns The mentions and what was added.
 */
export function ingestText(
  graph: KnowledgeGraph,
  text: string,
  options: TextIngestOptions,
): TextIngestReport {
  const store = storeOf(graph);
  const nodesBefore = store.nodeCount;
  const edgesBefore = store.edgeCount;
  const mentions = findMentions(graph, text, options);
  if (options.document !== undefined && parseEntityRef(options.document) !== undefined) {
    const provenance: Provenance = {
      source: options.source ?? 'text',
      observedAt: options.observedAt ?? store.clock.now(),
      confidence: options.confidence ?? 0.7,
      citation: redactSecrets(options.citation),
    };
    const document = options.document;
    store.applyNode(document, options.documentAttributes as Record<string, unknown> | undefined, {
      ...provenance,
      confidence: 1,
    });
    for (const ref of new Set(mentions.map((mention) => mention.ref))) {
      if (ref !== document)
        store.applyEdge(ref, 'documented-by', document, undefined, provenance, null, null);
    }
  }
  return {
    ingested: 1,
    skipped: [],
    errors: [],
    nodesCreated: store.nodeCount - nodesBefore,
    edgesCreated: store.edgeCount - edgesBefore,
    mentions,
  };
}
