import type { JsonValue, TopologySnapshot } from '@aisre/core';
import { formatIsoTime } from '../scenario/duration';
import { versionAt } from '../simulation/change-timeline';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity } from '../simulation/system-model';
import { kubernetesObjects } from './kubernetes-objects';

const protocols: Record<string, string> = {
  service: 'http',
  redis: 'redis',
  postgres: 'postgresql',
  queue: 'amqp',
  external: 'https',
};

/** The catalogue attributes of an entity at `nowMs` (what a service catalogue would say about it). */
export function entityAttributes(
  simulation: Simulation,
  entity: ModelEntity,
  nowMs: number,
  environment: string,
): Record<string, JsonValue> {
  const { model } = simulation;
  const step = Math.max(0, Math.min(model.stepCount - 1, Math.floor((nowMs - model.startMs) / model.stepMs)));
  const settings = simulation.settings(entity.index);
  const attributes: Record<string, JsonValue> = {
    kind: entity.kind,
    name: entity.name,
    namespace: model.namespace,
    environment,
    tier: entity.tier,
  };
  if (entity.kind !== 'external') attributes.replicas = settings.replicas[step] ?? entity.replicas;
  if (entity.rpsGiven) attributes.rps = entity.entryRps;
  if (entity.team) attributes.team = entity.team;
  if (entity.kind === 'service' || entity.kind === 'cronjob')
    attributes.version = versionAt(simulation, entity.index, nowMs);
  if (entity.kind === 'redis')
    attributes.maxMemoryMb = Math.round((settings.maxMemoryBytes[step] ?? entity.maxMemoryBytes) / 1024 ** 2);
  if (entity.kind === 'postgres')
    attributes.maxConnections = settings.maxConnections[step] ?? entity.maxConnections;
  if (entity.kind === 'cronjob') {
    const change = [...simulation.interventions]
      .reverse()
      .find((item) => item.target === entity.index && item.schedule !== undefined && item.atMs <= nowMs);
    attributes.schedule = change?.schedule ? change.schedule.expression : (entity.schedule?.expression ?? '');
    attributes.suspended = change !== undefined && change.schedule === null;
  }
  return attributes;
}

/** What a topology scan finds at `nowMs`: entities, their relations, and the Kubernetes objects. */
export function topologySnapshot(
  simulation: Simulation,
  nowMs: number,
  environment: string,
): TopologySnapshot {
  const { model } = simulation;
  const relations: TopologySnapshot['relations'] = [];
  for (const edge of model.edges) {
    const from = model.entities[edge.from];
    const to = model.entities[edge.to];
    if (from && to)
      relations.push({
        from: from.ref,
        to: to.ref,
        kind: 'depends-on',
        attributes: { protocol: protocols[to.kind] ?? 'tcp' },
      });
  }
  for (const entity of model.entities) {
    for (const queue of entity.consumes) {
      const to = model.entities[queue];
      if (to)
        relations.push({ from: entity.ref, to: to.ref, kind: 'consumes', attributes: { protocol: 'amqp' } });
    }
  }
  return {
    observedAt: formatIsoTime(nowMs),
    entities: model.entities.map((entity) => ({
      ref: entity.ref,
      attributes: entityAttributes(simulation, entity, nowMs, environment),
    })),
    relations,
    kubernetesObjects: structuredClone(kubernetesObjects(simulation, nowMs)),
  };
}
