import { smoothNoise } from './random';
import type { Simulation } from './simulation';

/**
 * Request rates, from the outside in: entry points get outside traffic (the traffic pattern times their
 * `rps`, with a few percent of smooth variance); every call relation carries its caller's activity times
 * its fanout; consumers process what their queues receive.
 */

/** Nominal inbound rates per entity at the quietest hour, without variance: what capacity is sized from. */
export function computeNominalRates(simulation: Simulation): Float64Array {
  const { entities, edges } = simulation.model;
  const inbound = new Float64Array(entities.length).fill(Number.NaN);
  const activity = (index: number): number => {
    const entity = entities[index];
    if (!entity) return 0;
    if (entity.kind === 'cronjob') return entity.baseline.jobOperationsPerSecond;
    let total = rate(index);
    for (const queue of entity.consumes) total += rate(queue) * consumerShare(simulation, queue, index);
    return total;
  };
  const rate = (index: number): number => {
    const known = inbound[index];
    if (known !== undefined && !Number.isNaN(known)) return known;
    const entity = entities[index];
    let total = entity?.entryRps ?? 0;
    for (const edgeIndex of entity?.incoming ?? []) {
      const edge = edges[edgeIndex];
      if (edge) total += activity(edge.from) * edge.fanout;
    }
    inbound[index] = total;
    return total;
  };
  for (const entity of entities) rate(entity.index);
  return inbound;
}

/** The share of a queue's messages that `consumer` takes (by pods). */
export function consumerShare(simulation: Simulation, queue: number, consumer: number): number {
  const { entities } = simulation.model;
  const consumers = entities[queue]?.consumers ?? [];
  let pods = 0;
  for (const index of consumers) pods += entities[index]?.replicas ?? 1;
  return pods === 0 ? 0 : (entities[consumer]?.replicas ?? 1) / pods;
}

/** Calls (or messages, or commands) per second an entity receives, per step. */
export function computeInboundRate(simulation: Simulation, index: number): Float64Array {
  const { model } = simulation;
  const entity = model.entities[index];
  const values = new Float64Array(model.stepCount);
  if (!entity) return values;
  if (entity.entryRps > 0) {
    const variance = smoothNoise(simulation.random(`traffic|${entity.ref}`), model.stepCount, 0.04, 0.9);
    for (let step = 0; step < model.stepCount; step++) {
      values[step] = entity.entryRps * (model.traffic[step] ?? 1) * (1 + (variance[step] ?? 0));
    }
  }
  for (const edgeIndex of entity.incoming) {
    const calls = simulation.edgeRate(edgeIndex);
    for (let step = 0; step < model.stepCount; step++)
      values[step] = (values[step] ?? 0) + (calls[step] ?? 0);
  }
  return values;
}

/** Requests per second that make an entity call its dependencies: HTTP plus consumed messages, or job operations. */
export function computeActivity(simulation: Simulation, index: number): Float64Array {
  const { model } = simulation;
  const entity = model.entities[index];
  const values = new Float64Array(model.stepCount);
  if (!entity) return values;
  if (entity.kind === 'cronjob') {
    const { running, heavy } = simulation.jobActivity(index);
    for (let step = 0; step < model.stepCount; step++) {
      values[step] =
        entity.baseline.jobOperationsPerSecond * (running[step] ?? 0) * (1 + 2 * (heavy[step] ?? 0));
    }
    return values;
  }
  values.set(simulation.inboundRate(index));
  for (const queue of entity.consumes) {
    const share = consumerShare(simulation, queue, index);
    const messages = simulation.inboundRate(queue);
    for (let step = 0; step < model.stepCount; step++)
      values[step] = (values[step] ?? 0) + (messages[step] ?? 0) * share;
  }
  return values;
}

/** Calls per second along one call relation, per step. */
export function computeEdgeRate(simulation: Simulation, edgeIndex: number): Float64Array {
  const { model } = simulation;
  const edge = model.edges[edgeIndex];
  const values = new Float64Array(model.stepCount);
  if (!edge) return values;
  const activity = simulation.activity(edge.from);
  const from = model.entities[edge.from]?.ref ?? '';
  const to = model.entities[edge.to]?.ref ?? '';
  const variance = smoothNoise(simulation.random(`calls|${from}|${to}`), model.stepCount, 0.02, 0.8);
  for (let step = 0; step < model.stepCount; step++) {
    values[step] = (activity[step] ?? 0) * edge.fanout * (1 + (variance[step] ?? 0));
  }
  return values;
}
