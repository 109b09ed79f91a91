import { type EntityRef, formatEntityRef, GLOBAL_NAMESPACE, parseEntityRef } from './entity-ref';
import type { KnowledgeGraph } from './knowledge-graph';
import type { ProvenanceInput } from './provenance';

/** A change to record: a deploy, a configuration change, a scheduled job run. */
export interface ChangeRecord {
  /** Identifier, unique in its namespace (a deploy id, a commit). */
  readonly id: string;
  /** Namespace of the change node; the first affected entity's by default. */
  readonly namespace?: string;
  /** When it happened, in milliseconds since the epoch. */
  readonly at: number;
  /** `deploy`, `config`, `scale`, `scheduled-job`, `feature-flag`, ... */
  readonly changeType?: string;
  /** What changed. */
  readonly summary?: string;
  /** Who or what made it. */
  readonly author?: string;
  /** Entities it affected (`affected` edges). */
  readonly affected: readonly EntityRef[];
}

/** An incident to record. */
export interface IncidentRecord {
  /** Identifier, unique in its namespace. */
  readonly id: string;
  /** Namespace of the incident node; the first affected entity's by default. */
  readonly namespace?: string;
  /** Title. */
  readonly title?: string;
  /** `P1`..`P5`. */
  readonly severity?: string;
  /** `open`, `mitigated`, `resolved`. */
  readonly status?: string;
  /** When it started, in milliseconds since the epoch. */
  readonly startedAt?: number;
  /** When it was resolved. */
  readonly resolvedAt?: number;
  /** What happened. */
  readonly summary?: string;
  /** Entities it affected (`affected` edges). */
  readonly affected: readonly EntityRef[];
  /** Causes: changes, entities, failure patterns (`caused-by` edges). */
  readonly causes?: readonly EntityRef[];
  /** Remediations that mitigated it (`mitigated-by` edges). */
  readonly remediations?: readonly EntityRef[];
}

/** A known failure pattern to record. */
export interface FailurePatternRecord {
  /** Identifier, e.g. `redis-memory-fragmentation`. */
  readonly id: string;
  /** Title. */
  readonly title?: string;
  /** Fault type, e.g. `redis.memory-fragmentation`. */
  readonly fault?: string;
  /** Node kinds it applies to. */
  readonly entityKinds?: readonly string[];
  /** Symptoms that give it away. */
  readonly symptoms?: readonly string[];
  /** Entities known to suffer from it (`affected` edges). */
  readonly affected?: readonly EntityRef[];
  /** Remediations known to work (`mitigated-by` edges). */
  readonly remediations?: readonly EntityRef[];
}

function namespaceOf(explicit: string | undefined, affected: readonly EntityRef[] | undefined): string {
  if (explicit !== undefined) return explicit;
  const first = affected?.[0];
  return (first === undefined ? undefined : parseEntityRef(first)?.namespace) ?? GLOBAL_NAMESPACE;
}

function defined<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Records a change and the entities it affected, so that {@link KnowledgeGraph.changesNear} finds it.
 *
 * @param graph - The graph.
 * @param change - The change.
 * @param provenance - Where it was learned (a deploy webhook, the CI, a person).
 * @returns The change's reference, `change:<namespace>/<id>`.
 */
export function recordChange(
  graph: KnowledgeGraph,
  change: ChangeRecord,
  provenance: ProvenanceInput,
): EntityRef {
  const ref = formatEntityRef('change', namespaceOf(change.namespace, change.affected), change.id);
  graph.upsertNode<'change'>({
    ref,
    attributes: defined({
      at: change.at,
      changeType: change.changeType,
      summary: change.summary,
      author: change.author,
    }),
    provenance,
  });
  for (const target of change.affected)
    graph.upsertEdge({ source: ref, kind: 'affected', target, provenance });
  return ref;
}

/**
 * Records an incident with what it affected, what caused it and what mitigated it, so that
 * {@link KnowledgeGraph.incidentsTouching} finds it in later investigations.
 *
 * @param graph - The graph.
 * @param incident - The incident.
 * @param provenance - Where it was learned (source `incident` is usual).
 * @returns The incident's reference, `incident:<namespace>/<id>`.
 */
export function recordIncident(
  graph: KnowledgeGraph,
  incident: IncidentRecord,
  provenance: ProvenanceInput,
): EntityRef {
  const ref = formatEntityRef('incident', namespaceOf(incident.namespace, incident.affected), incident.id);
  graph.upsertNode<'incident'>({
    ref,
    attributes: defined({
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      startedAt: incident.startedAt,
      resolvedAt: incident.resolvedAt,
      summary: incident.summary,
    }),
    provenance,
  });
  for (const target of incident.affected)
    graph.upsertEdge({ source: ref, kind: 'affected', target, provenance });
  for (const target of incident.causes ?? [])
    graph.upsertEdge({ source: ref, kind: 'caused-by', target, provenance });
  for (const target of incident.remediations ?? []) {
    graph.upsertEdge({ source: ref, kind: 'mitigated-by', target, provenance });
  }
  return ref;
}

/**
 * Records a failure pattern (a known way things break) with the entities it affects and the
 * remediations that work.
 *
 * @param graph - The graph.
 * @param pattern - The pattern.
 * @param provenance - Where it was learned.
 * @returns The pattern's reference, `failure-pattern:global/<id>`.
 */
export function recordFailurePattern(
  graph: KnowledgeGraph,
  pattern: FailurePatternRecord,
  provenance: ProvenanceInput,
): EntityRef {
  const ref = formatEntityRef('failure-pattern', GLOBAL_NAMESPACE, pattern.id);
  graph.upsertNode<'failure-pattern'>({
    ref,
    attributes: defined({
      title: pattern.title,
      fault: pattern.fault,
      entityKinds: pattern.entityKinds === undefined ? undefined : [...pattern.entityKinds],
      symptoms: pattern.symptoms === undefined ? undefined : [...pattern.symptoms],
    }),
    provenance,
  });
  for (const target of pattern.affected ?? [])
    graph.upsertEdge({ source: ref, kind: 'affected', target, provenance });
  for (const target of pattern.remediations ?? []) {
    graph.upsertEdge({ source: ref, kind: 'mitigated-by', target, provenance });
  }
  return ref;
}
