import type { EntityRef as GraphEntityRef, KnowledgeGraph } from '@aisre/graph';
import { formatEntityRef, recordIncident } from '@aisre/graph';
import type { EntityRef } from '../contracts/entity-ref';
import type { PastIncident } from '../investigation/hypothesis-generators';
import type { IncidentRecord } from './incident-capture';

const patternNamespace = 'global';

function patternRef(fault: string): GraphEntityRef {
  return formatEntityRef('failure-pattern', patternNamespace, fault);
}

function remediationRef(entity: EntityRef, actionType: string): GraphEntityRef {
  const namespace = entity.slice(entity.indexOf(':') + 1, entity.indexOf('/'));
  return formatEntityRef('remediation', namespace, actionType);
}

/**
 * Writes a captured incident into the knowledge graph: an incident node that `affected` the alerting entity and
 * the root cause, was `caused-by` the root-cause entity and its failure pattern, and `mitigated-by` the
 * remediations applied — all with provenance `incident`, citing the investigation. The outcome is kept as the
 * incident's status (`resolved` when the symptom improved, `mitigated` when a change was applied but the symptom
 * did not clearly improve, `open` when nothing was applied): a directional hint, not a claim of causation.
 *
 * @param graph - the knowledge graph
 * @param incident - the captured incident
 * @returns the incident node's ref
 */
export function recordIncidentInGraph(graph: KnowledgeGraph, incident: IncidentRecord): string {
  const status =
    incident.remediations.length === 0 ? 'open' : incident.outcome === 'improved' ? 'resolved' : 'mitigated';
  return recordIncident(
    graph,
    {
      id: incident.id,
      title: `${incident.fault} on ${incident.entity}`,
      status,
      startedAt: incident.at,
      summary: `root cause ${incident.fault} on ${incident.entity}; remediations ${incident.remediations.join(', ') || 'none'}; outcome ${incident.outcome}`,
      affected: [...new Set([incident.trigger, incident.entity])],
      causes: [incident.entity, patternRef(incident.fault)],
      remediations: incident.remediations.map((type) => remediationRef(incident.entity, type)),
    },
    { source: 'incident', citation: `investigation ${incident.id}`, observedAt: incident.at },
  );
}

/**
 * Past incidents as the knowledge graph remembers them, for {@link InvestigatorOptions.pastIncidents}: each
 * incident touching one of the entities contributes its root-cause entity and its failure pattern.
 *
 * @param graph - the knowledge graph
 */
export function pastIncidentsFromGraph(graph: KnowledgeGraph): (entities: EntityRef[]) => PastIncident[] {
  return (entities) => {
    const found = new Map<string, PastIncident>();
    for (const entity of entities) {
      if (!graph.hasNode(entity)) continue;
      for (const touch of graph.incidentsTouching(entity).incidents) {
        const causes = graph.edges({ kinds: ['caused-by'], from: touch.incident.ref });
        const fault = causes.find((edge) => edge.target.startsWith('failure-pattern:'))?.target.split('/')[1];
        const rootCause = causes.find((edge) => !edge.target.startsWith('failure-pattern:'))?.target as
          | EntityRef
          | undefined;
        if (!fault || !rootCause) continue;
        const at =
          typeof touch.incident.attributes.startedAt === 'number' ? touch.incident.attributes.startedAt : 0;
        found.set(`${touch.incident.ref}`, { entity: rootCause, fault, at });
      }
    }
    return [...found.values()].sort((a, b) => a.at - b.at || (a.entity < b.entity ? -1 : 1));
  };
}
