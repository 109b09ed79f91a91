import type { EntityRef } from '../../contracts/entity-ref';
import type { InvestigationScope } from '../hypothesis-generators';
import { isoTimeOf, oneLine } from './reasoner-prompts';

/** How much of a scope a description shows at most. */
export interface ScopeDescriptionLimits {
  /** Entities in reach (nearest first). Default 40. */
  entities?: number;
  /** Recent changes (latest first). Default 20. */
  changes?: number;
  /** Past incidents (latest first). Default 10. */
  pastIncidents?: number;
}

function kindOf(scope: InvestigationScope, entity: EntityRef): string {
  return scope.map.entity(entity)?.kind ?? entity.slice(0, entity.indexOf(':'));
}

function byText(first: string, second: string): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function more(count: number, singular: string, plural: string): string[] {
  return count > 0 ? [`- … ${count} more ${count === 1 ? singular : plural} not shown`] : [];
}

/**
 * The entities in reach, nearest first, then by ref.
 *
 * @param scope - the investigation scope
 */
export function entitiesInReach(
  scope: InvestigationScope,
): { entity: EntityRef; hops: number; kind: string }[] {
  return [...scope.reach]
    .map(([entity, hops]) => ({ entity, hops, kind: kindOf(scope, entity) }))
    .sort((first, second) => first.hops - second.hops || byText(first.entity, second.entity));
}

/**
 * A compact, deterministic description of an investigation scope for a model: the trigger, the entities in
 * reach (hops from the alerting entity, kind, what each depends on within the reach), recent changes, past
 * incidents and the known fault ids per entity kind. The same scope always gives the same text.
 *
 * @param scope - the investigation scope
 * @param limits - how much to show at most
 */
export function describeScope(scope: InvestigationScope, limits: ScopeDescriptionLimits = {}): string {
  const { trigger } = scope;
  const lines: string[] = [
    `Trigger: ${trigger.kind} from ${oneLine(trigger.source, 60)}, severity ${trigger.severity}, on ${trigger.entity} at ${trigger.at}`,
    `Summary: ${oneLine(trigger.summary)}`,
  ];
  const labels = Object.keys(trigger.labels)
    .sort(byText)
    .map((key) => `${oneLine(key, 60)}=${oneLine(trigger.labels[key] ?? '', 80)}`);
  if (labels.length > 0) lines.push(`Labels: ${labels.join(', ')}`);
  lines.push(`Telemetry is read as of ${isoTimeOf(scope.asOf)}.`, '');

  const entities = entitiesInReach(scope);
  const entityLimit = limits.entities ?? 40;
  lines.push('Entities that can cause the symptom (hops from the alerting entity, kind, depends on):');
  for (const { entity, hops, kind } of entities.slice(0, entityLimit)) {
    const dependencies = [...scope.map.dependenciesOf(entity), ...scope.map.consumersOf(entity)]
      .filter((dependency) => scope.reach.has(dependency))
      .sort(byText);
    const relations = dependencies.length > 0 ? `; depends on ${[...new Set(dependencies)].join(', ')}` : '';
    lines.push(`- ${entity} (${hops} hop${hops === 1 ? '' : 's'}, ${kind}${relations})`);
  }
  lines.push(...more(entities.length - entityLimit, 'entity', 'entities'), '');

  const changes = [...scope.changes].sort(
    (first, second) => timeOf(second.at) - timeOf(first.at) || byText(first.id, second.id),
  );
  const changeLimit = limits.changes ?? 20;
  lines.push('Recent changes (latest first):');
  if (changes.length === 0) lines.push('- none');
  for (const change of changes.slice(0, changeLimit)) {
    const ended = change.endedAt ? ` to ${change.endedAt}` : '';
    const reach = scope.reach.has(change.entity) ? '' : ' (outside the reach)';
    lines.push(
      `- ${change.at}${ended} ${change.kind} of ${change.entity}${reach}: ${oneLine(change.summary)}`,
    );
  }
  lines.push(...more(changes.length - changeLimit, 'change', 'changes'), '');

  const incidents = [...scope.pastIncidents].sort(
    (first, second) => second.at - first.at || byText(first.entity, second.entity),
  );
  const incidentLimit = limits.pastIncidents ?? 10;
  if (incidents.length > 0) {
    lines.push('Past incidents (latest first):');
    for (const incident of incidents.slice(0, incidentLimit)) {
      lines.push(`- ${isoTimeOf(incident.at)} ${oneLine(incident.fault, 80)} on ${incident.entity}`);
    }
    lines.push(...more(incidents.length - incidentLimit, 'incident', 'incidents'), '');
  }

  const kinds = [...new Set(entities.map((entry) => entry.kind))].sort(byText);
  lines.push(
    'Known fault ids per entity kind (`degraded` = something is wrong with the entity, fault unknown):',
  );
  for (const kind of kinds) {
    const faults = scope.patterns
      .filter((pattern) => pattern.entityKinds.includes(kind))
      .map((pattern) => pattern.fault)
      .sort(byText);
    lines.push(`- ${kind}: ${faults.length > 0 ? faults.join(', ') : 'none known'}`);
  }
  return lines.join('\n');
}
